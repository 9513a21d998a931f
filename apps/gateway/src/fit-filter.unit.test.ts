import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitSmile } from '@volstream/svi';
import { otmQuotes, type StoredPoint } from '@volstream/surface';
import type { VolPoint } from '@volstream/events';
import { fitExclusions } from './fit-filter.ts';
import { exampleQuotes, exampleSurface } from './testing/fixtures.ts';

const FITTER_REASONS = ['invalid', 'no_iv', 'crossed', 'one_sided', 'too_wide', 'vol_cliff'];

const count = (xs: readonly (string | null)[]) => {
  const out: Record<string, number> = {};
  for (const x of xs) out[String(x)] = (out[String(x)] ?? 0) + 1;
  return out;
};

/** The real fit of the quotes the surface stage would give the fitter. */
function realFit(points: readonly VolPoint[], forward: number, t: number) {
  const stored: StoredPoint[] = points.map((p, i) => ({ instrument: String(i), strike: p.strike, isCall: p.optionType === 'call', bidIv: p.bidIv, askIv: p.askIv, midIv: p.midIv, vega: p.vega }));
  const quotes = otmQuotes({ points: stored, forward, t });
  return { quotes, fit: fitSmile({ quotes, t, clock: () => 0 }) };
}

describe('fitExclusions', () => {
  const surface = exampleSurface();
  const all = exampleQuotes(surface, { strikes: 31, flawed: true });

  it('names the reason of each spoiled quote and leaves the others in the fit', () => {
    for (const s of surface.expiries) {
      const points = all.filter((p) => p.expiryTs === s.expiryTs);
      const why = fitExclusions(points, s);
      const itm = points.map((p) => (p.optionType === 'call') !== (p.strike >= s.forward));
      // In-the-money quotes are never in the fit; out-of-the-money ones carry the spoils.
      expect(why.filter((_, i) => itm[i]).every((w) => w === 'itm')).toBe(true);
      const otm = why.filter((_, i) => !itm[i]);
      expect(count(otm)).toEqual({ null: otm.length - 5, crossed: 1, too_wide: 1, one_sided: 1, no_iv: 1, vol_cliff: 1 });
      const at = (reason: string) => points[why.indexOf(reason)]!;
      expect(at('crossed').bidIv!).toBeGreaterThan(at('crossed').askIv!);
      expect(at('no_iv')).toMatchObject({ bidIv: null, askIv: null, midIv: null });
      expect(at('vol_cliff').strike).toBe(Math.max(...points.map((p) => p.strike)));
    }
  });

  it('agrees with the real fit: counts per reason equal the fitter’s dropped counts, and the rest is what it used', () => {
    for (const s of surface.expiries) {
      const points = all.filter((p) => p.expiryTs === s.expiryTs);
      const { fit } = realFit(points, s.forward, s.t);
      expect(fit.ok).toBe(true);
      if (!fit.ok) continue;
      const why = fitExclusions(points, s);
      // `no_iv` and bid-only (`one_sided`) quotes never reach the fitter: the surface stage's
      // otmQuotes leaves them out first.
      const byReason = count(why.filter((w) => w !== null && FITTER_REASONS.includes(w) && w !== 'no_iv' && w !== 'one_sided'));
      expect(byReason).toEqual(fit.diagnostics.dropped);
      expect(why.filter((w) => w === null)).toHaveLength(fit.diagnostics.used);
    }
  });

  it('finds vol cliffs on either wing and spoils of any kind, as the fitter does (property)', () => {
    const spoil = fc.constantFrom('none', 'none', 'none', 'cliff', 'crossed', 'wide', 'bid_only');
    fc.assert(fc.property(
      fc.integer({ min: 8, max: 40 }), fc.array(spoil, { minLength: 40, maxLength: 40 }), fc.double({ min: -0.6, max: 0.3, noNaN: true }),
      (n, spoils, rho) => {
        const forward = 100;
        const t = 0.1;
        const points: VolPoint[] = [];
        for (let i = 0; i < n; i++) {
          const k = -0.5 + i / (n - 1);
          const strike = forward * Math.exp(k);
          let mid = 0.5 + rho * 0.3 * k + 0.4 * k * k;
          let bid: number | null = mid - 0.01;
          let ask: number | null = mid + 0.01;
          let midIv: number | null = mid;
          switch (spoils[i]) {
            case 'cliff': mid *= 0.3; bid = mid - 0.005; ask = mid + 0.005; midIv = mid; break;
            case 'crossed': [bid, ask] = [ask, bid]; break;
            case 'wide': bid = mid * 0.4; ask = mid * 1.6; break;
            case 'bid_only': ask = null; midIv = null; break;
            default: break;
          }
          points.push({
            type: 'vol.point', v: 1, id: `p${i}`, venue: 'x', ts: 0, recvTs: 0, instrument: `X-${i}`, underlying: 'X', expiryTs: 1, strike,
            optionType: strike >= forward ? 'call' : 'put', settlement: 'linear', contractSize: 1, t, forward, k,
            bid: null, ask: null, mark: null, bidIv: bid, askIv: ask, midIv, markIv: midIv, delta: null, vega: null, reasons: {},
          });
        }
        const why = fitExclusions(points, { forward, t });
        const { quotes, fit } = realFit(points, forward, t);
        const dropped = fit.ok ? fit.diagnostics.dropped : fit.diagnostics?.dropped ?? {};
        const used = fit.ok ? fit.diagnostics.used : fit.diagnostics?.used ?? 0;
        const mine = count(why.filter((w) => w !== null && w !== 'one_sided' && w !== 'no_iv' && w !== 'itm'));
        expect(mine).toEqual(dropped);
        expect(why.filter((w) => w === null)).toHaveLength(used);
        expect(quotes.length).toBe(why.filter((w) => w !== 'one_sided' && w !== 'no_iv' && w !== 'itm').length);
        // Which quotes, not just how many: fitted to the quotes we say are in, the fitter drops
        // nothing and lands on the very same parameters as on all of them (it is deterministic).
        const kept = quotes.filter((q) => why[Number(q.instrument)] === null);
        const again = fitSmile({ quotes: kept, t, clock: () => 0 });
        if (fit.ok) {
          expect(again.ok && again.diagnostics.dropped).toEqual({});
          expect(again.ok && again.params).toEqual(fit.params);
        }
      },
    ), { numRuns: 80, seed: 42 });
  });
});
