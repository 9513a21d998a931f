/**
 * Resting books generated around the true fair value: options in coin (Deribit inverse options),
 * futures in USD.
 */
import { black76Price, normPdf, sviTotalVariance } from '@volstream/svi';
import type { Rng } from '../rng.ts';
import { askUnits, bidUnits, optionTickUnits, ticksToPrice, unitsToOptionPrice } from './ticks.ts';
import type { Level, Slice, UnderlyingSpec } from './types.ts';

/** Fair value of an inverse option in coin and its inputs. */
export type OptionFair = {
  /** truth vol, fraction */
  sigma: number;
  /** coin premium = Black-76(F, K, t, σ)/F (QUANT.md b8, DY1/JL1) */
  price: number;
  /** ∂price/∂σ in coin per unit of σ: φ(d₁)·√t (Black-76 vega F·φ(d₁)√t divided by F) */
  vegaCoin: number;
  /** standard deviations of moneyness: |k|/√w */
  zAbs: number;
};

export function optionFair({ slice, strike, isCall }: { slice: Slice; strike: number; isCall: boolean }): OptionFair {
  const k = Math.log(strike / slice.forward);
  const w = sviTotalVariance(slice.params, k);
  const sqrtW = Math.sqrt(w);
  const sigma = Math.sqrt(w / slice.t);
  const price = black76Price({ forward: slice.forward, strike, t: slice.t, sigma, isCall }) / slice.forward;
  const d1 = -k / sqrtW + sqrtW / 2;
  return { sigma, price, vegaCoin: normPdf(d1) * Math.sqrt(slice.t), zAbs: Math.abs(k) / sqrtW };
}

/**
 * Amount for a level: keeps the previous amount at that price with probability `keep`, else draws
 * a new lognormal one. The top level is kept more often than deeper ones, so most book changes
 * happen below the top and tickers (top of book) change less often than books.
 */
function drawAmount({ rng, median, lot, prev, keep }: { rng: Rng; median: number; lot: number; prev: number | undefined; keep: number }): number {
  if (prev !== undefined && rng.next() < keep) return prev;
  const lots = Math.max(1, Math.round((median / lot) * Math.exp(0.9 * rng.normal())));
  // lot is 0.1, 1 or 10: round to kill binary noise (3 × 0.1 → 0.3)
  return Math.round(lots * lot * 10) / 10;
}

function amountsByPrice(levels: readonly Level[] | undefined): Map<number, number> {
  const m = new Map<number, number>();
  if (levels) for (const [p, a] of levels) m.set(p, a);
  return m;
}

export type OptionBookInput = {
  slice: Slice;
  strike: number;
  isCall: boolean;
  spec: UnderlyingSpec;
  rng: Rng;
  /** per-instrument multiplier of the half-spread (stable, so the top moves only when fair does) */
  spreadJitter: number;
  /** previous levels, to keep some amounts (fewer `change` actions, like a real book) */
  prev?: { bids: readonly Level[]; asks: readonly Level[] };
};

const KEEP_TOP = 0.85;
const KEEP_DEEP = 0.5;

/**
 * Option book of 3–5 levels per side around the fair coin price.
 * Half-spread in vol = (h₀ + h₁·|z|)·spreadJitter, z = k/√w, converted to price with the coin vega and
 * floored at one tick; bid rounded down and ask rounded up to Deribit's grid (so the mid is
 * unbiased); no bid when even one tick is above fair − half-spread.
 */
export function optionBook({ slice, strike, isCall, spec, rng, spreadJitter, prev }: OptionBookInput): { bids: Level[]; asks: Level[]; fair: OptionFair } {
  const fair = optionFair({ slice, strike, isCall });
  const halfVol = (spec.halfSpreadVolAtm + spec.halfSpreadVolPerSd * fair.zAbs) * spreadJitter;
  const half = Math.max(halfVol * fair.vegaCoin, unitsToOptionPrice(1));
  const prevBids = amountsByPrice(prev?.bids);
  const prevAsks = amountsByPrice(prev?.asks);
  const amount = (p: number, side: Map<number, number>, level: number) =>
    drawAmount({ rng, median: spec.optionAmountMedian, lot: spec.optionMinAmount, prev: side.get(p), keep: level === 0 ? KEEP_TOP : KEEP_DEEP });

  const bids: Level[] = [];
  let u = bidUnits(fair.price - half);
  const nb = 3 + rng.int(3);
  while (u >= 1 && bids.length < nb) {
    const p = unitsToOptionPrice(u);
    bids.push([p, amount(p, prevBids, bids.length)]);
    u -= optionTickUnits(u) * (1 + rng.int(3));
    if (u > 50) u = Math.floor(u / 5) * 5; // back onto the coarse grid
  }

  const asks: Level[] = [];
  u = askUnits(fair.price + half);
  const na = 3 + rng.int(3);
  while (asks.length < na) {
    const p = unitsToOptionPrice(u);
    asks.push([p, amount(p, prevAsks, asks.length)]);
    u += optionTickUnits(u + 1) * (1 + rng.int(3));
    if (u > 50) u = Math.ceil(u / 5) * 5;
  }
  return { bids, asks, fair };
}

export type FutureBookInput = {
  mid: number;
  tick: number;
  spec: UnderlyingSpec;
  rng: Rng;
  prev?: { bids: readonly Level[]; asks: readonly Level[] };
};

/** Future/perpetual book of 5 levels per side, half-spread 0.2–0.6 bp of price (≥ 1 tick), USD amounts. */
export function futureBook({ mid, tick, spec, rng, prev }: FutureBookInput): { bids: Level[]; asks: Level[] } {
  const half = Math.max(tick, mid * (0.00002 + 0.00004 * rng.next()));
  const prevBids = amountsByPrice(prev?.bids);
  const prevAsks = amountsByPrice(prev?.asks);
  const amount = (p: number, side: Map<number, number>) =>
    drawAmount({ rng, median: spec.futureAmountMedian, lot: spec.futureContractSize, prev: side.get(p), keep: KEEP_DEEP });
  const bids: Level[] = [];
  const asks: Level[] = [];
  let nb = Math.floor((mid - half) / tick + 1e-9);
  let na = Math.ceil((mid + half) / tick - 1e-9);
  for (let i = 0; i < 5; i++) {
    const pb = ticksToPrice(nb, tick);
    const pa = ticksToPrice(na, tick);
    if (nb > 0) bids.push([pb, amount(pb, prevBids)]);
    asks.push([pa, amount(pa, prevAsks)]);
    nb -= 1 + rng.int(3);
    na += 1 + rng.int(3);
  }
  return { bids, asks };
}
