import { describe, expect, it } from 'vitest';
import {
  controlParameterToFitSecondDerivativeAtLeft,
  controlParameterToFitSecondDerivativeAtRight,
  rationalCubicInterpolation,
} from './rational-cubic.ts';

const d1 = (f: (x: number) => number, x: number, h = 1e-6): number => (f(x + h) - f(x - h)) / (2 * h);
const d2 = (f: (x: number) => number, x: number, h = 1e-4): number => (f(x + h) - 2 * f(x) + f(x - h)) / (h * h);

describe('rational cubic (Delbourgo & Gregory 1985)', () => {
  const [xl, xr, yl, yr, dl, dr] = [0.5, 2, 1, 3, 0.4, 2.5];

  it('interpolates end values and slopes for any r > −1 (slopes hold in a layer of width ~h/r)', () => {
    for (const r of [-0.5, 0, 3, 10, 100]) {
      const f = (x: number): number => rationalCubicInterpolation(x, xl, xr, yl, yr, dl, dr, r);
      expect(f(xl)).toBeCloseTo(yl, 14);
      expect(f(xr)).toBeCloseTo(yr, 14);
      expect(d1(f, xl), `r=${r}`).toBeCloseTo(dl, 5);
      expect(d1(f, xr), `r=${r}`).toBeCloseTo(dr, 5);
    }
  });

  it('r = 3 reproduces a cubic polynomial exactly (cubic Hermite)', () => {
    const p = (x: number): number => 0.3 * x ** 3 - x ** 2 + 2 * x - 1;
    const dp = (x: number): number => 0.9 * x ** 2 - 2 * x + 2;
    for (const x of [0.5, 0.8, 1.3, 1.99]) {
      expect(rationalCubicInterpolation(x, 0.5, 2, p(0.5), p(2), dp(0.5), dp(2), 3)).toBeCloseTo(p(x), 13);
    }
  });

  it('r = ∞ is linear interpolation', () => {
    expect(rationalCubicInterpolation(1.25, xl, xr, yl, yr, dl, dr, Infinity)).toBeCloseTo(2, 14);
  });

  it('control parameters match the requested second derivative at the left / right end', () => {
    for (const target of [-1, 0, 0.7, 3]) {
      const rl = controlParameterToFitSecondDerivativeAtLeft(xl, xr, yl, yr, dl, dr, target);
      const rr = controlParameterToFitSecondDerivativeAtRight(xl, xr, yl, yr, dl, dr, target);
      const fl = (x: number): number => rationalCubicInterpolation(x, xl, xr, yl, yr, dl, dr, rl);
      const fr = (x: number): number => rationalCubicInterpolation(x, xl, xr, yl, yr, dl, dr, rr);
      // When the raw fit would break monotonicity/convexity, r is raised to the shape-preserving minimum.
      const delta = (yr - yl) / (xr - xl);
      const rMin = Math.max((dl + dr) / delta, (dr - dl) / (delta - dl), (dr - dl) / (dr - delta));
      if (rl > rMin + 1e-9) expect(d2(fl, xl + 1e-4) , `left target=${target}`).toBeCloseTo(target, 2);
      if (rr > rMin + 1e-9) expect(d2(fr, xr - 1e-4), `right target=${target}`).toBeCloseTo(target, 2);
      expect(rl).toBeGreaterThanOrEqual(rMin - 1e-12);
      expect(rr).toBeGreaterThanOrEqual(rMin - 1e-12);
    }
  });
});
