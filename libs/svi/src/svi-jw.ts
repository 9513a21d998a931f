import type { SviRaw } from './svi-raw.ts';

/**
 * SVI jump-wings parameters of a slice at time t (GJ 2014 §3.3; QUANT.md b1), trader-readable:
 * ATM variance v, ATM skew ψ, put wing p, call wing c, minimum variance ṽ (variances per year).
 */
export type SviJumpWings = { v: number; psi: number; p: number; c: number; vTilde: number };

/**
 * Raw → SVI-JW (Gatheral & Jacquier 2014, eq. 3.5):
 * v = (a + b(−ρm + √(m² + σ²)))/t, w = v·t, ψ = b/(2√w)·(ρ − m/√(m² + σ²)),
 * p = b(1 − ρ)/√w, c = b(1 + ρ)/√w, ṽ = (a + bσ√(1 − ρ²))/t.
 * @param t time to expiry in years
 */
export function rawToJumpWings(q: SviRaw, t: number): SviJumpWings {
  const r = Math.sqrt(q.m * q.m + q.sigma * q.sigma);
  const w = q.a + q.b * (-q.rho * q.m + r);
  const sw = Math.sqrt(w);
  return {
    v: w / t,
    psi: (q.b / (2 * sw)) * (q.rho - q.m / r),
    p: (q.b * (1 - q.rho)) / sw,
    c: (q.b * (1 + q.rho)) / sw,
    vTilde: (q.a + q.b * q.sigma * Math.sqrt(1 - q.rho * q.rho)) / t,
  };
}

/**
 * SVI-JW → raw (Gatheral & Jacquier 2014, Lemma 3.2):
 * b = √w/2·(c + p), ρ = 1 − p√w/b, β = ρ − 2ψ√w/b, α = sign(β)·√(1/β² − 1),
 * m = (v − ṽ)t / (b·(−ρ + sign(α)√(1 + α²) − α√(1 − ρ²))), σ = αm, a = ṽt − bσ√(1 − ρ²).
 * β = m/√(m² + σ²), so m = 0 (β = 0) is the limit case: then σ = (v − ṽ)t/(b(1 − √(1 − ρ²))),
 * which is undetermined when also ρ = 0 (v = ṽ: JW does not identify σ there) → NaN.
 * @param t time to expiry in years
 */
export function jumpWingsToRaw(j: SviJumpWings, t: number): SviRaw {
  const w = j.v * t;
  const sw = Math.sqrt(w);
  const b = (sw / 2) * (j.c + j.p);
  const rho = 1 - (j.p * sw) / b;
  const beta = rho - (2 * j.psi * sw) / b;
  const s1r = Math.sqrt(1 - rho * rho);
  if (beta === 0) {
    const sigma = ((j.v - j.vTilde) * t) / (b * (1 - s1r));
    return { a: j.vTilde * t - b * sigma * s1r, b, rho, m: 0, sigma };
  }
  const alpha = Math.sign(beta) * Math.sqrt(1 / (beta * beta) - 1);
  const m = ((j.v - j.vTilde) * t) / (b * (-rho + Math.sign(alpha) * Math.sqrt(1 + alpha * alpha) - alpha * s1r));
  const sigma = alpha * m;
  return { a: j.vTilde * t - b * sigma * s1r, b, rho, m, sigma };
}
