/**
 * The true (known, arbitrage-free) surface: SSVI with a power-law φ, sliced per expiry into raw SVI.
 */
import { ssviToRaw, sviTotalVariance } from '@volstream/svi';
import type { Expiry, Market, Slice, SurfaceParams } from './types.ts';

export { YEAR_MS } from '@volstream/svi'; // ACT/365, Deribit's IV convention (EXCHANGES.md §1.9)
import { YEAR_MS } from '@volstream/svi';

/**
 * ATM vol term structure σ_ATM(t) = σ∞ + (σ₀ − σ∞)·e^{−t/τ}.
 * θ_t = σ_ATM(t)²·t is increasing in t whenever σ∞ > 0.45·(σ₀ − σ∞) (derived: the minimum of
 * e^{−x}(1 − 2x) is −2e^{−1.5}); the bounds in specs.ts keep σ₀/σ∞ < 1.7, far inside that.
 */
export function atmVol(s: SurfaceParams, t: number): number {
  return s.atmLong + (s.atmShort - s.atmLong) * Math.exp(-t / s.tau);
}

/**
 * Power-law φ(θ) = η / (θ^γ·(1 + θ)^{1−γ})  (Gatheral & Jacquier 2014, §4; QUANT.md b4 [WL1]).
 * Free of static arbitrage for η(1 + |ρ|) ≤ 2 and 0 < γ ≤ ½ (GJ 2014 §4; checked by
 * surface.unit.test.ts: g(k) ≥ 0 and ∂_t w ≥ 0 on grids).
 */
export function powerLawPhi(s: SurfaceParams, theta: number): number {
  return s.eta / (Math.pow(theta, s.gamma) * Math.pow(1 + theta, 1 - s.gamma));
}

/**
 * One expiry's slice at wall time `nowMs`, or null once expired.
 * F_T = S·exp(b·t); raw SVI by the exact SSVI → raw identity
 * a = θ/2(1 − ρ²), b = θφ/2, m = −ρ/φ, σ = √(1 − ρ²)/φ (GJ 2014, §4; `ssviToRaw` in @volstream/svi).
 */
export function sliceAt({ market, expiryTs, nowMs }: { market: Market; expiryTs: number; nowMs: number }): Slice | null {
  const t = (expiryTs - nowMs) / YEAR_MS;
  if (!(t > 0)) return null;
  const s = market.surface;
  const vol = atmVol(s, t);
  const theta = vol * vol * t;
  const phi = powerLawPhi(s, theta);
  return {
    expiryTs,
    t,
    forward: market.spot * Math.exp(market.basis * t),
    theta,
    phi,
    params: ssviToRaw({ theta, rho: s.rho, phi }),
  };
}

export function slicesAt({ market, expiries, nowMs }: { market: Market; expiries: readonly Expiry[]; nowMs: number }): (Slice | null)[] {
  return expiries.map((e) => sliceAt({ market, expiryTs: e.ts, nowMs }));
}

/** Truth implied vol at strike K: σ = √(w(k)/t), k = ln(K/F). */
export function sliceVol(slice: Slice, strike: number): number {
  const k = Math.log(strike / slice.forward);
  return Math.sqrt(sviTotalVariance(slice.params, k) / slice.t);
}
