import { black76Price } from './black76.ts';
import { sviTotalVariance } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';

/** One expiry's model-free variance from a fitted smile. */
export type ModelFreeVariance = {
  t: number;
  /** σ²_T, annualised variance (fraction²) */
  variance: number;
};

/**
 * Model-free (VIX-style) variance of one expiry from its fitted smile, r = 0 (DVOL convention):
 *
 * σ²_T = (2/T)·Σᵢ (ΔKᵢ/Kᵢ²)·Q(Kᵢ) − (1/T)·(F/K₀ − 1)²   (Cboe VIX white paper; QUANT.md b12)
 *
 * Q is the undiscounted OTM price (puts below K₀, calls above, their average at K₀) priced from
 * the fitted smile on a strike grid K = F·e^k, k uniform on [−kWidth, kWidth] (n = 1601 points, odd, so k = 0 is
 * a grid point: K₀ = F and the correction term vanishes). Working in units of F:
 * ΔK/K²·Q = Δk·e^{−k}·(Q/F). kWidth defaults to 10√w(0) (ten ATM standard deviations), so the
 * truncation is negligible and the step is 1/40 of a standard deviation.
 *
 * @param t time to expiry in years
 */
export function modelFreeVariance({
  params,
  t,
  n = 1601,
  kWidth,
}: {
  params: SviRaw;
  t: number;
  n?: number;
  kWidth?: number;
}): ModelFreeVariance {
  const w0 = sviTotalVariance(params, 0);
  const width = kWidth ?? 10 * Math.sqrt(Math.max(w0, 1e-12));
  const m = n % 2 === 1 ? n : n + 1;
  const dk = (2 * width) / (m - 1);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const k = -width + i * dk;
    const w = sviTotalVariance(params, k);
    const sigma = Math.sqrt(Math.max(w, 0) / t);
    const strike = Math.exp(k);
    let q: number;
    if (i === (m - 1) / 2) {
      // K₀ = F: average of call and put (equal at the forward).
      q = 0.5 * (black76Price({ forward: 1, strike, t, sigma, isCall: true }) + black76Price({ forward: 1, strike, t, sigma, isCall: false }));
    } else {
      q = black76Price({ forward: 1, strike, t, sigma, isCall: k > 0 });
    }
    // Cboe ΔK: half the gap between neighbours (one-sided at the ends); here in k, × K for ΔK.
    const dki = i === 0 || i === m - 1 ? dk / 2 : dk;
    sum += dki * Math.exp(-k) * q;
  }
  return { t, variance: (2 / t) * sum };
}

/** A 30-day model-free vol index value (vol points, like DVOL/VIX) and the expiries used. */
export type VolIndex = { value: number; near: { t: number; variance: number }; next: { t: number; variance: number } };

/**
 * 30-day DVOL/VIX-style index from a fitted surface (QUANT.md b12): model-free variance of the
 * near (largest expiry with 7d ≤ t ≤ 30d) and next (smallest expiry with t > 30d) expiries,
 * interpolated linearly in total variance σ²T to 30 days, index = 100·√σ²₃₀. Time in years
 * (equivalent to Cboe's minutes: the ratio (N₂ − N₃₀)/(N₂ − N₁) is unit-free).
 * Null when 30 days is not bracketed so (no extrapolation in time, b11).
 *
 * @example volIndex30d({ slices }) // { value: 74.2, near, next }
 */
export function volIndex30d({
  slices,
  days = 30,
  minNearDays = 7,
}: {
  slices: readonly { t: number; params: SviRaw }[];
  days?: number;
  minNearDays?: number;
}): VolIndex | null {
  const T = days / 365;
  const sorted = slices.slice().sort((a, b) => a.t - b.t);
  const near = sorted.filter((s) => s.t >= minNearDays / 365 && s.t <= T).pop();
  const next = sorted.find((s) => s.t > T);
  if (!near || !next) return null;
  const v1 = modelFreeVariance({ params: near.params, t: near.t });
  const v2 = modelFreeVariance({ params: next.params, t: next.t });
  const lam = (T - near.t) / (next.t - near.t);
  const w = (1 - lam) * v1.variance * near.t + lam * v2.variance * next.t;
  if (!(w >= 0)) return null;
  return { value: 100 * Math.sqrt(w / T), near: v1, next: v2 };
}
