import fc from 'fast-check';
import { butterflyG, ssviTotalVariance, sviTotalVariance } from '@volstream/svi';
import { describe, expect, it } from 'vitest';
import { listExpiries } from './calendar.ts';
import { UNDERLYING_SPECS } from './specs.ts';
import { slicesAt } from './surface.ts';
import type { Market, Slice, SurfaceParams } from './types.ts';

const NOW = Date.UTC(2026, 10, 21, 6, 0);
const K_GRID = Array.from({ length: 241 }, (_, i) => -3 + (6 * i) / 240); // ln(K/F) ∈ [−3, 3]

function slices(surface: SurfaceParams, nowMs = NOW): Slice[] {
  const market: Market = { spot: 95_000, basis: 0.07, perpPremium: 0, surface };
  return slicesAt({ market, expiries: listExpiries({ nowMs }), nowMs }).filter((s): s is Slice => s !== null);
}

function minG(s: Slice): number {
  return Math.min(...K_GRID.map((k) => butterflyG(s.params, k)));
}

/** Largest decrease of w(k) from one expiry to the next on the k grid (≤ 0 means calendar-free). */
function maxCalendarDrop(ss: Slice[]): number {
  let worst = -Infinity;
  for (let i = 1; i < ss.length; i++) {
    for (const k of K_GRID) worst = Math.max(worst, sviTotalVariance(ss[i - 1]!.params, k) - sviTotalVariance(ss[i]!.params, k));
  }
  return worst;
}

/** Any surface the dynamics can reach: every parameter inside the bounds of specs.ts. */
const reachable = fc.constantFrom(UNDERLYING_SPECS.BTC, UNDERLYING_SPECS.ETH).chain((spec) =>
  fc
    .record({
      atmShort: fc.double({ min: spec.bounds.atm[0], max: spec.bounds.atm[1], noNaN: true }),
      atmLong: fc.double({ min: spec.bounds.atm[0], max: spec.bounds.atm[1], noNaN: true }),
      rho: fc.double({ min: spec.bounds.rho[0], max: spec.bounds.rho[1], noNaN: true }),
      etaShare: fc.double({ min: 0, max: 1, noNaN: true }),
      hoursAhead: fc.integer({ min: 0, max: 24 * 60 }),
    })
    .map(({ etaShare, hoursAhead, ...r }) => {
      const etaMax = Math.min(spec.bounds.eta[1], 1.98 / (1 + Math.abs(r.rho)));
      const eta = spec.bounds.eta[0] + etaShare * (etaMax - spec.bounds.eta[0]);
      return { surface: { ...spec.surface0, ...r, eta }, nowMs: NOW + hoursAhead * 3_600_000 };
    }),
);

describe('true SSVI surface', () => {
  it('raw SVI slices equal the SSVI formula and carry the ATM vol term structure', () => {
    for (const s of slices(UNDERLYING_SPECS.BTC.surface0)) {
      for (const k of K_GRID) {
        const w = ssviTotalVariance({ theta: s.theta, rho: UNDERLYING_SPECS.BTC.surface0.rho, phi: s.phi }, k);
        expect(Math.abs(sviTotalVariance(s.params, k) - w)).toBeLessThan(1e-12 + 1e-10 * w);
      }
      const atm = Math.sqrt(sviTotalVariance(s.params, 0) / s.t);
      expect(atm).toBeGreaterThan(0.45);
      expect(atm).toBeLessThan(0.65);
    }
  });

  it('has no butterfly arbitrage: g(k) ≥ 0 on a grid, for every reachable state', () => {
    fc.assert(
      fc.property(reachable, ({ surface, nowMs }) => {
        for (const s of slices(surface, nowMs)) expect(minG(s), JSON.stringify({ surface, t: s.t })).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 150 },
    );
  });

  it('has no calendar arbitrage: w(k) non-decreasing in t at fixed k, for every reachable state', () => {
    fc.assert(
      fc.property(reachable, ({ surface, nowMs }) => {
        expect(maxCalendarDrop(slices(surface, nowMs)), JSON.stringify(surface)).toBeLessThanOrEqual(1e-15);
      }),
      { numRuns: 150 },
    );
  });

  // Negative controls (STYLE.md habit 10): the checks above do fail on arbitrageable surfaces.
  it('the butterfly check catches η(1 + |ρ|) far above 2', () => {
    const bad = slices({ ...UNDERLYING_SPECS.BTC.surface0, rho: -0.7, eta: 6, gamma: 0.2 });
    expect(Math.min(...bad.map(minG))).toBeLessThan(0);
  });
  it('the calendar check catches a steeply inverted term structure', () => {
    const bad = slices({ ...UNDERLYING_SPECS.BTC.surface0, atmShort: 3, atmLong: 0.2, tau: 0.02 });
    expect(maxCalendarDrop(bad)).toBeGreaterThan(0);
  });
});
