import { strikeForDelta } from './delta-strike.ts';
import { sviImpliedVol, sviTotalVariance, sviW1 } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';

/** Desk quantities of one smile; all vols are fractions (0.05 = 5 vol points). */
export type SmileMetrics = {
  /** ATM-forward vol σ(k = 0) */
  atmVol: number;
  /** σ(25Δ call) − σ(25Δ put); negative = puts richer (Derivasys/Amberdata/FX sign) */
  rr25: number;
  /** (σ(25Δ call) + σ(25Δ put))/2 − σ_ATM (FX smile-strangle convention, NOT Amberdata's 2×) */
  bf25: number;
  rr10: number;
  bf10: number;
  /** dσ/dk at k = 0, vol fraction per unit of log-moneyness */
  skew: number;
};

/**
 * ATM vol, 25Δ/10Δ risk reversals and butterflies, and ATM skew of a raw SVI slice.
 *
 * ATM is ATM-forward (k = 0). Deltas are undiscounted forward Black deltas, Δ_C = N(d₁),
 * Δ_P = N(d₁) − 1; the strike of a delta is found by a root find (QUANT.md b10).
 * RR = σ(ΔC) − σ(ΔP), BF = (σ(ΔC) + σ(ΔP))/2 − σ_ATM (QUANT.md b10, FX convention [FX1]).
 * skew = dσ/dk(0) = w′(0)/(2√(w(0)·t))  (chain rule on σ = √(w/t)).
 * A delta that no strike attains gives NaN for the quantities that need it.
 *
 * @param t time to expiry in years
 * @example
 * smileMetrics({ a: 0.04, b: 0, rho: 0, m: 0, sigma: 0.1 }, 1) // atmVol 0.2, rr/bf 0, skew 0
 */
export function smileMetrics(p: SviRaw, t: number): SmileMetrics {
  const atmVol = sviImpliedVol(p, 0, t);
  const volAtDelta = (delta: number): number => {
    const k = strikeForDelta({ params: p, delta });
    return Number.isFinite(k) ? sviImpliedVol(p, k, t) : Number.NaN;
  };
  const c25 = volAtDelta(0.25);
  const p25 = volAtDelta(-0.25);
  const c10 = volAtDelta(0.1);
  const p10 = volAtDelta(-0.1);
  const w0 = sviTotalVariance(p, 0);
  const skew = w0 > 0 && t > 0 ? sviW1(p, 0) / (2 * Math.sqrt(w0 * t)) : Number.NaN;
  return {
    atmVol,
    rr25: c25 - p25,
    bf25: (c25 + p25) / 2 - atmVol,
    rr10: c10 - p10,
    bf10: (c10 + p10) / 2 - atmVol,
    skew,
  };
}
