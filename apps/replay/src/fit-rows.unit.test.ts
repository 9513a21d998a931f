import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sviTotalVariance } from '@volstream/svi';
import type { SmileFit, Status, VolPoint } from '@volstream/events';
import { EXAMPLES } from '../../../libs/events/src/fixtures.ts';
import { METRIC_COLUMNS, RESIDUAL_COLUMNS, metricRow, rejectionRow, residualRows } from './fit-rows.ts';

const fit = { ...(EXAMPLES.find((e) => e.type === 'surface.smile') as SmileFit), forward: 100_000, t: 0.1, params: { a: 0.004, b: 0.02, rho: -0.3, m: 0.01, sigma: 0.1 } };
const base = EXAMPLES.find((e) => e.type === 'vol.point') as VolPoint;
const point = (strike: number, optionType: 'call' | 'put', iv: { bid: number | null; ask: number | null; mid: number | null }): VolPoint =>
  ({ ...base, instrument: `X-${strike}-${optionType}`, strike, optionType, bidIv: iv.bid, askIv: iv.ask, midIv: iv.mid, markIv: iv.mid });

describe('residual rows', () => {
  it('measures the fitted vol √(w(k)/t) at k = ln(K/F_fit) against bid, mid and ask', () => {
    const k = Math.log(110_000 / 100_000);
    const fitIv = Math.sqrt(sviTotalVariance(fit.params, k) / fit.t);
    const [r] = residualRows('run', fit, [point(110_000, 'call', { bid: fitIv - 0.01, ask: fitIv + 0.01, mid: fitIv - 0.002 })]);
    expect(Object.keys(r!).sort()).toEqual(RESIDUAL_COLUMNS.map((c) => c.name).sort());
    expect(r).toMatchObject({ run_id: 'run', fit_id: fit.id, fitter: 'svi-qe@1', k, otm: true, in_spread: true });
    expect(r!.fit_iv).toBeCloseTo(fitIv, 15);
    expect(r!.error).toBeCloseTo(0.2, 10); // vol points, fit above mid
  });

  it('flags quotes outside the spread, one-sided quotes and ITM quotes', () => {
    const rows = residualRows('run', fit, [
      point(90_000, 'put', { bid: 0.9, ask: 0.95, mid: 0.925 }),
      point(90_000, 'call', { bid: null, ask: 0.5, mid: null }),
      point(95_000, 'call', { bid: null, ask: null, mid: null }),
    ]);
    expect(rows).toHaveLength(2); // the quote with no IV at all is skipped
    expect(rows[0]).toMatchObject({ otm: true, in_spread: false });
    expect(rows[1]).toMatchObject({ otm: false, in_spread: null, error: null });
  });

  it('error is fit minus mid in vol points for any smile (property)', () => {
    fc.assert(fc.property(fc.double({ min: 50_000, max: 200_000, noNaN: true }), fc.double({ min: 0.1, max: 2, noNaN: true }), (strike, mid) => {
      const [r] = residualRows('run', fit, [point(strike, 'call', { bid: null, ask: null, mid })]);
      expect(r!.error).toBeCloseTo(((r!.fit_iv as number) - mid) * 100, 9);
    }));
  });
});

describe('metric and rejection rows', () => {
  it('adds the slice shape to the desk metrics', () => {
    const m = metricRow('run', fit);
    expect(Object.keys(m).sort()).toEqual(METRIC_COLUMNS.map((c) => c.name).sort());
    expect(m.atm_w).toBeCloseTo(sviTotalVariance(fit.params, 0), 15);
    expect(m.put_wing).toBeCloseTo(0.02 * 1.3, 15);
    expect(m.call_wing).toBeCloseTo(0.02 * 0.7, 15);
    expect(m.days).toBeCloseTo(36.5, 12);
  });

  it('keeps the reason and detail of a refused fit', () => {
    const s: Status = { type: 'status', v: 1, id: 'fitrej:1', venue: 'deribit', ts: 1, recvTs: 2, kind: 'fit_rejected', stage: 'surface', underlying: 'BTC', expiryTs: 99, reason: 'butterfly_arbitrage: minG -0.1', detail: { quotes: 12, keptPrevious: true } };
    expect(rejectionRow('run', 'svi-qe@1', s)).toEqual({ run_id: 'run', id: 'fitrej:1', fitter: 'svi-qe@1', venue: 'deribit', underlying: 'BTC', expiry: 99, ts: 1, reason: 'butterfly_arbitrage: minG -0.1', quotes: 12, kept_previous: true });
  });
});
