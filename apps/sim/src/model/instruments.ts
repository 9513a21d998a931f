/**
 * Listing: option strikes per expiry and futures, with Deribit's instrument names
 * (`BTC-27NOV26-95000-C`, `BTC-27MAR26`, `BTC-PERPETUAL`; EXCHANGES.md §1.2).
 */
import type { Rng } from '../rng.ts';
import { atmVol, YEAR_MS } from './surface.ts';
import type { Expiry, FutureInstrument, Instrument, Market, OptionInstrument, Underlying } from './types.ts';

const DAY_MS = 86_400_000;
/** Strikes span ±this many standard deviations of ln(K/F) around each forward. */
export const STRIKE_RANGE_SD = 3.5;

/**
 * Largest "round" strike step ≤ x from {1, 2, 2.5, 5}·10ⁿ (Deribit uses e.g. 250/500/1000/5000
 * for BTC and 10/25/50/100 for ETH, seen in the real 2020 chain: 125 → 1000 spacing as T grows).
 * Never below 1 so that names stay integer (decimal strikes would need the `d` spelling).
 */
export function niceStep(x: number): number {
  if (!(x > 1)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  const mults = p >= 10 ? [5, 2.5, 2, 1] : [5, 2, 1];
  for (const m of mults) if (m * p <= x) return m * p;
  return p;
}

/**
 * Strikes for one expiry: n points evenly spaced in ln(K/F) over ±STRIKE_RANGE_SD·σ√t, each
 * rounded to a round step sized to the local spacing, so the grid is finer near the money and
 * wider in the wings and for longer expiries (as on Deribit). Deduplicated and sorted.
 */
export function strikeGrid({ forward, sdLogMoneyness, n }: { forward: number; sdLogMoneyness: number; n: number }): number[] {
  const range = STRIKE_RANGE_SD * sdLogMoneyness;
  const out = new Set<number>();
  if (n <= 1) {
    out.add(Math.max(1, Math.round(forward / niceStep(forward * 0.01)) * niceStep(forward * 0.01)));
    return [...out];
  }
  const dx = (2 * range) / (n - 1);
  for (let j = 0; j < n; j++) {
    const x = -range + j * dx;
    const k = forward * Math.exp(x);
    const step = niceStep(k * dx);
    const strike = Math.round(k / step) * step;
    if (strike > 0) out.add(strike);
  }
  return [...out].sort((a, b) => a - b);
}

/** Name of the future listed for an expiry, e.g. `BTC-27MAR26`. */
export function futureName(u: Underlying, e: Expiry): string {
  return `${u}-${e.label}`;
}

/** Option `underlying_index`: the expiry's future, else Deribit's synthetic `SYN.BTC-…` (EXCHANGES.md §1.9). */
export function underlyingIndexName(u: Underlying, e: Expiry): string {
  return e.hasFuture ? futureName(u, e) : `SYN.${u}-${e.label}`;
}

/** A plausible `creation_timestamp`: 08:00 UTC on or before min(now, expiry − listing span). */
function listedAt(e: Expiry, nowMs: number): number {
  const span = e.period === 'day' ? 4 * DAY_MS : e.period === 'week' ? 35 * DAY_MS : 370 * DAY_MS;
  const ts = Math.min(nowMs, e.ts - span);
  const since0800 = (((ts - 8 * 3_600_000) % DAY_MS) + DAY_MS) % DAY_MS;
  return ts - since0800;
}

export type ListingInput = {
  underlying: Underlying;
  expiries: readonly Expiry[];
  market: Market;
  nowMs: number;
  /** target number of options (calls + puts) */
  optionCount: number;
  /** first `instrument_id` to use */
  firstId: number;
  rng: Rng;
};

/**
 * All instruments of one underlying: options (calls and puts on every strike of every expiry,
 * ~optionCount in total, spread evenly across expiries), then the futures of the expiries that
 * list one, then the perpetual. Open interest and volume are static random values.
 */
export function buildInstruments({ underlying, expiries, market, nowMs, optionCount, firstId, rng }: ListingInput): Instrument[] {
  const out: Instrument[] = [];
  let id = firstId;
  const strikesTotal = Math.max(expiries.length, Math.round(optionCount / 2));
  const base = Math.floor(strikesTotal / expiries.length);
  const extra = strikesTotal - base * expiries.length;

  expiries.forEach((e, expiryIdx) => {
    const t = (e.ts - nowMs) / YEAR_MS;
    const forward = market.spot * Math.exp(market.basis * t);
    const sd = atmVol(market.surface, t) * Math.sqrt(t);
    const n = base + (expiryIdx < extra ? 1 : 0);
    const creationTs = listedAt(e, nowMs);
    const underlyingIndex = underlyingIndexName(underlying, e);
    for (const strike of strikeGrid({ forward, sdLogMoneyness: sd, n })) {
      for (const isCall of [true, false]) {
        const moneynessSd = Math.abs(Math.log(strike / forward)) / sd;
        const oi = Math.round(10 * (200 * Math.exp(-0.5 * moneynessSd) * (0.3 + rng.next()))) / 10;
        const opt: OptionInstrument = {
          kind: 'option',
          index: out.length,
          id: id++,
          name: `${underlying}-${e.label}-${strike}-${isCall ? 'C' : 'P'}`,
          underlying,
          expiryIdx,
          expiryTs: e.ts,
          strike,
          isCall,
          creationTs,
          period: e.period,
          underlyingIndex,
          openInterest: oi,
          volume: Math.round(oi * rng.next() * 3) / 10,
          spreadJitter: 0.75 + 0.5 * rng.next(),
        };
        out.push(opt);
      }
    }
  });

  expiries.forEach((e, expiryIdx) => {
    if (!e.hasFuture) return;
    const fut: FutureInstrument = {
      kind: 'future',
      index: out.length,
      id: id++,
      name: futureName(underlying, e),
      underlying,
      expiryIdx,
      expiryTs: e.ts,
      creationTs: listedAt(e, nowMs),
      period: e.period,
      openInterest: Math.round(1e7 * (0.5 + rng.next())),
      volume: Math.round(1000 * (0.5 + rng.next())),
    };
    out.push(fut);
  });
  out.push({
    kind: 'future',
    index: out.length,
    id: id++,
    name: `${underlying}-PERPETUAL`,
    underlying,
    expiryIdx: null,
    expiryTs: null,
    creationTs: Date.UTC(2018, 7, 14, 8),
    period: 'perpetual',
    openInterest: Math.round(5e8 * (0.5 + rng.next())),
    volume: Math.round(20_000 * (0.5 + rng.next())),
  });
  return out;
}
