import { describe, expect, it } from 'vitest';
import { runCore, type Core } from '@volstream/runtime';
import { createSurfaceCore } from '@volstream/surface';
import { getFitter, listFitters } from '@volstream/svi';
import type { BookEvent, MdEvent, SurfaceEvent, VolEvent } from '@volstream/events';
import { createReplayEngine, type PipelineCores } from './engine.ts';
import { syntheticVolPoints } from './testing/index.ts';

const T0 = Date.UTC(2026, 4, 17, 6);
const points = [...syntheticVolPoints({ startTs: T0, durationMs: 40_000, pointsPerSecond: 80, expiryDays: [7, 30], strikesPerExpiry: 12 })];
const FITTER = listFitters().map((f) => f.id)[0]!;

function surfaceCore(id: string): Core<VolEvent, SurfaceEvent> {
  const f = getFitter(id);
  if (!f.ok) throw new Error(f.reason);
  return createSurfaceCore({ fitter: f.fitter });
}
const unused = () => { throw new Error('not used from the vol stage'); };
const volCores: PipelineCores = { book: unused, vol: unused, surface: surfaceCore };

describe('replay engine', () => {
  it('emits exactly the fits the surface core makes, limited to fit times in [from, to)', () => {
    const from = T0 + 10_000;
    const to = T0 + 30_000;
    const engine = createReplayEngine({ runId: 'r', fromStage: 'vol', fromTs: from, toTs: to, fitters: [FITTER], cores: volCores });
    for (const p of points) engine.apply(p);
    engine.finish();
    const rows = engine.take();
    const expected = runCore(surfaceCore(FITTER), points).filter((e) => e.type === 'surface.smile' && e.ts >= from && e.ts < to);
    expect(expected.length).toBeGreaterThan(20);
    expect(rows.fits.map((r) => r.id)).toEqual(expected.map((e) => e.id));
    expect(rows.metrics).toHaveLength(rows.fits.length);
    expect(rows.tenors.length).toBeGreaterThan(0);
    expect(engine.stats.fits[FITTER]).toBe(expected.length);
    expect(engine.take().fits).toEqual([]); // take() drains
  });

  it('measures each fit against the quotes held at the fit boundary, not the point that triggered it', () => {
    const engine = createReplayEngine({ runId: 'r', fromStage: 'vol', fromTs: T0, toTs: T0 + 60_000, fitters: [FITTER], cores: volCores });
    for (const p of points) engine.apply(p);
    const { fits, residuals } = engine.take();
    expect(residuals.length).toBeGreaterThan(fits.length * 5);
    for (const r of residuals) expect(r.quote_ts as number).toBeLessThan(r.ts as number);
    // The OTM residuals of a good fit on a synthetic smile are small (mid noise ±0.2 vol points).
    const otm = residuals.filter((r) => r.otm && r.error !== null).map((r) => Math.abs(r.error as number));
    expect(otm.reduce((a, b) => a + b, 0) / otm.length).toBeLessThan(1);
  });

  it('thins residuals to one set per (fitter, expiry) per residualsEveryMs', () => {
    const run = (every: number) => {
      const e = createReplayEngine({ runId: 'r', fromStage: 'vol', fromTs: T0, toTs: T0 + 60_000, fitters: [FITTER], cores: volCores, residualsEveryMs: every });
      for (const p of points) e.apply(p);
      return e.take();
    };
    const all = run(0);
    const thin = run(10_000);
    expect(thin.fits).toEqual(all.fits);
    expect(new Set(thin.residuals.map((r) => r.fit_id)).size).toBeLessThanOrEqual(2 * 5);
  });

  it('from market data, chains book -> vol -> surface and flushes upstream first at the end', () => {
    const calls: string[] = [];
    const md = (i: number) => ({ type: 'md.index', v: 1, id: `i${i}`, venue: 'deribit', ts: T0 + i, recvTs: T0 + i, underlying: 'BTC', indexName: 'btc_usd', price: 1 }) as MdEvent;
    const book: Core<MdEvent, BookEvent> = { apply: (e) => { calls.push(`book:${e.id}`); return [{ type: 'book.forward', v: 1, id: `b<${e.id}>`, venue: e.venue, ts: e.ts, recvTs: e.recvTs, underlying: 'BTC', expiryTs: T0 + 1e9, forward: 1, source: 'index' }]; }, flush: () => { calls.push('book.flush'); return []; }, snapshot: () => null };
    const vol: Core<BookEvent, VolEvent> = { apply: (e) => { calls.push(`vol:${e.id}`); return []; }, flush: () => { calls.push('vol.flush'); return []; }, snapshot: () => null };
    const engine = createReplayEngine({ runId: 'r', fromStage: 'md', fromTs: T0, toTs: T0 + 10, fitters: [FITTER], cores: { book: () => book, vol: () => vol, surface: surfaceCore } });
    engine.apply(md(1));
    engine.apply(md(2));
    engine.finish();
    expect(calls).toEqual(['book:i1', 'vol:b<i1>', 'book:i2', 'vol:b<i2>', 'book.flush', 'vol.flush']);
    expect(engine.stats).toMatchObject({ inputs: 2, bookEvents: 2, firstTs: T0 + 1, lastTs: T0 + 2 });
  });
});
