import { strikeForDelta } from './delta-strike.ts';
import { sviTotalVariance } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';

/** One slice of the term structure: time in years and raw SVI. */
export type TermSlice = { t: number; params: SviRaw };

/** Desk quantities at one fixed tenor (vols as fractions), or null outside the quoted range. */
export type TenorPoint = {
  days: number;
  /** tenor in years, days/365 */
  t: number;
  atmVol: number;
  rr25: number;
  bf25: number;
  rr10: number;
  bf10: number;
};

/** Fixed tenors published by default, in calendar days (Velo uses 7/30/90/180, QUANT.md b11). */
export const DEFAULT_TENOR_DAYS = [7, 30, 60, 90, 180] as const;

/**
 * Total variance at a fixed delta of one slice: w at the strike whose forward delta is `delta`
 * (call deltas in (0, 1), put deltas in (−1, 0); QUANT.md b10). NaN if no strike attains it.
 */
function wAtDelta(s: TermSlice, delta: number): number {
  const k = strikeForDelta({ params: s.params, delta });
  return Number.isFinite(k) ? sviTotalVariance(s.params, k) : Number.NaN;
}

/**
 * Desk metrics at fixed tenors, interpolated LINEARLY IN TOTAL VARIANCE between the two expiries
 * bracketing each tenor (QUANT.md b11 [OX2, VS1]); never extrapolated in time (Kaiko, b11): a
 * tenor before the first or after the last expiry is null.
 *
 * Convention (documented choice): ATM is interpolated at fixed k = 0 (ATM-forward), the 25Δ and
 * 10Δ wings at FIXED DELTA: each slice's vol at the forward-delta strike gives w = σ²t, which is
 * interpolated in t; RR = σ(ΔC) − σ(ΔP), BF = (σ(ΔC) + σ(ΔP))/2 − σ_ATM (FX convention, b10).
 *
 * @param slices published slices (any order; t in years)
 * @param days tenors in calendar days
 * @example fixedTenors({ slices, days: [30] })[0]?.atmVol
 */
export function fixedTenors({
  slices,
  days = DEFAULT_TENOR_DAYS,
}: {
  slices: readonly TermSlice[];
  days?: readonly number[];
}): (TenorPoint | null)[] {
  const sorted = slices.filter((s) => s.t > 0).slice().sort((a, b) => a.t - b.t);
  return days.map((d) => {
    const T = d / 365;
    const first = sorted[0];
    const lastS = sorted[sorted.length - 1];
    if (!first || !lastS || T < first.t || T > lastS.t) return null;
    let j = sorted.findIndex((s) => s.t >= T);
    if (j <= 0) j = Math.min(1, sorted.length - 1);
    const s2 = sorted[j]!;
    const s1 = sorted[j - 1] ?? s2;
    // Weight of the later slice; exact hits use that slice alone.
    const lam = s2.t === s1.t ? 1 : (T - s1.t) / (s2.t - s1.t);
    const volFrom = (w1: number, w2: number): number => {
      const w = (1 - lam) * w1 + lam * w2;
      return w >= 0 ? Math.sqrt(w / T) : Number.NaN;
    };
    const at = (f: (s: TermSlice) => number): number => volFrom(lam === 1 ? 0 : f(s1), lam === 0 ? 0 : f(s2));
    const atmVol = at((s) => sviTotalVariance(s.params, 0));
    const c25 = at((s) => wAtDelta(s, 0.25));
    const p25 = at((s) => wAtDelta(s, -0.25));
    const c10 = at((s) => wAtDelta(s, 0.1));
    const p10 = at((s) => wAtDelta(s, -0.1));
    return {
      days: d,
      t: T,
      atmVol,
      rr25: c25 - p25,
      bf25: (c25 + p25) / 2 - atmVol,
      rr10: c10 - p10,
      bf10: (c10 + p10) / 2 - atmVol,
    };
  });
}
