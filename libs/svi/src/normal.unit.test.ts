import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erfc, erfcx, normCdf, normInv, normInvApprox, normPdf, oneMinusErfcx } from './normal.ts';

const EPS = Number.EPSILON;

// N(x) to 17 significant digits from mpmath (50-digit arithmetic): mpmath.ncdf(x).
const NORM_CDF_TABLE: [number, number][] = [
  [-38.0, 2.88542835e-316],
  [-30.0, 4.906713927148187e-198],
  [-20.0, 2.7536241186062337e-89],
  [-10.0, 7.619853024160525e-24],
  [-7.5, 3.1908916729108963e-14],
  [-5.0, 2.866515718791939e-7],
  [-3.3, 0.0004834241423837775],
  [-2.0, 0.02275013194817921],
  [-1.0, 0.15865525393145705],
  [-0.5, 0.3085375387259869],
  [-0.1, 0.460172162722971],
  [-0.001, 0.49960105778608893],
  [-1e-10, 0.49999999996010575],
  [0.0, 0.5],
  [0.3, 0.6179114221889527],
  [1.0, 0.8413447460685429],
  [2.0, 0.9772498680518208],
  [5.0, 0.9999997133484281],
  [8.0, 0.9999999999999993],
];

describe('normCdf', () => {
  it.each(NORM_CDF_TABLE)('N(%s) matches mpmath to a few ulps (scaled by x²/2 for argument rounding)', (x, want) => {
    const got = normCdf(x);
    // Cody (1969) is ~1 ulp; the rounding of x/√2 costs ε·x² relative in the tail.
    const tol = want < 2.3e-308 ? 1e-323 : 4 * EPS * Math.max(1, (x * x) / 2) * want;
    expect(Math.abs(got - want), `x=${x} got=${got} want=${want}`).toBeLessThanOrEqual(tol);
  });

  it('is symmetric: N(x) + N(−x) = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
        expect(Math.abs(normCdf(x) + normCdf(-x) - 1)).toBeLessThanOrEqual(2 * EPS);
      }),
    );
  });

  it('is monotone', () => {
    fc.assert(
      fc.property(fc.double({ min: -37, max: 8, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, dx) => {
        expect(normCdf(x + dx)).toBeGreaterThanOrEqual(normCdf(x));
      }),
    );
  });

  it('handles ±Infinity and NaN', () => {
    expect(normCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normCdf(Number.NaN)).toBeNaN();
  });
});

describe('normPdf', () => {
  it('φ(0) = 1/√(2π) and φ is the derivative of N (central difference)', () => {
    expect(normPdf(0)).toBe(0.3989422804014327);
    for (const x of [-5, -1.3, 0, 0.7, 3]) {
      const h = 1e-5;
      const fd = (normCdf(x + h) - normCdf(x - h)) / (2 * h);
      expect(Math.abs(fd - normPdf(x)), `x=${x}`).toBeLessThan(1e-9);
    }
  });
});

describe('erfc / erfcx / oneMinusErfcx', () => {
  it('erfc(0) = 1, erfcx(0) = 1, erfcx(x) = e^{x²}·erfc(x) where both are representable', () => {
    expect(erfc(0)).toBe(1);
    expect(erfcx(0)).toBe(1);
    for (const x of [0.1, 0.4, 0.5, 1, 2.5, 4, 5, 10]) {
      expect(Math.abs(erfcx(x) - Math.exp(x * x) * erfc(x)) / erfcx(x), `x=${x}`).toBeLessThan(1e-14 * Math.max(1, x * x));
    }
  });

  it('erfcx(x) ~ 1/(x√π) for large x', () => {
    expect(Math.abs(erfcx(1e8) * 1e8 * Math.sqrt(Math.PI) - 1)).toBeLessThan(1e-15);
  });

  it('oneMinusErfcx(y) = 1 − erfcx(y) without cancellation (mpmath: 1 − e^{0.25}·erfc(0.5))', () => {
    expect(Math.abs(oneMinusErfcx(0.5) - 0.3843096558070741)).toBeLessThan(4 * EPS * 0.38);
    // Small y: 1 − erfcx(y) ≈ 2y/√π − y²; relative accuracy must not degrade like ε/y.
    const y = 1e-9;
    const want = (2 * y) / Math.sqrt(Math.PI) - y * y;
    expect(Math.abs(oneMinusErfcx(y) - want) / want).toBeLessThan(4 * EPS);
  });
});

describe('normInv', () => {
  it('known quantiles', () => {
    expect(normInv(0.5)).toBe(0);
    expect(Math.abs(normInv(0.975) - 1.959963984540054)).toBeLessThan(4e-16 * 2);
    expect(Math.abs(normInv(0.025) + 1.959963984540054)).toBeLessThan(4e-16 * 2);
    expect(normInv(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normInv(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normInv(-0.1)).toBeNaN();
    expect(normInv(Number.NaN)).toBeNaN();
  });

  it('N(N⁻¹(p)) = p to ~1e-15 relative over p ∈ [1e-300, 0.5]', () => {
    fc.assert(
      fc.property(fc.double({ min: -300, max: Math.log10(0.5), noNaN: true }), (e) => {
        const p = 10 ** e;
        const x = normInv(p);
        // Sensitivity: dp/p = (φ(x)/N(x))·dx ≈ |x|·dx, so allow a few ulps of x as well.
        const tol = 8 * EPS * Math.max(1, x * x);
        expect(Math.abs(normCdf(x) - p) / p, `p=${p} x=${x}`).toBeLessThanOrEqual(tol);
      }),
    );
  });

  it('N⁻¹(N(x)) = x for x ≤ 0 (the tail where p carries full information)', () => {
    fc.assert(
      fc.property(fc.double({ min: -37, max: 0, noNaN: true }), (x) => {
        expect(Math.abs(normInv(normCdf(x)) - x), `x=${x}`).toBeLessThanOrEqual(8 * EPS * Math.max(1, Math.abs(x)));
      }),
    );
  });

  it('normInvApprox is within Acklam’s 1.15e-9 relative bound', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1 - 1e-16, noNaN: true }), (p) => {
        const x = normInv(p);
        if (x === 0) return;
        expect(Math.abs(normInvApprox(p) - x) / Math.abs(x), `p=${p}`).toBeLessThan(1.2e-9);
      }),
    );
  });
});
