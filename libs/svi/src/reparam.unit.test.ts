import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ssviToRaw, ssviTotalVariance } from './ssvi.ts';
import { jumpWingsToRaw, rawToJumpWings } from './svi-jw.ts';
import { naturalToRaw, rawToNatural } from './svi-natural.ts';
import { sviTotalVariance } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';
import { fromUnconstrained, toUnconstrained } from './unconstrained.ts';

const raw = fc.record({
  a: fc.double({ min: -0.05, max: 0.5, noNaN: true }),
  b: fc.double({ min: 0.01, max: 1, noNaN: true }),
  rho: fc.double({ min: -0.95, max: 0.95, noNaN: true }),
  m: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
  sigma: fc.double({ min: 0.02, max: 1, noNaN: true }),
}).filter((p) => p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho) > 1e-3);

function close(x: SviRaw, y: SviRaw, tol: number): void {
  for (const key of ['a', 'b', 'rho', 'm', 'sigma'] as const) {
    expect(Math.abs(x[key] - y[key]), `${key}: ${x[key]} vs ${y[key]} (${JSON.stringify(x)})`).toBeLessThan(tol * (1 + Math.abs(y[key])));
  }
}

describe('SVI reparameterisations (GJ 2014 §3)', () => {
  it('raw → natural → raw is the identity (property)', () => {
    fc.assert(fc.property(raw, (p) => close(naturalToRaw(rawToNatural(p)), p, 1e-10)));
  });

  it('natural SVI gives the same smile as its raw image', () => {
    const n = { delta: 0.01, mu: 0.05, rho: -0.3, omega: 0.2, zeta: 2 };
    const p = naturalToRaw(n);
    for (const k of [-1, -0.2, 0, 0.4, 1.2]) {
      const x = n.zeta * (k - n.mu) + n.rho;
      const w = n.delta + (n.omega / 2) * (1 + n.zeta * n.rho * (k - n.mu) + Math.sqrt(x * x + 1 - n.rho * n.rho));
      expect(sviTotalVariance(p, k)).toBeCloseTo(w, 14);
    }
  });

  it('raw → jump-wings → raw is the identity away from m = 0 (property)', () => {
    fc.assert(
      fc.property(raw.filter((p) => Math.abs(p.m) > 1e-3), fc.double({ min: 0.01, max: 2, noNaN: true }), (p, t) => {
        close(jumpWingsToRaw(rawToJumpWings(p, t), t), p, 1e-7);
      }),
    );
  });

  it('jump-wings read the smile: v = w(0)/t, ψ = w′(0)/(2√w(0)), wings and minimum', () => {
    const p = { a: 0.02, b: 0.3, rho: -0.4, m: 0.1, sigma: 0.2 };
    const t = 0.5;
    const j = rawToJumpWings(p, t);
    const w0 = sviTotalVariance(p, 0);
    const h = 1e-6;
    const w1 = (sviTotalVariance(p, h) - sviTotalVariance(p, -h)) / (2 * h);
    expect(j.v).toBeCloseTo(w0 / t, 12);
    expect(j.psi).toBeCloseTo(w1 / (2 * Math.sqrt(w0)), 8);
    expect(j.p).toBeCloseTo((0.3 * 1.4) / Math.sqrt(w0), 12);
    expect(j.c).toBeCloseTo((0.3 * 0.6) / Math.sqrt(w0), 12);
    expect(j.vTilde).toBeCloseTo((0.02 + 0.3 * 0.2 * Math.sqrt(1 - 0.16)) / t, 12);
  });

  it('jump-wings handle m = 0 with ρ ≠ 0', () => {
    const p = { a: 0.02, b: 0.3, rho: -0.4, m: 0, sigma: 0.2 };
    close(jumpWingsToRaw(rawToJumpWings(p, 1), 1), p, 1e-10);
  });

  it('unconstrained coordinates round-trip (property) and always decode to b > 0, |ρ| < 1, σ > 0', () => {
    fc.assert(fc.property(raw, (p) => close(fromUnconstrained(toUnconstrained(p)), p, 1e-12)));
    fc.assert(
      fc.property(fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 5, maxLength: 5 }), (x) => {
        const p = fromUnconstrained(x);
        expect(p.b).toBeGreaterThan(0);
        expect(Math.abs(p.rho)).toBeLessThanOrEqual(1);
        expect(p.sigma).toBeGreaterThan(0);
      }),
    );
  });

  it('an SSVI slice equals its raw image (QUANT.md b5 mapping)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: -0.95, max: 0.95, noNaN: true }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        (theta, rho, phi, k) => {
          const s = { theta, rho, phi };
          const w = ssviTotalVariance(s, k);
          expect(Math.abs(sviTotalVariance(ssviToRaw(s), k) - w)).toBeLessThan(1e-12 * (1 + w));
        },
      ),
    );
  });
});
