import { describe, expect, it } from 'vitest';
import { smileMetrics } from './smile-metrics.ts';
import { syntheticSurface } from './synthetic-chain.ts';
import { sviTotalVariance } from './svi-raw.ts';
import { fixedTenors } from './tenors.ts';
import { modelFreeVariance, volIndex30d } from './vol-index.ts';

const flat = (vol: number, t: number) => ({ t, params: { a: vol * vol * t, b: 0, rho: 0, m: 0, sigma: 0.1 } });

describe('fixedTenors', () => {
  it('interpolates total variance linearly in time (flat smiles: σ² t is linear)', () => {
    const slices = [flat(0.8, 10 / 365), flat(0.6, 50 / 365)];
    const [d7, d30, d60] = fixedTenors({ slices, days: [7, 30, 60] });
    expect(d7).toBeNull(); // before the first expiry: no extrapolation
    expect(d60).toBeNull(); // after the last
    const w = 0.8 ** 2 * (10 / 365) + ((0.6 ** 2 * (50 / 365) - 0.8 ** 2 * (10 / 365)) * 20) / 40;
    expect(d30!.atmVol).toBeCloseTo(Math.sqrt(w / (30 / 365)), 12);
    expect(d30!.rr25).toBeCloseTo(0, 12);
    expect(d30!.bf25).toBeCloseTo(0, 12);
  });

  it('equals the slice’s own metrics at an expiry date, and interpolates skewed smiles at fixed delta', () => {
    const slices = syntheticSurface({ ts: [7 / 365, 30 / 365, 90 / 365], atmVols: [0.8, 0.7, 0.65], rho: -0.3, eta: 1, gamma: 0.45 });
    const [d7, d30, d60] = fixedTenors({ slices, days: [7, 30, 60] });
    const m30 = smileMetrics(slices[1]!.params, 30 / 365);
    expect(d30!.atmVol).toBeCloseTo(m30.atmVol, 12);
    expect(d30!.rr25).toBeCloseTo(m30.rr25, 10);
    expect(d30!.bf10).toBeCloseTo(m30.bf10, 10);
    expect(d7!.atmVol).toBeCloseTo(0.8, 10);
    // 60d lies between 30d and 90d: its RR and ATM lie between theirs.
    const m90 = smileMetrics(slices[2]!.params, 90 / 365);
    expect(d60!.rr25).toBeGreaterThan(Math.min(m30.rr25, m90.rr25));
    expect(d60!.rr25).toBeLessThan(Math.max(m30.rr25, m90.rr25));
    const w = (sviTotalVariance(slices[1]!.params, 0) + sviTotalVariance(slices[2]!.params, 0)) / 2;
    expect(d60!.atmVol).toBeCloseTo(Math.sqrt(w / (60 / 365)), 12);
  });
});

describe('model-free 30-day index (VIX/DVOL style)', () => {
  it('a flat smile gives back its vol (within 0.01 vol point)', () => {
    for (const vol of [0.3, 0.8, 1.5]) {
      for (const days of [1, 7, 30, 90, 365]) {
        const t = days / 365;
        const v = Math.sqrt(modelFreeVariance({ params: flat(vol, t).params, t }).variance);
        expect(Math.abs(100 * (v - vol)), `vol ${vol} days ${days}`).toBeLessThan(0.01);
      }
      const idx = volIndex30d({ slices: [flat(vol, 14 / 365), flat(vol, 45 / 365)] });
      expect(Math.abs(idx!.value - 100 * vol)).toBeLessThan(0.01);
    }
  });

  it('interpolates total variance between the near (7–30d) and next (> 30d) expiries', () => {
    const idx = volIndex30d({ slices: [flat(0.5, 3 / 365), flat(0.9, 20 / 365), flat(0.6, 40 / 365), flat(0.7, 90 / 365)] });
    const w = 0.81 * (20 / 365) + ((0.36 * (40 / 365) - 0.81 * (20 / 365)) * 10) / 20;
    expect(idx!.value).toBeCloseTo(100 * Math.sqrt(w / (30 / 365)), 2);
    expect(idx!.near.t).toBeCloseTo(20 / 365, 15);
    expect(idx!.next.t).toBeCloseTo(40 / 365, 15);
  });

  it('is null without a bracketing pair (no extrapolation) and above ATM for a smile with wings', () => {
    expect(volIndex30d({ slices: [flat(0.5, 3 / 365), flat(0.5, 40 / 365)] })).toBeNull();
    expect(volIndex30d({ slices: [flat(0.5, 10 / 365), flat(0.5, 20 / 365)] })).toBeNull();
    const slices = syntheticSurface({ ts: [14 / 365, 45 / 365], atmVols: [0.7, 0.7], rho: -0.3, eta: 1, gamma: 0.45 });
    expect(volIndex30d({ slices })!.value).toBeGreaterThan(70);
  });
});
