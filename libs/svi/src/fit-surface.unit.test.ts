import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minButterflyG } from './butterfly.ts';
import { checkCalendar, linspace } from './calendar.ts';
import { essviFitter } from './essvi-fitter.ts';
import { fitSurface } from './fit-surface.ts';
import { getFitter, listFitters } from './fitter-registry.ts';
import { DERIBIT_LIKE_DAYS, mulberry32, syntheticChain, syntheticSurface } from './synthetic-chain.ts';
import { sviImpliedVol } from './svi-raw.ts';
import type { SurfaceFitResult } from './surface-types.ts';

const TS = DERIBIT_LIKE_DAYS.map((d) => d / 365);

/** Every published slice: g ≥ 0 on its grid; consecutive published slices calendar-free on kGrid. */
function assertArbitrageFree(s: SurfaceFitResult): void {
  const pub = s.expiries.filter((e) => e.ok);
  for (const e of pub) expect(minButterflyG(e.params, e.gGrid.kMin, e.gGrid.kMax, e.gGrid.n).minG).toBeGreaterThanOrEqual(0);
  const c = checkCalendar(pub.map((e) => ({ t: e.t, params: e.params })), linspace(s.kGrid.kMin, s.kGrid.kMax, s.kGrid.n));
  expect(c).toEqual({ ok: true });
}

