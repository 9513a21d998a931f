import { describe, expect, it } from 'vitest';
import { minButterflyG } from './butterfly.ts';
import { checkCalendar, linspace, repairCalendar } from './calendar.ts';
import { sviTotalVariance } from './svi-raw.ts';

const near = { t: 0.1, params: { a: 0.01, b: 0.1, rho: -0.3, m: 0, sigma: 0.1 } };
const far = { t: 0.3, params: { a: 0.03, b: 0.12, rho: -0.3, m: 0, sigma: 0.2 } };
const kGrid = linspace(-1, 1, 101);

describe('checkCalendar', () => {
  it('passes increasing total variance and flags a crossing with the worst point', () => {
    expect(checkCalendar([near, far], kGrid)).toEqual({ ok: true });
    // A later slice with a lower level: violation everywhere near ATM.
    const low = { t: 0.5, params: { ...far.params, a: 0.0 } };
    const r = checkCalendar([near, far, low], kGrid);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.violations).toHaveLength(1);
    const v = r.violations[0]!;
    expect(v).toMatchObject({ index: 2, prevIndex: 1, tPrev: 0.3, t: 0.5 });
    expect(v.deficit).toBeCloseTo(0.03, 12);
    expect(v.wPrev - v.w).toBeCloseTo(v.deficit, 15);
    expect(v.points).toBe(101);
  });

  it('sorts by t and reports input indices', () => {
    const r = checkCalendar([far, near], kGrid);
    expect(r.ok).toBe(true);
    const bad = checkCalendar([{ ...far, t: 0.05 }, near], kGrid);
    expect(bad.ok === false && bad.violations[0]).toMatchObject({ index: 1, prevIndex: 0 });
  });
});

describe('repairCalendar', () => {
  it('lifts a violating slice by the deficit so the result is calendar- and butterfly-free', () => {
    const low = { t: 0.5, params: { ...far.params, a: 0.0 } };
    const { slices, repairs } = repairCalendar({ slices: [near, far, low], kGrid });
    expect(repairs).toHaveLength(1);
    expect(repairs[0]).toMatchObject({ index: 2, action: 'shift' });
    expect(checkCalendar(slices, kGrid).ok).toBe(true);
    const fixed = slices.find((s) => s.index === 2)!;
    expect(fixed.params.a).toBeGreaterThanOrEqual(0.03);
    for (const k of kGrid) expect(sviTotalVariance(fixed.params, k)).toBeGreaterThanOrEqual(sviTotalVariance(far.params, k));
    expect(minButterflyG(fixed.params, -1, 1, 201).minG).toBeGreaterThanOrEqual(0);
  });

  it('drops a slice whose lift would create butterfly arbitrage, and still returns a clean set', () => {
    // Wings steeper than Lee's bound (|w′| = 5 > 4): g → 1 − w′²/16 < 0 far out however
    // much the slice is lifted, so the lifted slice fails the g check → dropped.
    const steep = { t: 1, params: { a: 0, b: 5, rho: 0, m: 0, sigma: 0.1 } };
    const high = { t: 0.9, params: { a: 1, b: 0.1, rho: 0, m: 0, sigma: 0.1 } };
    const { slices, repairs } = repairCalendar({ slices: [high, steep], kGrid });
    expect(repairs).toEqual([expect.objectContaining({ index: 1, action: 'dropped' })]);
    expect(slices.map((s) => s.index)).toEqual([0]);
  });
});
