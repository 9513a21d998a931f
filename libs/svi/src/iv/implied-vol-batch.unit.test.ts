import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Price } from '../black76.ts';
import { impliedVol } from './implied-vol.ts';
import { impliedVolBatch } from './implied-vol-batch.ts';
import { IV_REASON_CODE, IV_REASON_NAME } from './iv-result.ts';

describe('impliedVolBatch', () => {
  it('fills σ, NaN and reason codes for a mixed chain', () => {
    const prices = [7.965567455405796, 0, 9.5, 150, Number.NaN, black76Price({ forward: 100, strike: 80, t: 0.1, sigma: 0.6, isCall: false })];
    const n = prices.length;
    const out = new Float64Array(n);
    const reasons = new Uint8Array(n);
    const iterationsOut = new Uint8Array(n);
    const solved = impliedVolBatch({
      prices,
      forwards: [100, 100, 110, 100, 100, 100],
      strikes: [100, 100, 100, 100, 100, 80],
      ts: [1, 1, 1, 1, 1, 0.1],
      isCall: [true, true, true, true, true, false],
      out,
      reasons,
      iterationsOut,
    });
    expect(solved).toBe(2);
    expect(out[0]).toBeCloseTo(0.2, 15);
    expect(out[5]).toBeCloseTo(0.6, 14);
    expect([1, 2, 3, 4].map((i) => out[i])).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    expect([...reasons].map((r) => IV_REASON_NAME[r])).toEqual(['ok', 'no_quote', 'below_intrinsic', 'above_max', 'bad_input', 'ok']);
    expect(reasons[1]).toBe(IV_REASON_CODE.no_quote);
    expect(iterationsOut[0]).toBeGreaterThan(0);
    expect(iterationsOut[0]).toBeLessThanOrEqual(2);
  });

  it('agrees exactly with impliedVol element by element (typed-array inputs)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            k: fc.double({ min: -3, max: 3, noNaN: true }),
            t: fc.double({ min: 1e-5, max: 2, noNaN: true }),
            sigma: fc.double({ min: 0.01, max: 5, noNaN: true }),
            isCall: fc.boolean(),
            bump: fc.constantFrom(1, 1, 1, 0, -1, 1e3),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (rows) => {
          const n = rows.length;
          const prices = new Float64Array(n);
          const forwards = new Float64Array(n).fill(9000);
          const strikes = new Float64Array(n);
          const ts = new Float64Array(n);
          const isCall = new Uint8Array(n);
          rows.forEach((r, i) => {
            strikes[i] = 9000 * Math.exp(-r.k * Math.sqrt(r.t));
            ts[i] = r.t;
            isCall[i] = r.isCall ? 1 : 0;
            prices[i] = r.bump * black76Price({ forward: 9000, strike: strikes[i]!, t: r.t, sigma: r.sigma, isCall: r.isCall });
          });
          const out = new Float64Array(n);
          const reasons = new Uint8Array(n);
          impliedVolBatch({ prices, forwards, strikes, ts, isCall, out, reasons });
          for (let i = 0; i < n; i++) {
            const single = impliedVol({ price: prices[i]!, forward: 9000, strike: strikes[i]!, t: ts[i]!, isCall: isCall[i] === 1 });
            if (single.ok) {
              expect(out[i]).toBe(single.iv);
              expect(reasons[i]).toBe(0);
            } else {
              expect(out[i]).toBeNaN();
              expect(IV_REASON_NAME[reasons[i]!]).toBe(single.reason);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