describe('fitSurface', () => {
  for (const name of ['svi-qe', 'essvi']) {
    it(`${name}: recovers every expiry's ATM vol within 0.1 vol point on seeded noisy Deribit-like chains`, () => {
      const fitter = getFitter(name);
      if (!fitter.ok) throw new Error(fitter.reason);
      for (const seed of [1, 2, 3, 4, 5]) {
        const r = mulberry32(seed);
        const level = 0.45 + 0.4 * r();
        const rho = -0.5 + 0.5 * r();
        const slices = syntheticSurface({ ts: TS, atmVols: TS.map((t) => level + 0.25 * Math.exp(-8 * t)), rho, eta: 1.2 / (1 + Math.abs(rho)), gamma: 0.45 });
        const chain = syntheticChain({ slices, rand: r, midNoise: 0.1 });
        const s = fitSurface({ expiries: chain, fitter: fitter.fitter });
        expect(s.fitter).toEqual({ name, version: '1' });
        s.expiries.forEach((e, i) => {
          if (!e.ok) throw new Error(`seed ${seed} expiry ${i}: ${e.reason}`);
          const err = 100 * Math.abs(sviImpliedVol(e.params, 0, e.t) - sviImpliedVol(slices[i]!.params, 0, e.t));
          expect(err, `seed ${seed} expiry ${DERIBIT_LIKE_DAYS[i]}d`).toBeLessThan(0.1);
        });
        assertArbitrageFree(s);
      }
    });
  }

  it('the published surface never has g < 0 on its grid nor a calendar violation (property, both fitters, with perturbed expiries)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.3, max: 1.2, noNaN: true }),
        fc.double({ min: -0.7, max: 0.4, noNaN: true }),
        fc.double({ min: 0.3, max: 1.9, noNaN: true }),
        fc.array(fc.tuple(fc.nat({ max: 12 }), fc.double({ min: -0.3, max: 0.3, noNaN: true })), { maxLength: 3 }),
        fc.boolean(),
        (seed, level, rho, etaRaw, bumps, useEssvi) => {
          const slices = syntheticSurface({ ts: TS, atmVols: TS.map((t) => level + 0.3 * Math.exp(-6 * t)), rho, eta: etaRaw / (1 + Math.abs(rho)), gamma: 0.4 });
          const chain = syntheticChain({ slices, rand: mulberry32(seed), midNoise: 0.5 });
          // Shift whole expiries up/down by up to 30 vol points: creates calendar arbitrage in the data.
          for (const [i, dv] of bumps) {
            const e = chain[i]!;
            chain[i] = { ...e, quotes: e.quotes.map((q) => ({ ...q, bidIv: q.bidIv! * (1 + dv), askIv: q.askIv! * (1 + dv) })) };
          }
          const s = fitSurface({ expiries: chain, ...(useEssvi ? { fitter: essviFitter } : {}) });
          assertArbitrageFree(s);
          for (const e of s.expiries) if (!e.ok) expect(e.reason).toMatch(/^(calendar|butterfly|too_few|no_)/);
        },
      ),
      { numRuns: 60, endOnFailure: true },
    );
  });

  it('repairs a calendar violation in the data and flags it', () => {
    const slices = syntheticSurface({ ts: TS, atmVols: TS.map(() => 0.6), rho: -0.3, eta: 1, gamma: 0.45 });
    const chain = syntheticChain({ slices, rand: mulberry32(11), midNoise: 0.1 });
    // The 28-day expiry quoted 15% lower in vol: its ATM variance falls below the 21-day one.
    chain[6] = { ...chain[6]!, quotes: chain[6]!.quotes.map((q) => ({ ...q, bidIv: q.bidIv! * 0.85, askIv: q.askIv! * 0.85 })) };
    const s = fitSurface({ expiries: chain });
    expect(s.calendar.violationsBefore).toBeGreaterThan(0);
    const e = s.expiries[6]!;
    if (e.ok) expect(e.calendar.action).toBe('refit');
    else expect(e.reason).toMatch(/calendar/);
    assertArbitrageFree(s);
  });

  it('eSSVI slices satisfy the Hendriks–Martini ordering (θ and ψ non-decreasing) and carry their SSVI coordinates', () => {
    const slices = syntheticSurface({ ts: TS, atmVols: TS.map((t) => 0.5 + 0.2 * Math.exp(-5 * t)), rho: -0.3, eta: 1, gamma: 0.45 });
    const s = fitSurface({ expiries: syntheticChain({ slices, rand: mulberry32(3) }), fitter: essviFitter });
    const ok = s.expiries.filter((e) => e.ok);
    expect(ok).toHaveLength(13);
    for (let i = 1; i < ok.length; i++) {
      const a = ok[i - 1]!.ssvi!;
      const b = ok[i]!.ssvi!;
      expect(b.theta).toBeGreaterThanOrEqual(a.theta);
      expect(b.theta * b.phi).toBeGreaterThanOrEqual(a.theta * a.phi * (1 - 1e-12));
    }
  });

  it('is deterministic: the same chain gives bit-identical surfaces (both fitters)', () => {
    const slices = syntheticSurface({ ts: TS, atmVols: TS.map((t) => 0.6 + 0.2 * Math.exp(-5 * t)), rho: -0.3, eta: 1, gamma: 0.45 });
    const chain = syntheticChain({ slices, rand: mulberry32(99), midNoise: 0.5 });
    for (const fitter of [undefined, essviFitter]) {
      const a = fitSurface({ expiries: chain, clock: () => 0, ...(fitter ? { fitter } : {}) });
      const b = fitSurface({ expiries: chain.slice().reverse(), clock: () => 0, ...(fitter ? { fitter } : {}) });
      expect(b).toEqual(a);
    }
  });

  it('warm-starts from a previous surface with the same result quality', () => {
    const slices = syntheticSurface({ ts: TS, atmVols: TS.map(() => 0.7), rho: -0.2, eta: 1, gamma: 0.45 });
    const chain = syntheticChain({ slices, rand: mulberry32(5), midNoise: 0.1 });
    const first = fitSurface({ expiries: chain });
    const second = fitSurface({ expiries: chain, previous: first });
    second.expiries.forEach((e, i) => {
      const f = first.expiries[i]!;
      if (!e.ok || !f.ok) throw new Error('fit failed');
      expect(e.diagnostics.rmse).toBeLessThan(f.diagnostics.rmse + 0.01);
      expect(e.diagnostics.iterations).toBeLessThanOrEqual(f.diagnostics.iterations);
    });
  });
});

describe('fitter registry', () => {
  it('resolves name@version and plain name to the latest version', () => {
    expect(listFitters().map((f) => f.id)).toEqual(['essvi@1', 'svi-qe@1']);
    const a = getFitter('svi-qe@1');
    const b = getFitter('svi-qe');
    expect(a.ok && b.ok && a.fitter === b.fitter).toBe(true);
    expect(getFitter('essvi').ok).toBe(true);
  });

  it('names what it knows when the lookup fails', () => {
    expect(getFitter('sabr')).toEqual({ ok: false, reason: 'unknown fitter "sabr" (known: essvi@1, svi-qe@1)' });
    expect(getFitter('svi-qe@9')).toMatchObject({ ok: false, reason: expect.stringContaining('unknown version "9"') });
  });
});
