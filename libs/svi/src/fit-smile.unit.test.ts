import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minButterflyG } from './butterfly.ts';
import { checkSviParams } from './check-params.ts';
import { fitSmile } from './fit-smile.ts';
import { mulberry32, syntheticChain } from './synthetic-chain.ts';
import { sviImpliedVol, sviTotalVariance } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';
import type { SmileQuote } from './types.ts';

function exactQuotes(p: SviRaw, t: number, ks: number[]): SmileQuote[] {
  return ks.map((k) => {
    const v = sviImpliedVol(p, k, t);
    return { k, bidIv: v - 0.005, askIv: v + 0.005, midIv: null, vega: null };
  });
}
const grid = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

describe('fitSmile (Zeliade quasi-explicit)', () => {
  it('recovers exact raw SVI parameters from noise-free mids', () => {
    const p = { a: 0.01, b: 0.08, rho: -0.3, m: 0.02, sigma: 0.1 };
    const r = fitSmile({ quotes: exactQuotes(p, 0.1, grid(-0.5, 0.5, 21)), t: 0.1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const key of ['a', 'b', 'rho', 'm', 'sigma'] as const) expect(r.params[key]).toBeCloseTo(p[key], 5);
    expect(r.diagnostics.rmse).toBeLessThan(1e-4);
    expect(r.diagnostics.inSpread).toBe(1);
    expect(r.diagnostics.used).toBe(21);
    expect(checkSviParams(r.params).ok).toBe(true);
  });

  it('recovers a negative-a short-dated V smile', () => {
    const p = { a: -0.002, b: 0.06, rho: 0.1, m: 0.01, sigma: 0.05 };
    const t = 5 / 365;
    const r = fitSmile({ quotes: exactQuotes(p, t, grid(-0.3, 0.3, 25)), t });
    if (!r.ok) throw new Error(r.reason);
    expect(r.diagnostics.rmse).toBeLessThan(1e-3);
    expect(sviImpliedVol(r.params, 0, t)).toBeCloseTo(sviImpliedVol(p, 0, t), 5);
  });

  // Noise: half-spreads 0.75–1.25 vol pt ATM (wider in the wings), mids off the truth by up to
  // ±0.08 vol pt ATM (±0.2 at 3 sd). With ±0.25 the worst ATM error over many seeds is ≈ 0.15–0.2.
  it('on seeded noisy chains recovers the ATM vol within 0.1 vol point (property over seeds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.double({ min: -0.6, max: 0.3, noNaN: true }), fc.double({ min: 3, max: 200, noNaN: true }), (seed, rho, days) => {
        const t = days / 365;
        const theta = 0.6 ** 2 * t;
        const phi = 1.2 / (theta ** 0.45 * (1 + theta) ** 0.55);
        const p: SviRaw = { a: (theta / 2) * (1 - rho * rho), b: (theta * phi) / 2, rho, m: -rho / phi, sigma: Math.sqrt(1 - rho * rho) / phi };
        const [e] = syntheticChain({ slices: [{ t, params: p }], rand: mulberry32(seed), midNoise: 0.08 });
        const r = fitSmile({ quotes: e!.quotes, t });
        if (!r.ok) throw new Error(r.reason);
        const err = 100 * Math.abs(sviImpliedVol(r.params, 0, t) - sviImpliedVol(p, 0, t));
        expect(err, `seed ${seed} rho ${rho} days ${days}`).toBeLessThan(0.1);
        expect(r.diagnostics.minG).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic: replaying the same inputs gives bit-identical params', () => {
    const [e] = syntheticChain({ slices: [{ t: 0.05, params: { a: 0.002, b: 0.05, rho: -0.2, m: 0.01, sigma: 0.06 } }], rand: mulberry32(7) });
    const a = fitSmile({ quotes: e!.quotes, t: 0.05, clock: () => 0 });
    const b = fitSmile({ quotes: e!.quotes, t: 0.05, clock: () => 0 });
    expect(a).toEqual(b);
    // and independent of what was fitted before (no state leaks between fits)
    fitSmile({ quotes: exactQuotes({ a: 0.1, b: 0.5, rho: 0.5, m: 0.3, sigma: 0.5 }, 1, grid(-1, 1, 15)), t: 1 });
    expect(fitSmile({ quotes: e!.quotes, t: 0.05, clock: () => 0 })).toEqual(a);
  });

  it('warm-starts from previous params and falls back to the grid when they are bad', () => {
    const p = { a: 0.01, b: 0.08, rho: -0.3, m: 0.02, sigma: 0.1 };
    const quotes = exactQuotes(p, 0.1, grid(-0.5, 0.5, 21));
    const cold = fitSmile({ quotes, t: 0.1 });
    const warm = fitSmile({ quotes, t: 0.1, previous: p });
    const bad = fitSmile({ quotes, t: 0.1, previous: { a: 5, b: 1.9, rho: 0.9, m: 3, sigma: 4 } });
    if (!cold.ok || !warm.ok || !bad.ok) throw new Error('fit failed');
    expect(warm.diagnostics.iterations).toBeLessThan(cold.diagnostics.iterations);
    expect(warm.diagnostics.rmse).toBeLessThan(1e-4);
    expect(bad.diagnostics.rmse).toBeLessThan(1e-4);
  });

  it('filters quotes and counts what it dropped by reason', () => {
    const p = { a: 0.01, b: 0.08, rho: -0.3, m: 0.02, sigma: 0.1 };
    const quotes = exactQuotes(p, 0.1, grid(-0.4, 0.4, 17));
    const junk: SmileQuote[] = [
      { k: 0.01, bidIv: 0.6, askIv: 0.5, midIv: null, vega: null }, // crossed
      { k: 0.02, bidIv: null, askIv: 0.5, midIv: null, vega: null }, // one-sided
      { k: 0.03, bidIv: null, askIv: null, midIv: null, vega: null }, // below intrinsic upstream
      { k: 0.04, bidIv: 0.2, askIv: 0.9, midIv: null, vega: null }, // too wide
      { k: Number.NaN, bidIv: 0.4, askIv: 0.41, midIv: null, vega: null }, // invalid
      { k: 0.9, bidIv: 0.05, askIv: 0.06, midIv: null, vega: null }, // cabinet-price vol cliff …
      { k: 1.0, bidIv: 0.5, askIv: 0.6, midIv: null, vega: null }, // … and everything beyond it
    ];
    const r = fitSmile({ quotes: [...quotes, ...junk], t: 0.1 });
    if (!r.ok) throw new Error(r.reason);
    expect(r.diagnostics.dropped).toEqual({ crossed: 1, one_sided: 1, no_iv: 1, too_wide: 1, invalid: 1, vol_cliff: 2 });
    expect(r.diagnostics.used).toBe(17);
    const spread = fitSmile({ quotes: [...quotes, { k: 0.02, bidIv: null, askIv: null, midIv: 0.5, vega: null }], t: 0.1, weighting: 'spread' });
    expect(spread.ok && spread.diagnostics.dropped).toEqual({ one_sided: 1 });
  });

  it('rejects with reasons and the values, never throws', () => {
    expect(fitSmile({ quotes: [], t: 0.1 })).toMatchObject({ ok: false, reason: 'too_few_quotes: 0 < 5' });
    expect(fitSmile({ quotes: [], t: -1 })).toMatchObject({ ok: false, reason: 'invalid t: -1 (years, must be > 0)' });
  });

  it('never returns a slice with butterfly arbitrage: quotes from Vogt’s arbitrageable slice are refitted', () => {
    const vogt = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };
    const r = fitSmile({ quotes: exactQuotes(vogt, 1, grid(-1.5, 1.5, 31)), t: 1 });
    if (!r.ok) throw new Error(r.reason);
    expect(r.diagnostics.minG).toBeGreaterThanOrEqual(0);
    expect(minButterflyG(r.params, -3, 3, 601).minG).toBeGreaterThanOrEqual(0);
    expect(r.diagnostics.arbitrageFix).toBeDefined();
    expect(r.diagnostics.rmse).toBeLessThan(2);
  });

  it('respects a calendar floor: w(k) ≥ floor on its grid', () => {
    const p = { a: 0.01, b: 0.08, rho: -0.3, m: 0.02, sigma: 0.1 };
    const k = grid(-0.6, 0.6, 61);
    // a floor above the smile on the right wing
    const w = k.map((x) => sviTotalVariance(p, x) + (x > 0.3 ? 0.004 : -0.001));
    const r = fitSmile({ quotes: exactQuotes(p, 0.1, grid(-0.5, 0.5, 21)), t: 0.1, calendarFloor: { k, w } });
    if (!r.ok) throw new Error(r.reason);
    expect(r.diagnostics.calendarDeficit).toBeGreaterThan(0);
    k.forEach((x, j) => expect(sviTotalVariance(r.params, x)).toBeGreaterThanOrEqual(w[j]!));
    expect(r.diagnostics.minG).toBeGreaterThanOrEqual(0);
  });
});
