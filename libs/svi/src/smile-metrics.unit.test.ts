import { describe, expect, it } from 'vitest';
import { black76Greeks } from './black76.ts';
import { strikeForDelta } from './delta-strike.ts';
import { normInv } from './normal.ts';
import { smileMetrics } from './smile-metrics.ts';
import { sviImpliedVol, sviTotalVariance } from './svi-raw.ts';

const flat = (vol: number, t: number) => ({ a: vol * vol * t, b: 0, rho: 0, m: 0, sigma: 0.1 });

describe('strikeForDelta', () => {
  it('on a flat smile gives k = σ²t/2 − N⁻¹(Δ)σ√t (QUANT.md b10)', () => {
    const vol = 0.8;
    const t = 30 / 365;
    for (const delta of [0.1, 0.25, 0.5, -0.25, -0.1]) {
      const callDelta = delta < 0 ? 1 + delta : delta;
      const expected = (vol * vol * t) / 2 - normInv(callDelta) * vol * Math.sqrt(t);
      expect(strikeForDelta({ params: flat(vol, t), delta })).toBeCloseTo(expected, 10);
    }
  });

  it('returns a strike whose Black forward delta is the target on a skewed smile', () => {
    const p = { a: 0.004, b: 0.05, rho: -0.35, m: 0.02, sigma: 0.08 };
    const t = 0.1;
    for (const delta of [0.25, -0.25, 0.1, -0.1]) {
      const k = strikeForDelta({ params: p, delta });
      const g = black76Greeks({ forward: 1, strike: Math.exp(k), t, sigma: sviImpliedVol(p, k, t), isCall: delta > 0 });
      expect(g.delta).toBeCloseTo(delta, 10);
    }
  });

  it('returns NaN for impossible deltas', () => {
    expect(strikeForDelta({ params: flat(0.5, 1), delta: 1.2 })).toBeNaN();
    expect(strikeForDelta({ params: flat(0.5, 1), delta: 0 })).toBeNaN();
  });
});

describe('smileMetrics', () => {
  it('a flat smile has RR = BF = skew = 0 and its ATM vol', () => {
    const m = smileMetrics(flat(0.65, 0.25), 0.25);
    expect(m.atmVol).toBeCloseTo(0.65, 14);
    for (const x of [m.rr25, m.bf25, m.rr10, m.bf10, m.skew]) expect(Math.abs(x)).toBeLessThan(1e-12);
  });

  it('put skew (ρ < 0) gives negative RR, a convex smile positive BF, and skew = w′(0)/(2√(w(0)t))', () => {
    const p = { a: 0.01, b: 0.1, rho: -0.5, m: 0, sigma: 0.1 };
    const t = 0.2;
    const m = smileMetrics(p, t);
    expect(m.rr25).toBeLessThan(0);
    expect(m.rr10).toBeLessThan(m.rr25);
    expect(m.bf25).toBeGreaterThan(0);
    expect(m.bf10).toBeGreaterThan(m.bf25);
    const h = 1e-6;
    const fd = (sviImpliedVol(p, h, t) - sviImpliedVol(p, -h, t)) / (2 * h);
    expect(m.skew).toBeCloseTo(fd, 7);
    expect(m.atmVol).toBeCloseTo(Math.sqrt(sviTotalVariance(p, 0) / t), 14);
  });

  it('reads the 25Δ vols off the smile at the delta strikes (FX convention, not Amberdata’s 2×)', () => {
    const p = { a: 0.004, b: 0.05, rho: -0.35, m: 0.02, sigma: 0.08 };
    const t = 0.1;
    const c = sviImpliedVol(p, strikeForDelta({ params: p, delta: 0.25 }), t);
    const q = sviImpliedVol(p, strikeForDelta({ params: p, delta: -0.25 }), t);
    const m = smileMetrics(p, t);
    expect(m.rr25).toBeCloseTo(c - q, 14);
    expect(m.bf25).toBeCloseTo((c + q) / 2 - m.atmVol, 14);
  });
});
