import type { SviRaw } from './svi-raw.ts';

/**
 * Natural SVI (GJ 2014 §3.2):
 * w(k) = Δ + (ω/2)·[1 + ζρ(k − μ) + √((ζ(k − μ) + ρ)² + 1 − ρ²)]
 */
export type SviNatural = { delta: number; mu: number; rho: number; omega: number; zeta: number };

/**
 * Natural → raw SVI (Gatheral & Jacquier 2014, Lemma 3.1 / eq. 3.3):
 * a = Δ + ω/2·(1 − ρ²), b = ωζ/2, ρ = ρ, m = μ − ρ/ζ, σ = √(1 − ρ²)/ζ.
 * @example naturalToRaw({ delta: 0, mu: 0, rho: 0, omega: 0.04, zeta: 1 }) // { a: 0.02, b: 0.02, rho: 0, m: 0, sigma: 1 }
 */
export function naturalToRaw(n: SviNatural): SviRaw {
  const r = Math.sqrt(1 - n.rho * n.rho);
  return {
    a: n.delta + (n.omega / 2) * (1 - n.rho * n.rho),
    b: (n.omega * n.zeta) / 2,
    rho: n.rho,
    m: n.mu - n.rho / n.zeta,
    sigma: r / n.zeta,
  };
}

/**
 * Raw → natural SVI, the inverse of {@link naturalToRaw} (GJ 2014 Lemma 3.1):
 * ω = 2bσ/√(1 − ρ²), Δ = a − ω/2·(1 − ρ²), μ = m + ρσ/√(1 − ρ²), ζ = √(1 − ρ²)/σ.
 */
export function rawToNatural(p: SviRaw): SviNatural {
  const r = Math.sqrt(1 - p.rho * p.rho);
  const omega = (2 * p.b * p.sigma) / r;
  return {
    delta: p.a - (omega / 2) * (1 - p.rho * p.rho),
    mu: p.m + (p.rho * p.sigma) / r,
    rho: p.rho,
    omega,
    zeta: r / p.sigma,
  };
}
