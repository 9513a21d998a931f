import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sviImpliedVol, sviTotalVariance, sviW1, sviW2 } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';

/** Valid raw SVI slices: b ≥ 0, |ρ| < 1, σ > 0, a ≥ −bσ√(1 − ρ²) (QUANT.md b1). */
export const arbSviRaw = fc
  .record({
    b: fc.double({ min: 0, max: 1, noNaN: true }),
    rho: fc.double({ min: -0.99, max: 0.99, noNaN: true }),
    m: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
    sigma: fc.double({ min: 0.01, max: 1, noNaN: true }),
    lift: fc.double({ min: 0, max: 0.5, noNaN: true }),
  })
  .map(({ b, rho, m, sigma, lift }): SviRaw => ({ a: lift - b * sigma * Math.sqrt(1 - rho * rho), b, rho, m, sigma }));

describe('raw SVI', () => {
  const p: SviRaw = { a: 0.04, b: 0.1, rho: -0.5, m: 0.1, sigma: 0.2 };

  it('evaluates w(k) = a + b(ρ(k − m) + √((k − m)² + σ²)) at known points', () => {
    expect(sviTotalVariance({ a: 0.04, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, 0)).toBeCloseTo(0.05, 15);
    // k = m: w = a + bσ
    expect(sviTotalVariance(p, 0.1)).toBeCloseTo(0.04 + 0.1 * 0.2, 15);
    // k − m = 0.3: w = 0.04 + 0.1(−0.15 + √(0.09 + 0.04))
    expect(sviTotalVariance(p, 0.4)).toBeCloseTo(0.04 + 0.1 * (-0.15 + Math.sqrt(0.13)), 15);
    expect(sviImpliedVol({ a: 0.04, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, 0, 0.5)).toBeCloseTo(Math.sqrt(0.1), 15);
  });

  it('returns NaN vol for negative variance or t ≤ 0 instead of throwing', () => {
    expect(sviImpliedVol({ a: -1, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, 0, 1)).toBeNaN();
    expect(sviImpliedVol(p, 0, 0)).toBeNaN();
  });

  it('w′ and w″ match central differences (property)', () => {
    fc.assert(
      fc.property(arbSviRaw, fc.double({ min: -2, max: 2, noNaN: true }), (q, k) => {
        const h = 1e-5;
        const d1 = (sviTotalVariance(q, k + h) - sviTotalVariance(q, k - h)) / (2 * h);
        const d2 = (sviW1(q, k + h) - sviW1(q, k - h)) / (2 * h);
        expect(Math.abs(sviW1(q, k) - d1)).toBeLessThan(1e-6 * (1 + Math.abs(d1)));
        expect(Math.abs(sviW2(q, k) - d2)).toBeLessThan(1e-4 * (1 + Math.abs(d2)));
      }),
    );
  });

  it('w(k) ≥ 0 for every valid slice (property)', () => {
    fc.assert(
      fc.property(arbSviRaw, fc.double({ min: -5, max: 5, noNaN: true }), (q, k) => {
        expect(sviTotalVariance(q, k)).toBeGreaterThanOrEqual(-1e-15);
      }),
    );
  });

  it('the wings have slopes b(1 + ρ) and −b(1 − ρ) (Lee)', () => {
    expect(sviW1(p, 1e6)).toBeCloseTo(0.1 * (1 - 0.5), 6);
    expect(sviW1(p, -1e6)).toBeCloseTo(-0.1 * (1 + 0.5), 6);
  });
});
