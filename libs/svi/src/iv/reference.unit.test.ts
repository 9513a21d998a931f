import { describe, expect, it } from 'vitest';
import { referenceBlack76Price, referenceImpliedVol } from './reference.ts';

describe('referenceImpliedVol (bisection)', () => {
  it('recovers σ from its own textbook price', () => {
    for (const [forward, strike, t, sigma, isCall] of [
      [100, 100, 1, 0.2, true],
      [100, 130, 0.25, 0.8, true],
      [100, 70, 2, 0.4, false],
      [100, 90, 0.01, 1.5, true],
    ] as const) {
      const price = referenceBlack76Price({ forward, strike, t, sigma, isCall });
      expect(Math.abs(referenceImpliedVol({ price, forward, strike, t, isCall }) / sigma - 1)).toBeLessThan(1e-12);
    }
  });

  it('is NaN outside the attainable range', () => {
    expect(referenceImpliedVol({ price: 200, forward: 100, strike: 100, t: 1, isCall: true })).toBeNaN();
    expect(referenceImpliedVol({ price: 5, forward: 110, strike: 100, t: 1, isCall: true })).toBeNaN();
  });
});
