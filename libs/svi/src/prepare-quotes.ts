import { normPdf } from './normal.ts';
import type { SmileQuote, Weighting } from './types.ts';

/** Filter settings; defaults follow QUANT.md b6/b12 (volsurf, volx). */
export type QuoteFilterOptions = {
  /** drop a quote whose (ask − bid)/mid exceeds this (volx uses 0.30 on prices; vols are tighter) */
  maxRelSpread?: number;
  /** vol-cliff pre-filter: walking out from ATM, a mid vol that falls by more than this share
   *  below its inner neighbour, and everything beyond it, is dropped (volsurf: 50%) */
  cliffDrop?: number;
  /** smallest half-spread used for spread weighting, vol fraction (avoids 1/0 on locked quotes) */
  minHalfSpread?: number;
};

/** One quote ready for fitting: vols as fractions, weights in vol-residual space. */
export type PreparedQuote = {
  k: number;
  mid: number;
  bid: number | null;
  ask: number | null;
  /** vega weight (normalised to sum 1 over the kept quotes) */
  vegaWeight: number;
  /** fit weight of the squared *vol* residual (normalised to sum 1) */
  fitWeight: number;
  instrument?: string;
};

const DEFAULTS: Required<QuoteFilterOptions> = { maxRelSpread: 0.5, cliffDrop: 0.5, minHalfSpread: 0.0025 };

function bump(dropped: Record<string, number>, reason: string): void {
  dropped[reason] = (dropped[reason] ?? 0) + 1;
}

const ok = (v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0;

/**
 * Filters one expiry's quotes and computes their weights.
 *
 * Drop reasons (counted in `dropped`, and per input quote in `reasons`): `invalid` (non-finite k), `no_iv` (no side has an IV:
 * below-intrinsic prices arrive here as null IVs), `crossed` (bidIv > askIv), `one_sided`
 * (no mid can be formed, or spread weighting needs both sides), `too_wide`, `vol_cliff`.
 *
 * Vega weight: the quotes' own `vega` when every kept quote has one (one currency per expiry),
 * else the forward Black vega per unit forward √t·φ(d₁) from the mid vol (QUANT.md b7: vega
 * weighting of rows). Spread weight: 1/half-spread² (χ² metric, QUANT.md b7 [VD1, KA3]).
 *
 * @param t time to expiry in years
 */
export function prepareQuotes({
  quotes,
  t,
  weighting,
  options,
}: {
  quotes: readonly SmileQuote[];
  t: number;
  weighting: Weighting;
  options?: QuoteFilterOptions;
}): { kept: PreparedQuote[]; dropped: Record<string, number>; reasons: (string | null)[] } {
  const o = { ...DEFAULTS, ...options };
  const dropped: Record<string, number> = {};
  // Why each input quote was left out (null: kept), aligned with `quotes`.
  const reasons: (string | null)[] = quotes.map(() => null);
  const stage: (PreparedQuote & { vega: number | null; idx: number })[] = [];
  const drop = (idx: number, reason: string) => {
    bump(dropped, reason);
    reasons[idx] = reason;
  };
  for (const [idx, q] of quotes.entries()) {
    if (!Number.isFinite(q.k)) {
      drop(idx, 'invalid');
      continue;
    }
    const bid = ok(q.bidIv) ? q.bidIv : null;
    const ask = ok(q.askIv) ? q.askIv : null;
    const given = ok(q.midIv) ? q.midIv : null;
    if (bid === null && ask === null && given === null) {
      drop(idx, 'no_iv');
      continue;
    }
    if (bid !== null && ask !== null && bid > ask) {
      drop(idx, 'crossed');
      continue;
    }
    const both = bid !== null && ask !== null;
    if ((weighting === 'spread' && !both) || (!both && given === null)) {
      drop(idx, 'one_sided');
      continue;
    }
    const mid = given ?? ((bid ?? 0) + (ask ?? 0)) / 2;
    if (both && (ask - bid) / mid > o.maxRelSpread) {
      drop(idx, 'too_wide');
      continue;
    }
    const entry: PreparedQuote & { vega: number | null; idx: number } = {
      k: q.k, mid, bid, ask, vegaWeight: 0, fitWeight: 0, vega: q.vega, idx,
    };
    if (q.instrument !== undefined) entry.instrument = q.instrument;
    stage.push(entry);
  }
  stage.sort((x, y) => x.k - y.k);
  const kept = dropVolCliffs(stage, o.cliffDrop, drop);
  const ownVega = kept.length > 0 && kept.every((q) => q.vega !== null && Number.isFinite(q.vega) && q.vega > 0);
  const sqrtT = Math.sqrt(t);
  let vSum = 0;
  let fSum = 0;
  for (const q of kept) {
    const s = q.mid * sqrtT;
    q.vegaWeight = ownVega ? (q.vega ?? 0) : sqrtT * normPdf(-q.k / s + s / 2);
    vSum += q.vegaWeight;
    if (weighting === 'spread') {
      const h = Math.max(((q.ask ?? 0) - (q.bid ?? 0)) / 2, o.minHalfSpread);
      q.fitWeight = 1 / (h * h);
    } else q.fitWeight = q.vegaWeight;
    fSum += q.fitWeight;
  }
  return {
    kept: kept.map(({ vega: _v, idx: _i, ...rest }) => ({
      ...rest,
      vegaWeight: vSum > 0 ? rest.vegaWeight / vSum : 1 / kept.length,
      fitWeight: fSum > 0 ? rest.fitWeight / fSum : 1 / kept.length,
    })),
    dropped,
    reasons,
  };
}

/** Vol-cliff pre-filter (volsurf, QUANT.md b6): walking outward from the quote nearest ATM,
 *  a mid that falls below (1 − cliffDrop)× its inner neighbour marks cabinet-price quotes;
 *  that quote and everything beyond it on that wing are dropped. Input sorted by k. */
function dropVolCliffs<T extends { k: number; mid: number; idx: number }>(
  sorted: T[],
  cliffDrop: number,
  drop: (idx: number, reason: string) => void,
): T[] {
  if (sorted.length === 0) return sorted;
  let atm = 0;
  for (let i = 1; i < sorted.length; i++) if (Math.abs(sorted[i]!.k) < Math.abs(sorted[atm]!.k)) atm = i;
  let hi = sorted.length - 1;
  for (let i = atm + 1; i < sorted.length; i++) {
    if (sorted[i]!.mid < (1 - cliffDrop) * sorted[i - 1]!.mid) {
      hi = i - 1;
      break;
    }
  }
  let lo = 0;
  for (let i = atm - 1; i >= 0; i--) {
    if (sorted[i]!.mid < (1 - cliffDrop) * sorted[i + 1]!.mid) {
      lo = i + 1;
      break;
    }
  }
  for (let i = 0; i < lo; i++) drop(sorted[i]!.idx, 'vol_cliff');
  for (let i = hi + 1; i < sorted.length; i++) drop(sorted[i]!.idx, 'vol_cliff');
  return sorted.slice(lo, hi + 1);
}
