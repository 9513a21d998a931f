import { ssviToRaw } from './ssvi.ts';
import { sviImpliedVol } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';
import type { SurfaceExpiryInput } from './surface-types.ts';
import type { SmileQuote } from './types.ts';

/**
 * Seeded PRNG (mulberry32, public domain, T. Ettinger 2017): deterministic uniform [0, 1).
 * Randomness is passed in, never read from Math.random (STYLE habit 2).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A power-law SSVI surface: θ(t) = σ_atm(t)²·t, φ(θ) = η/(θ^γ(1 + θ)^{1−γ}), constant ρ. */
export type SyntheticSurfaceSpec = {
  /** expiries in years, increasing */
  ts: readonly number[];
  /** ATM vol per expiry (fractions); θ = σ²t must be non-decreasing */
  atmVols: readonly number[];
  rho: number;
  /** η(1 + |ρ|) ≤ 2 keeps the surface free of static arbitrage (GJ 2014 Remark 4.4 / Cor. 4.1) */
  eta: number;
  /** 0 < γ ≤ ½ (GJ 2014 §4.3) */
  gamma: number;
};

/** Raw SVI slices of a power-law SSVI surface (GJ 2014 §4.3; QUANT.md b4), arbitrage-free by construction. */
export function syntheticSurface(spec: SyntheticSurfaceSpec): { t: number; params: SviRaw }[] {
  return spec.ts.map((t, i) => {
    const v = spec.atmVols[i] ?? spec.atmVols[spec.atmVols.length - 1] ?? 0.6;
    const theta = v * v * t;
    const phi = spec.eta / (theta ** spec.gamma * (1 + theta) ** (1 - spec.gamma));
    return { t, params: ssviToRaw({ theta, rho: spec.rho, phi }) };
  });
}

/**
 * A noisy quote chain from known slices: `strikes` evenly spaced over ±`width` ATM standard
 * deviations (√w(0)). Each quote's mid is the true vol plus seeded noise h·midNoise·U(−1, 1)
 * and its half-spread is h·U(0.75, 1.25), with h = halfSpread·(1 + |z|/2) widening in the
 * wings, so the true vol always lies inside [bid, ask] when midNoise < 0.75. Vega is the
 * forward Black vega per vol point in the currency of `forward`.
 */
export function syntheticChain({
  slices,
  rand,
  forward = 10_000,
  expiryTs0 = 1_700_000_000_000,
  strikes = 31,
  width = 3,
  halfSpread = 0.01,
  midNoise = 0.25,
}: {
  slices: readonly { t: number; params: SviRaw }[];
  rand: () => number;
  forward?: number;
  expiryTs0?: number;
  strikes?: number;
  width?: number;
  /** ATM half-spread, vol fraction (0.01 = 1 vol point) */
  halfSpread?: number;
  /** mid noise as a share of the half-spread (default 0.25) */
  midNoise?: number;
}): SurfaceExpiryInput[] {
  return slices.map(({ t, params }) => {
    const sd = Math.sqrt(Math.max(sviImpliedVol(params, 0, t) ** 2 * t, 1e-8));
    const quotes: SmileQuote[] = [];
    for (let i = 0; i < strikes; i++) {
      const z = -width + (2 * width * i) / (strikes - 1);
      const k = z * sd;
      const v = sviImpliedVol(params, k, t);
      const h = halfSpread * (1 + 0.5 * Math.abs(z));
      const mid = v + h * midNoise * (2 * rand() - 1);
      const half = h * (0.75 + 0.5 * rand());
      const bid = mid - half;
      const ask = mid + half;
      const s = v * Math.sqrt(t);
      const d1 = -k / s + s / 2;
      const vega = (forward * Math.sqrt(t) * Math.exp(-0.5 * d1 * d1)) / Math.sqrt(2 * Math.PI) / 100;
      quotes.push({ k, t, bidIv: bid, askIv: ask, midIv: null, vega, instrument: `SYN-${t.toFixed(4)}-${i}` });
    }
    return { expiryTs: expiryTs0 + Math.round(t * 365 * 86_400_000), t, forward, quotes };
  });
}

/** 13 Deribit-like expiries (days): dailies, weeklies, monthlies and quarterlies. */
export const DERIBIT_LIKE_DAYS = [1, 2, 3, 7, 14, 21, 28, 56, 91, 119, 182, 273, 364] as const;
