import type { SviRaw } from './svi-raw.ts';

/** One SSVI slice: ATM total variance θ, correlation ρ and curvature φ = φ(θ). */
export type SsviSlice = {
  /** ATM total variance θ_t = w(0), > 0 */
  theta: number;
  /** correlation, |ρ| < 1 */
  rho: number;
  /** curvature φ(θ_t) > 0, in 1/k units */
  phi: number;
};

/**
 * Total variance of an SSVI slice.
 *
 * w(k) = (θ/2)·[1 + ρφk + √((φk + ρ)² + 1 − ρ²)]   (Gatheral & Jacquier 2014, eq. 4.1; QUANT.md b4)
 *
 * @example ssviTotalVariance({ theta: 0.04, rho: 0, phi: 1 }, 0) // 0.04
 */
export function ssviTotalVariance(s: SsviSlice, k: number): number {
  const x = s.phi * k + s.rho;
  return (s.theta / 2) * (1 + s.rho * s.phi * k + Math.sqrt(x * x + 1 - s.rho * s.rho));
}

/**
 * The raw SVI parameters of an SSVI slice (exact identity).
 *
 * a = θ/2·(1 − ρ²), b = θφ/2, ρ = ρ, m = −ρ/φ, σ = √(1 − ρ²)/φ
 * (Gatheral & Jacquier 2014, §4 / Lemma 3.3 with the natural→raw map; QUANT.md b5)
 *
 * @example ssviToRaw({ theta: 0.04, rho: 0, phi: 1 }) // { a: 0.02, b: 0.02, rho: 0, m: 0, sigma: 1 }
 */
export function ssviToRaw(s: SsviSlice): SviRaw {
  const r2 = 1 - s.rho * s.rho;
  return {
    a: (s.theta / 2) * r2,
    b: (s.theta * s.phi) / 2,
    rho: s.rho,
    m: s.rho === 0 ? 0 : -s.rho / s.phi,
    sigma: Math.sqrt(r2) / s.phi,
  };
}

/**
 * Largest φ that keeps an SSVI slice free of butterfly arbitrage by the GJ sufficient
 * conditions θφ(1 + |ρ|) < 4 and θφ²(1 + |ρ|) ≤ 4 (GJ 2014 Thm 4.2; QUANT.md b4), and
 * within Lee's bound: wing slope θφ(1 + |ρ|)/2 ≤ 2 is the first condition.
 * `shrink` < 1 keeps a strict margin.
 */
export function ssviMaxPhi({ theta, rho, shrink = 1 - 1e-9 }: { theta: number; rho: number; shrink?: number }): number {
  const q = theta * (1 + Math.abs(rho));
  return shrink * Math.min(4 / q, Math.sqrt(4 / q));
}
