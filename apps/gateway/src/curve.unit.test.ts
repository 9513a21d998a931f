import { describe, expect, it } from 'vitest';
import { fixedTenors, smileMetrics, sviImpliedVol } from '@volstream/svi';
import { DELTA_GRID, callDeltaAt, curveRange, smileCurve, tenorViews, volsAtDeltas } from './curve.ts';
import { exampleSurface } from './testing/fixtures.ts';

describe('fitted curve and delta grid', () => {
  const surface = exampleSurface();
  const s = surface.expiries[2]!;

  it('samples σ(k) = √(w(k)/t) uniformly in k with strikes F·eᵏ and call deltas falling with k', () => {
    const c = smileCurve(s, { kMin: -0.3, kMax: 0.3, n: 31 });
    expect(c.k).toHaveLength(31);
    c.k.forEach((k, i) => {
      expect(c.iv[i]).toBeCloseTo(sviImpliedVol(s.params, k, s.t), 14);
      expect(c.strike[i]).toBeCloseTo(s.forward * Math.exp(k), 8);
    });
    const d = c.callDelta as number[];
    for (let i = 1; i < d.length; i++) expect(d[i]!).toBeLessThan(d[i - 1]!);
    expect(d[0]!).toBeGreaterThan(0.5);
    expect(d.at(-1)!).toBeLessThan(0.5);
  });

  it('puts each delta of the grid at the strike with that delta, consistent with the desk metrics', () => {
    const vols = volsAtDeltas(s, DELTA_GRID);
    expect(DELTA_GRID[0]).toBe(0.95);
    expect(DELTA_GRID.at(-1)).toBe(0.05);
    const at = (d: number) => vols[DELTA_GRID.indexOf(d)]!;
    const m = smileMetrics(s.params, s.t);
    // 25Δ put = 75Δ call under forward deltas: Δ_P = Δ_C − 1.
    expect(at(0.25) - at(0.75)).toBeCloseTo(m.rr25, 10);
    expect((at(0.25) + at(0.75)) / 2 - m.atmVol).toBeCloseTo(m.bf25, 10);
    // The delta of the strike found is the delta asked for.
    const k = Math.log(0.9); // any strike: its delta at the fitted vol maps back through the grid order
    expect(callDeltaAt(s, k, sviImpliedVol(s.params, k, s.t))).toBeGreaterThan(0.5);
    expect(callDeltaAt(s, 0, null)).toBeNull();
  });

  it('spans the 5Δ put to 5Δ call strikes and every quoted k, within ±3', () => {
    const [lo, hi] = curveRange(s, []);
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0);
    const [lo2, hi2] = curveRange(s, [lo - 0.2, hi + 0.3, Number.NaN, 50]);
    expect(lo2).toBeLessThan(lo - 0.2);
    expect(hi2).toBeLessThanOrEqual(3 + 0.3);
  });

  it('keeps the published tenors and adds the 10Δ pair by the library’s interpolation', () => {
    const t = tenorViews(surface);
    expect(t).toEqual([expect.objectContaining({ days: 30, atmVol: surface.tenors![0]!.atmVol, rr25: -0.03, bf25: 0.01 })]);
    const lib = fixedTenors({ slices: surface.expiries.map((x) => ({ t: x.t, params: x.params })), days: [30] })[0]!;
    expect(t[0]!.rr10).toBe(lib.rr10);
    expect(t[0]!.bf10).toBe(lib.bf10);
    const bare = tenorViews({ ...surface, tenors: undefined });
    expect(bare.map((x) => x.days)).toEqual([7, 30, 60, 90, 180]);
    // No extrapolation: 365 days is past the last expiry (212 days).
    expect(tenorViews({ ...surface, tenors: [{ days: 365, atmVol: null, rr25: null, bf25: null }] })[0]).toEqual({ days: 365, atmVol: null, rr25: null, bf25: null, rr10: null, bf10: null });
  });
});
