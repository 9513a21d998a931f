import { black76Greeks } from '../black76.ts';
import { impliedVolFromCoin } from '../iv/implied-vol.ts';
import type { SurfaceExpiryInput } from '../surface-types.ts';
import type { SmileQuote } from '../types.ts';
import type { ChainRow } from './chain-row.ts';

import { YEAR_MS as MS_PER_YEAR } from '../time.ts';

/** The latest row per instrument (by `ts`, ties: the later line), i.e. the chain snapshot. */
export function latestPerSymbol(rows: readonly ChainRow[]): ChainRow[] {
  const m = new Map<string, ChainRow>();
  for (const r of rows) {
    const cur = m.get(r.instrument);
    if (!cur || r.ts > cur.ts || (r.ts === cur.ts && r.line > cur.line)) m.set(r.instrument, r);
  }
  return [...m.values()];
}

/** Where the quotes' IVs come from. */
export type IvSource =
  /** recompute bid/ask IVs from coin prices: Black-76 on the row's forward (QUANT.md b8 practical rule) */
  | 'recompute'
  /** use the exchange's bid_iv/ask_iv (and mark_iv as mid only when both sides are missing: never) */
  | 'exchange';

function bump(m: Record<string, number>, key: string): void {
  m[key] = (m[key] ?? 0) + 1;
}

/**
 * Groups a chain snapshot into per-expiry fit inputs.
 *
 * - time: t = (expiry − snapshotTs)/(365 days) with snapshotTs the latest row time (ACT/365);
 *   IVs are computed at each row's own timestamp and forward (how Deribit marks, README of the data);
 * - forward per expiry: median of the rows' `underlying_price`; k = ln(K/F_row);
 * - one quote per strike: the out-of-the-money side (put below the forward, call at/above),
 *   since ITM option prices carry little vol information (`itm_side` is counted, not an error);
 * - vega: Black-76 vega per vol point in USD at the mid (or single-side) IV.
 *
 * Rows that cannot be used are counted by reason in `dropped` (`expired`, `itm_side`,
 * `other_underlying`, `no_quote`, `bid_below_intrinsic`, `ask_above_max`, …).
 */
export function buildExpiries({
  rows,
  underlying,
  ivSource = 'recompute',
  snapshotTs,
}: {
  rows: readonly ChainRow[];
  underlying?: string;
  ivSource?: IvSource;
  snapshotTs?: number;
}): { expiries: SurfaceExpiryInput[]; dropped: Record<string, number>; snapshotTs: number; underlying: string | null } {
  const dropped: Record<string, number> = {};
  const chosen = underlying ?? mostCommon(rows.map((r) => r.underlying));
  const use = rows.filter((r) => {
    if (r.underlying === chosen) return true;
    bump(dropped, 'other_underlying');
    return false;
  });
  const ts = snapshotTs ?? use.reduce((m, r) => Math.max(m, r.ts), Number.NEGATIVE_INFINITY);
  const byExpiry = new Map<number, ChainRow[]>();
  for (const r of use) {
    if (!(r.expiryTs > ts)) {
      bump(dropped, 'expired');
      continue;
    }
    if (!(r.forward > 0) || !(r.strike > 0)) {
      bump(dropped, 'bad_forward_or_strike');
      continue;
    }
    const list = byExpiry.get(r.expiryTs) ?? [];
    list.push(r);
    byExpiry.set(r.expiryTs, list);
  }
  const expiries: SurfaceExpiryInput[] = [];
  for (const [expiryTs, list] of [...byExpiry.entries()].sort((a, b) => a[0] - b[0])) {
    const forward = median(list.map((r) => r.forward));
    const t = (expiryTs - ts) / MS_PER_YEAR;
    const quotes: SmileQuote[] = [];
    for (const r of list.slice().sort((a, b) => a.strike - b.strike || Number(a.isCall) - Number(b.isCall))) {
      const otmIsCall = r.strike >= r.forward;
      if (r.isCall !== otmIsCall) {
        bump(dropped, 'itm_side');
        continue;
      }
      const tRow = (expiryTs - r.ts) / MS_PER_YEAR;
      let bidIv: number | null;
      let askIv: number | null;
      if (ivSource === 'exchange') {
        bidIv = r.bidPrice !== null ? r.bidIv : null;
        askIv = r.askPrice !== null ? r.askIv : null;
      } else {
        const iv = (price: number | null, side: 'bid' | 'ask'): number | null => {
          if (price === null) return null;
          const res = impliedVolFromCoin({ coinPrice: price, forward: r.forward, strike: r.strike, t: tRow, isCall: r.isCall });
          if (res.ok) return res.iv;
          bump(dropped, `${side}_${res.reason}`);
          return null;
        };
        bidIv = iv(r.bidPrice, 'bid');
        askIv = iv(r.askPrice, 'ask');
      }
      if (bidIv === null && askIv === null) {
        bump(dropped, 'no_quote');
        continue;
      }
      const ref = bidIv !== null && askIv !== null ? (bidIv + askIv) / 2 : (bidIv ?? askIv)!;
      const vega = black76Greeks({ forward: r.forward, strike: r.strike, t: tRow, sigma: ref, isCall: r.isCall }).vega;
      quotes.push({ k: Math.log(r.strike / r.forward), t, bidIv, askIv, midIv: null, vega, instrument: r.instrument });
    }
    expiries.push({ expiryTs, t, forward, quotes });
  }
  return { expiries, dropped, snapshotTs: ts, underlying: chosen ?? null };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? Number.NaN : n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function mostCommon(xs: readonly string[]): string | undefined {
  const c = new Map<string, number>();
  for (const x of xs) c.set(x, (c.get(x) ?? 0) + 1);
  let best: string | undefined;
  let n = 0;
  for (const [k, v] of c) if (v > n) { best = k; n = v; }
  return best;
}
