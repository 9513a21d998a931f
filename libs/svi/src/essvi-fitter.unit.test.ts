import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { butterflyG } from './butterfly.ts';
import { essviP, essviPsiBounds } from './essvi-fitter.ts';
import { ssviToRaw, ssviTotalVariance } from './ssvi.ts';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const rhoArb = fc.double({ min: -0.99, max: 0.99, noNaN: true });

describe('eSSVI admissible region', () => {
  it('slices inside the ψ-bounds never cross the previous slice (HM 2019 Thm 4.1 condition, property on k ∈ [−5, 5])', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 0.5, noNaN: true }), rhoArb, unit, rhoArb, unit, unit, (th1, rho1, u1, rho2, u2, u3) => {
        const psi1 = essviPsiBounds(th1, rho1, null).hi * u1;
        const th2 = essviP(rho1, rho2) * th1 + 0.5 * u2 * u2;
        const b = essviPsiBounds(th2, rho2, { theta: th1, rho: rho1, psi: psi1 });
        fc.pre(b.hi > b.lo);
        const psi2 = b.lo + (b.hi - b.lo) * u3;
        const s1 = { theta: th1, rho: rho1, phi: psi1 / th1 };
        const s2 = { theta: th2, rho: rho2, phi: psi2 / th2 };
        for (let k = -5; k <= 5; k += 0.01) {
          const w1 = ssviTotalVariance(s1, k);
          expect(ssviTotalVariance(s2, k)).toBeGreaterThanOrEqual(w1 - 1e-12 * (1 + w1));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('slices inside the ψ-bounds are butterfly-free (GJ 2014 Thm 4.2, property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 2, noNaN: true }), rhoArb, unit, (theta, rho, u) => {
        const psi = Math.max(essviPsiBounds(theta, rho, null).hi * u, 1e-9);
        const p = ssviToRaw({ theta, rho, phi: psi / theta });
        for (let k = -3; k <= 3; k += 0.02) expect(butterflyG(p, k)).toBeGreaterThanOrEqual(-1e-12);
      }),
      { numRuns: 300 },
    );
  });
});
