import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { MdEvent, STREAM_NAMES, SurfaceEvent, VolEvent, decode, filter } from '@volstream/events';
import { connectNats } from '@volstream/runtime';
import { getFitter } from '@volstream/svi';
import { createReplayEngine, type PipelineCores } from './engine.ts';
import { ReplayFile, PARQUET_DIR, exportParquet } from './replay-file.ts';
import { countMessages, readOrdered } from './source.ts';
import { rates, type ProgressState } from './progress.ts';
import { codeVersion as gitVersion, runId as makeRunId } from './run-id.ts';
import { fitRow, stableJson } from './rows.ts';
import { LIVE_FITS } from './tables.ts';
import { liveCores, DEFAULT_SETTINGS, type ReplaySettings } from './cores.ts';
import { ReplayOptionsError } from './errors.ts';

export type ReplayOptions = {
  /** A connection to use (left open), else one is made to `natsUrl`. */
  nc?: NatsConnection;
  natsUrl?: string;
  underlying: string;
  /** Only this venue's events; default every venue. */
  venue?: string;
  /** Range of fit times recorded, ms since epoch: [from, to). */
  from: number;
  to: number;
  /** Fitters by `name[@version]`; the first is the baseline unless `baseline` names another. */
  fitters: readonly string[];
  baseline?: string;
  /** Read market data and rebuild books and vols (`md`, default), or read the VOL stream. */
  fromStage?: 'md' | 'vol';
  /** Folder of the output: `replay.duckdb` and `parquet/`. */
  outDir: string;
  /** Settings of the cores: the live apps' defaults unless given (they must match live). */
  settings?: Partial<ReplaySettings>;
  /** The cores to run; default the live apps' own (tests and benchmarks may pass others). */
  cores?: PipelineCores;
  /** Export every table to parquet (default true). */
  parquet?: boolean;
  residualsEveryMs?: number;
  /** Keep reading this long past `to` (event time) so fits due before `to` are emitted. */
  graceMs?: number;
  /** Stops the run cleanly (Ctrl-C): the file is finished with status `interrupted`. */
  signal?: AbortSignal;
  onProgress?: (p: ProgressState) => void;
  progressEveryMs?: number;
  codeVersion?: string;
};

export type ReplaySummary = {
  runId: string;
  file: string;
  parquetDir: string | undefined;
  status: 'complete' | 'stream_end' | 'interrupted';
  fitters: string[];
  baseline: string;
  /** Events applied to the cores (decodable messages up to the stop). */
  inputs: number;
  undecodable: number;
  firstSeq: number | null;
  lastSeq: number | null;
  firstTs: number | null;
  lastTs: number | null;
  fits: Record<string, number>;
  rejected: Record<string, number>;
  rows: Record<string, number>;
  liveFits: number;
  wallMs: number;
  eventsPerS: number;
  marketX: number;
};

/** Resolve fitter ids to `name@version` with the registry the surface app uses (plain names
 * mean the latest version), so a replay names exactly the fitters the live stage can run. */
export function resolveFitters(ids: readonly string[], baseline?: string): { fitters: { id: string; name: string; version: string; description: string }[]; baseline: string } {
  if (ids.length === 0) throw new ReplayOptionsError('--fitters: name at least one fitter');
  const lookup = (flag: string, id: string) => {
    const r = getFitter(id);
    if (!r.ok) throw new ReplayOptionsError(`${flag}: ${r.reason}`);
    const f = r.fitter;
    return { id: `${f.name}@${f.version}`, name: f.name, version: f.version, description: f.description };
  };
  const unique = [...new Map(ids.map((id) => lookup('--fitters', id)).map((f) => [f.id, f])).values()];
  const base = baseline === undefined ? unique[0]!.id : lookup('--baseline', baseline).id;
  if (!unique.some((f) => f.id === base)) throw new ReplayOptionsError(`--baseline: ${base} is not among --fitters (${unique.map((f) => f.id).join(', ')})`);
  return { fitters: unique, baseline: base };
}

/**
 * Replay stored history through the live cores with one or more fitters and write the result to
 * `outDir/replay.duckdb` (and parquet). Reads the input stream from its first message, so every
 * core's state at `from` is what the live workers had; records fits with fit time in [from, to).
 */
