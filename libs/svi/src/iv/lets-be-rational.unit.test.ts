import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uncheckedNormalisedIv } from './lets-be-rational.ts';
import { normalisedBlackCall, normalisedVega } from './normalised-black.ts';

const EPS = Number.EPSILON;

describe('uncheckedNormalisedIv (normalised core)', () => {
  it('inverts b(x, s) on every branch in at most 2 Householder(3) steps', () => {
    const stats = { iterations: 0 };
    // x = −0.5: s_c = 1; these s fall in the lowest, lower-middle, upper-middle and highest branches.
    for (const s of [0.05, 0.2, 0.6, 0.9, 1.2, 2, 4, 9]) {
      const x = -0.5;
      const beta = normalisedBlackCall(x, s);
      const got = uncheckedNormalisedIv(beta, x, 3, stats);
      const cond = beta / (s * normalisedVega(x, s));
      expect(Math.abs(got / s - 1), `s=${s}`).toBeLessThanOrEqual(8 * EPS * Math.max(1, cond));
      expect(stats.iterations, `s=${s}`).toBeLessThanOrEqual(2);
    }
  });

  it('round-trips s for x ∈ [−50, 0], s ∈ [1e-4, 10] (property)', () => {
    const stats = { iterations: 0 };
    fc.assert(
      fc.property(fc.double({ min: -50, max: 0, noNaN: true }), fc.double({ min: Math.log(1e-4), max: Math.log(10), noNaN: true }), (x, lnS) => {
        const s = Math.exp(lnS);
        const beta = normalisedBlackCall(x, s);
        if (!(beta > 1e-300) || !(beta < Math.exp(x / 2))) return; // not representable
        const got = uncheckedNormalisedIv(beta, x, 3, stats);
        const cond = beta / (s * normalisedVega(x, s));
        if (!(cond < 1e10)) return; // σ not determined by β in double precision
        expect(Math.abs(got / s - 1), `x=${x} s=${s} β=${beta} got=${got}`).toBeLessThanOrEqual(16 * EPS * Math.max(1, cond));
        expect(stats.iterations).toBeLessThanOrEqual(3);
      }),
      { numRuns: 3000 },
    );
  });
});
