import { sviTotalVariance, sviW1, sviW2 } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';

/**
 * Gatheral–Jacquier density function g(k) of a raw SVI slice; the slice is free of
 * butterfly arbitrage iff g(k) ≥ 0 for all k (and w → ∞ in the wings; Lee's bound keeps d₊ → −∞).
 *
 * g(k) = (1 − k·w′/(2w))² − (w′²/4)·(1/w + 1/4) + w″/2
 * (Gatheral & Jacquier 2014, Lemma 2.2 / eq. 2.1; QUANT.md b2)
 *
 * Returns −Infinity where w(k) ≤ 0 (the density is undefined: treat as arbitrage).
 * @param k forward log-moneyness
 * @example
 * butterflyG({ a: 0.04, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, 0) // 1 − 0 + 1/2 = 1.5
 */
export function butterflyG(p: SviRaw, k: number): number {
  const w = sviTotalVariance(p, k);
  if (!(w > 0)) return Number.NEGATIVE_INFINITY;
  const w1 = sviW1(p, k);
  const w2 = sviW2(p, k);
  const u = 1 - (k * w1) / (2 * w);
  return u * u - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

/**
 * Minimum of g(k) over an evenly spaced grid of n ≥ 2 points on [kMin, kMax] (QUANT.md b2:
 * "scan g on a dense k-grid that covers at least the listed strikes, with margin").
 *
 * @returns { minG, kAtMin } (minG = +Infinity for an empty grid)
 * @example
 * minButterflyG({ a: 0.04, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, -1, 1, 101).minG > 0 // true
 */
export function minButterflyG(
  p: SviRaw,
  kMin: number,
  kMax: number,
  n: number,
): { minG: number; kAtMin: number } {
  let minG = Number.POSITIVE_INFINITY;
  let kAtMin = Number.NaN;
  const count = Math.max(2, Math.floor(n));
  const step = (kMax - kMin) / (count - 1);
  for (let i = 0; i < count; i++) {
    const k = i === count - 1 ? kMax : kMin + i * step;
    const g = butterflyG(p, k);
    // `!(g >= minG)` also catches NaN, which must count as a failure, not be skipped.
    if (!(g >= minG)) {
      minG = Number.isNaN(g) ? Number.NEGATIVE_INFINITY : g;
      kAtMin = k;
    }
  }
  return { minG, kAtMin };
}
