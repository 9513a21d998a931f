import { describe, expect, it } from 'vitest';
import { black76Price } from '../black76.ts';
import { impliedVol } from './implied-vol.ts';
import { newtonImpliedVol } from './newton.ts';

describe('newtonImpliedVol (benchmark baseline)', () => {
  it('agrees with impliedVol to 1e-10 on an ordinary grid', () => {
    for (const t of [1 / 365, 0.1, 1]) {
      for (const k of [-1.5, -0.3, 0, 0.4, 1.5]) {
        for (const sigma of [0.3, 0.8, 2]) {
          for (const isCall of [true, false]) {
            const forward = 100;
            const strike = forward * Math.exp(-k * sigma * Math.sqrt(t));
            const price = black76Price({ forward, strike, t, sigma, isCall });
            const lbr = impliedVol({ price, forward, strike, t, isCall });
            const newton = newtonImpliedVol({ price, forward, strike, t, isCall });
            expect(lbr.ok).toBe(true);
            if (lbr.ok) expect(Math.abs(newton / lbr.iv - 1), `t=${t} k=${k} σ=${sigma} ${isCall}`).toBeLessThan(1e-10);
          }
        }
      }
    }
  });

  it('returns NaN outside the no-arbitrage bounds', () => {
    expect(newtonImpliedVol({ price: 0, forward: 100, strike: 100, t: 1, isCall: true })).toBeNaN();
    expect(newtonImpliedVol({ price: 101, forward: 100, strike: 100, t: 1, isCall: true })).toBeNaN();
  });
});
