/**
 * Raw SVI in total implied variance, the slice parameterisation every other module maps to.
 *
 *   w(k) = a + b·[ρ(k − m) + √((k − m)² + σ²)]
 *
 * with k = ln(K/F_T) the forward log-moneyness and w = σ_BS²·T the total implied variance
 * (Gatheral 2004; Gatheral & Jacquier 2014, "Arbitrage-free SVI volatility surfaces", eq. 3.1).
 * `a` may be negative: only the minimum a + bσ√(1 − ρ²) must be ≥ 0 (QUANT.md b1).
 */
export type SviRaw = {
  /** level of total variance (may be negative) */
  a: number;
  /** wing slope scale, ≥ 0 */
  b: number;
  /** rotation / skew, in (−1, 1) */
  rho: number;
  /** horizontal shift of the vertex, in k units */
  m: number;
  /** vertex smoothness, > 0, in k units (NOT a volatility) */
  sigma: number;
};

/**
 * Total implied variance of a raw SVI slice.
 *
 * w(k) = a + b·[ρ(k − m) + √((k − m)² + σ²)]   (Gatheral & Jacquier 2014, eq. 3.1)
 *
 * @param p raw SVI parameters (total-variance units)
 * @param k forward log-moneyness ln(K/F)
 * @returns w, total variance σ_BS²·T
 * @example
 * sviTotalVariance({ a: 0.04, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, 0) // 0.05
 */
export function sviTotalVariance(p: SviRaw, k: number): number {
  const x = k - p.m;
  return p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
}

/**
 * First derivative dw/dk of a raw SVI slice.
 *
 * w′(k) = b·[ρ + (k − m)/√((k − m)² + σ²)]   (GJ 2014 §3; QUANT.md b1)
 *
 * @example
 * sviW1({ a: 0.04, b: 0.1, rho: -0.5, m: 0, sigma: 0.1 }, 0) // -0.05
 */
export function sviW1(p: SviRaw, k: number): number {
  const x = k - p.m;
  return p.b * (p.rho + x / Math.sqrt(x * x + p.sigma * p.sigma));
}

/**
 * Second derivative d²w/dk² of a raw SVI slice (always ≥ 0: SVI is convex in k).
 *
 * w″(k) = b·σ² / ((k − m)² + σ²)^{3/2}   (GJ 2014 §3; QUANT.md b1)
 *
 * @example
 * sviW2({ a: 0.04, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, 0) // 1
 */
export function sviW2(p: SviRaw, k: number): number {
  const x = k - p.m;
  const r2 = x * x + p.sigma * p.sigma;
  return (p.b * p.sigma * p.sigma) / (r2 * Math.sqrt(r2));
}

/**
 * Black implied volatility of a raw SVI slice at log-moneyness k.
 *
 * σ_BS(k) = √(w(k)/T)   (definition of total variance; QUANT.md b1)
 *
 * Returns NaN when w(k) < 0 or t ≤ 0 (an invalid slice), never throws.
 * @param t time to expiry in years
 * @example
 * sviImpliedVol({ a: 0.04, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, 0, 0.5) // √0.1 ≈ 0.3162
 */
export function sviImpliedVol(p: SviRaw, k: number, t: number): number {
  const w = sviTotalVariance(p, k);
  if (!(w >= 0) || !(t > 0)) return Number.NaN;
  return Math.sqrt(w / t);
}