export async function replay(opts: ReplayOptions): Promise<ReplaySummary> {
  if (!(Number.isFinite(opts.from) && Number.isFinite(opts.to) && opts.from < opts.to)) throw new ReplayOptionsError(`--from must be before --to (got ${opts.from}, ${opts.to})`);
  const { fitters, baseline } = resolveFitters(opts.fitters, opts.baseline);
  const fromStage = opts.fromStage ?? 'md';
  const asked: ReplaySettings = { ...DEFAULT_SETTINGS, ...opts.settings };
  // One venue's data cannot make the composite (as for a live worker whose SHARE takes one venue).
  const settings: ReplaySettings = opts.venue !== undefined ? { ...asked, composite: 'off' } : asked;
  const graceMs = opts.graceMs ?? Math.max(60_000, 5 * settings.fitIntervalMs);
  const stream = STREAM_NAMES[fromStage];
  const share = { venue: opts.venue, underlying: opts.underlying };
  const inputFilter = filter(fromStage, share);
  const schema = fromStage === 'md' ? MdEvent : VolEvent;
  const code = opts.codeVersion ?? gitVersion();

  const nc = opts.nc ?? (await connectNats({ url: opts.natsUrl ?? 'nats://127.0.0.1:4222', name: 'volstream-replay', reconnect: false }));
  const started = Date.now();
  const t0 = performance.now();
  const file = await ReplayFile.create(opts.outDir);
  try {
    // The id covers what is asked for (range, fitters, settings, code); what was actually read
    // (sequence range, status) is recorded beside it in `runs`.
    const runId = makeRunId({ underlying: opts.underlying, venue: opts.venue ?? null, from: opts.from, to: opts.to, fromStage, fitters: fitters.map((f) => f.id), baseline, settings, code, residualsEveryMs: opts.residualsEveryMs ?? 0 });
    const engine = createReplayEngine({
      runId, fromStage, fromTs: opts.from, toTs: opts.to, fitters: fitters.map((f) => f.id),
      cores: opts.cores ?? liveCores(settings), residualsEveryMs: opts.residualsEveryMs,
    });

    const total = await countMessages(nc, stream, inputFilter);
    let read = 0;
    let undecodable = 0;
    let firstSeq: number | null = null;
    let lastSeq: number | null = null;
    let rangeFirst: number | null = null;
    let rangeLast: number | null = null;
    let status: ReplaySummary['status'] = 'stream_end';
    const progressEvery = opts.progressEveryMs ?? 250;
    let lastProgress = 0;
    const fitsSoFar = () => Object.values(engine.stats.fits).reduce((a, b) => a + b, 0);
    const progress = (): ProgressState => ({ read, total, firstTs: engine.stats.firstTs, lastTs: engine.stats.lastTs, toTs: opts.to, elapsedMs: performance.now() - t0, fits: fitsSoFar() });

    for await (const m of readOrdered(nc, stream, inputFilter)) {
      if (opts.signal?.aborted) { status = 'interrupted'; break; }
      read++;
      firstSeq ??= m.seq;
      const r = decode(m.data, schema);
      if (!r.ok) { undecodable++; lastSeq = m.seq; continue; }
      const e = r.event as MdEvent | VolEvent;
      if (e.ts >= opts.to + graceMs) { status = 'complete'; break; }
      lastSeq = m.seq;
      if (e.ts >= opts.from && e.ts < opts.to) { rangeFirst ??= m.seq; rangeLast = m.seq; }
      engine.apply(e);
      if ((read & 1023) === 0) {
        file.pushEngineRows(engine.take());
        await file.maybeFlush();
        const now = performance.now();
        if (opts.onProgress && now - lastProgress >= progressEvery) { lastProgress = now; opts.onProgress(progress()); }
      }
    }
    if (status === 'stream_end' && (engine.stats.lastTs ?? 0) >= opts.to) status = 'complete';
    if (status !== 'interrupted') engine.finish();
    file.pushEngineRows(engine.take());
    opts.onProgress?.(progress());

    // What the live system stored for the same range, read from the SURFACE stream.
    const liveUntil = status === 'interrupted' ? Math.min(opts.to, (engine.stats.lastTs ?? opts.from) + 1) : opts.to;
    let liveFits = 0;
    for await (const m of readOrdered(nc, STREAM_NAMES.surface, filter('surface', share))) {
      const r = decode(m.data, SurfaceEvent);
      if (!r.ok || r.event.type !== 'surface.smile' || r.event.ts < opts.from || r.event.ts >= liveUntil) continue;
      file.push(LIVE_FITS, [fitRow(r.event, { run_id: runId }, { seq: m.seq })]);
      if ((++liveFits & 1023) === 0) await file.maybeFlush();
    }

    const wallMs = performance.now() - t0;
    const rt = rates({ read: engine.stats.inputs, firstTs: engine.stats.firstTs, lastTs: engine.stats.lastTs, elapsedMs: wallMs });
    const fitsTotal = fitsSoFar();
    await file.finish({
      runs: {
        run_id: runId, underlying: opts.underlying, venue: opts.venue ?? null, from_ts: opts.from, to_ts: opts.to, from_stage: fromStage,
        input_stream: stream, input_filter: inputFilter, first_seq: firstSeq, last_seq: lastSeq, range_first_seq: rangeFirst, range_last_seq: rangeLast,
        first_event_ts: engine.stats.firstTs ?? null, last_event_ts: engine.stats.lastTs ?? null, inputs: engine.stats.inputs, undecodable, fits: fitsTotal, live_fits: liveFits,
        fitters: fitters.map((f) => f.id).join(','), baseline, code_version: code,
        settings: stableJson({ ...settings, residualsEveryMs: opts.residualsEveryMs ?? 0, graceMs }), status,
      },
      timing: { run_id: runId, started_at: started, wall_ms: wallMs, events_per_s: rt.eventsPerS, market_x: rt.marketX },
      fitters: fitters.map((f) => ({
        run_id: runId, fitter: f.id, fitter_name: f.name, fitter_version: f.version, description: f.description, is_baseline: f.id === baseline,
        fits: engine.stats.fits[f.id] ?? 0, rejected: engine.stats.rejected[f.id] ?? 0,
      })),
    });
    const rows = Object.fromEntries(['fits', 'residuals', 'metrics', 'tenors', 'live_fits'].map((t) => [t, file.rowCount(t)]));
    const parquetDir = opts.parquet === false ? undefined : await exportParquet(file.path, join(opts.outDir, PARQUET_DIR));
    return {
      runId, file: file.path, parquetDir, status, fitters: fitters.map((f) => f.id), baseline, inputs: engine.stats.inputs, undecodable,
      firstSeq, lastSeq, firstTs: engine.stats.firstTs ?? null, lastTs: engine.stats.lastTs ?? null,
      fits: { ...engine.stats.fits }, rejected: { ...engine.stats.rejected }, rows, liveFits,
      wallMs, eventsPerS: rt.eventsPerS, marketX: rt.marketX,
    };
  } catch (err) {
    await file.abandon();
    throw err;
  } finally {
    if (!opts.nc) await nc.close();
  }
}
