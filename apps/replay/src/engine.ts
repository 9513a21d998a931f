import type { BookEvent, MdEvent, SmileFit, SurfaceEvent, VolEvent, VolPoint } from '@volstream/events';
import type { Core } from '@volstream/runtime';
import type { Row } from './duck.ts';
import { fitRow, fitterId, tenorRows } from './rows.ts';
import { metricRow, rejectionRow, residualRows } from './fit-rows.ts';

/** The live apps' cores, built fresh for a replay (no checkpoint: replay starts at the stream's start). */
export type PipelineCores = {
  book: () => Core<MdEvent, BookEvent>;
  vol: () => Core<BookEvent, VolEvent>;
  /** One surface core per fitter id (`name@version`). */
  surface: (fitter: string) => Core<VolEvent, SurfaceEvent>;
};

export type EngineOptions = {
  runId: string;
  fromStage: 'md' | 'vol';
  /** Fits with fit time in [fromTs, toTs) are recorded; everything before only warms the cores. */
  fromTs: number;
  toTs: number;
  /** Fitter ids, `name@version`. */
  fitters: readonly string[];
  cores: PipelineCores;
  /** Residuals of a (fitter, expiry) at most once per this many ms of fit time; 0: every fit. */
  residualsEveryMs?: number;
};

export type EngineRows = { fits: Row[]; residuals: Row[]; metrics: Row[]; tenors: Row[]; rejections: Row[] };
const noRows = (): EngineRows => ({ fits: [], residuals: [], metrics: [], tenors: [], rejections: [] });

export type EngineStats = {
  inputs: number;
  bookEvents: number;
  volEvents: number;
  /** Per fitter id. */
  fits: Record<string, number>;
  surfaces: Record<string, number>;
  rejected: Record<string, number>;
  firstTs: number | undefined;
  lastTs: number | undefined;
};

/**
 * The replay pipeline in memory: market data (or vol points) in, rows out. It chains the live
 * apps' own cores exactly as the workers do (md -> book -> vol -> one surface core per fitter)
 * and turns their outputs into table rows. Pure: no clock, no I/O; the same inputs give the same
 * rows. Rows accumulate until `take()`.
 */
export function createReplayEngine(opts: EngineOptions) {
  const book = opts.fromStage === 'md' ? opts.cores.book() : undefined;
  const vol = opts.fromStage === 'md' ? opts.cores.vol() : undefined;
  const surfaces = opts.fitters.map((id) => ({ id, core: opts.cores.surface(id) }));
  const every = opts.residualsEveryMs ?? 0;
  const stats: EngineStats = { inputs: 0, bookEvents: 0, volEvents: 0, fits: {}, surfaces: {}, rejected: {}, firstTs: undefined, lastTs: undefined };
  for (const { id } of surfaces) { stats.fits[id] = 0; stats.surfaces[id] = 0; stats.rejected[id] = 0; }
  let rows: EngineRows = noRows();

  // Latest vol point per instrument per expiry: the quotes a fit is measured against.
  const points = new Map<string, Map<string, VolPoint>>();
  const lastResidualTs = new Map<string, number>();
  const expiryKey = (e: { venue: string; underlying: string; expiryTs: number }) => `${e.venue}|${e.underlying}|${e.expiryTs}`;
  const inRange = (ts: number) => ts >= opts.fromTs && ts < opts.toTs;

  function keepPoint(p: VolPoint) {
    const key = expiryKey(p);
    let m = points.get(key);
    if (!m) points.set(key, (m = new Map()));
    if (p.reasons.mid === 'expired' || p.reasons.mark === 'expired') m.delete(p.instrument);
    else m.set(p.instrument, p);
  }

  function onFit(fitter: string, f: SmileFit) {
    stats.fits[fitter]!++;
    rows.fits.push(fitRow(f, { run_id: opts.runId }));
    rows.metrics.push(metricRow(opts.runId, f));
    const rk = `${fitter}|${expiryKey(f)}`;
    const last = lastResidualTs.get(rk);
    if (every === 0 || last === undefined || f.ts - last >= every) {
      lastResidualTs.set(rk, f.ts);
      const held = points.get(expiryKey(f));
      if (held) for (const r of residualRows(opts.runId, f, held.values())) rows.residuals.push(r);
    }
  }

  function onSurfaceOutputs(fitter: string, outs: readonly SurfaceEvent[]) {
    for (const o of outs) {
      if (o.type === 'status') {
        if (o.kind === 'fit_rejected' && inRange(o.ts)) {
          stats.rejected[fitter]!++;
          rows.rejections.push(rejectionRow(opts.runId, fitter, o));
        }
        continue;
      }
      if (!inRange(o.ts)) continue;
      if (fitterId(o.fitter) !== fitter) throw new Error(`surface core for ${fitter} emitted a fit by ${fitterId(o.fitter)}`);
      if (o.type === 'surface.smile') onFit(fitter, o);
      else {
        stats.surfaces[fitter]!++;
        for (const r of tenorRows(o, { run_id: opts.runId })) rows.tenors.push(r);
      }
    }
  }

  function onVol(v: VolEvent) {
    stats.volEvents++;
    for (const s of surfaces) onSurfaceOutputs(s.id, s.core.apply(v));
    // Held after the surface cores saw the point: a fit it triggers is made at the boundary,
    // before the point is applied, so the residuals must not include it either.
    if (v.type === 'vol.point') keepPoint(v);
  }

  function onBook(b: BookEvent) {
    stats.bookEvents++;
    for (const v of vol!.apply(b)) onVol(v);
  }

  function track(ts: number) {
    stats.inputs++;
    if (stats.firstTs === undefined) stats.firstTs = ts;
    stats.lastTs = ts;
  }

  return {
    stats,
    /** Apply one input of the stage being replayed. */
    apply(e: MdEvent | VolEvent): void {
      track(e.ts);
      if (book) for (const b of book.apply(e as MdEvent)) onBook(b);
      else onVol(e as VolEvent);
    },
    /** End of input: emit what the cores hold back, upstream first. */
    finish(): void {
      if (book?.flush) for (const b of book.flush()) onBook(b);
      if (vol?.flush) for (const v of vol.flush()) onVol(v);
      for (const s of surfaces) if (s.core.flush) onSurfaceOutputs(s.id, s.core.flush());
    },
    /** Rows produced since the last call. */
    take(): EngineRows {
      const out = rows;
      rows = noRows();
      return out;
    },
  };
}

export type ReplayEngine = ReturnType<typeof createReplayEngine>;
