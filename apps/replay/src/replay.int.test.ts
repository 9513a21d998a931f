import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { STREAM_NAMES } from '@volstream/events';
import { Publisher, connectNats, ensureStreams, type NatsConnection } from '@volstream/runtime';
import { startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { parseSurfaceConfig, startSurface } from '@volstream/surface';
import { listFitters } from '@volstream/svi';
import { openDuck, queryJson, quoteIdent } from './duck.ts';
import { replay, type ReplaySummary } from './replay.ts';
import { readParquetSql } from './replay-file.ts';
import { NON_REPRODUCIBLE, REPLAY_TABLES } from './tables.ts';
import { syntheticVolPoints } from './testing/index.ts';

const T0 = Date.UTC(2026, 4, 17, 6, 0);
// Two venues, so the live surface worker also fits the composite surface (COMPOSITE defaults on).
const points = [
  ...syntheticVolPoints({ startTs: T0, durationMs: 180_000, pointsPerSecond: 30, expiryDays: [3, 10, 40], strikesPerExpiry: 12 }),
  ...syntheticVolPoints({ venue: 'okx', seed: 8, startTs: T0, durationMs: 180_000, pointsPerSecond: 10, expiryDays: [3, 10, 40], strikesPerExpiry: 8 }),
].sort((a, b) => a.ts - b.ts);
const FROM = T0 + 30_000;
const TO = T0 + 150_000;
const LIVE = 'svi-qe';
// A second registered fitter to compare with the live one.
const OTHER = listFitters().map((f) => f.id).find((id) => !id.startsWith(`${LIVE}@`));

describe('replay against a real nats-server', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let dir: string;
  let first: ReplaySummary;
  const fitters = [LIVE, OTHER!];

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats({ url: nats.url, name: 'test' });
    await ensureStreams(await jetstreamManager(nc));
    dir = await mkdtemp(join(tmpdir(), 'volstream-replay-'));
    // The VOL stream as the vol stage would have written it, then the live surface worker over it.
    const pub = new Publisher(jetstream(nc));
    for (const p of points) await pub.publish('vol', p);
    await pub.flush();
    const surface = await startSurface(parseSurfaceConfig({ NATS_URL: nats.url, FITTER: LIVE, FIT_INTERVAL_MS: '1000', LOG_LEVEL: 'warn' }));
    // Every input applied; stop() then commits, so every output is stored before the replay.
    await waitFor('the live surface worker to consume the VOL stream', async () => surface.worker.stats.lastSeq >= points.length, { timeoutMs: 120_000 });
    await surface.stop();
    first = await replay({ nc, underlying: 'BTC', from: FROM, to: TO, fitters, fromStage: 'vol', outDir: join(dir, 'a'), codeVersion: 'test' });
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes fits for every fitter, in the range only, with residuals, metrics and a run record', async () => {
    expect(first.status).toBe('complete');
    expect(first.firstSeq).toBe(1);
    const db = await openDuck(first.file);
    try {
      const perFitter = await queryJson(db.conn, 'SELECT fitter, count(*) AS n, min(epoch_ms(ts)) AS lo, max(epoch_ms(ts)) AS hi FROM fits GROUP BY fitter ORDER BY fitter');
      expect(perFitter.map((r) => r.fitter).sort()).toEqual(first.fitters.slice().sort());
      for (const r of perFitter) {
        expect(Number(r.n), String(r.fitter)).toBeGreaterThan(100);
        expect(Number(r.lo)).toBeGreaterThanOrEqual(FROM);
        expect(Number(r.hi)).toBeLessThan(TO);
      }
      const [counts] = await queryJson(db.conn, 'SELECT (SELECT count(*) FROM residuals) AS residuals, (SELECT count(*) FROM metrics) AS metrics, (SELECT count(*) FROM fits) AS fits');
      expect(Number(counts!.residuals)).toBeGreaterThan(Number(counts!.fits) * 10);
      expect(counts!.metrics).toBe(counts!.fits);
      const [run] = await queryJson(db.conn, 'SELECT * FROM runs');
      expect(run).toMatchObject({ run_id: first.runId, underlying: 'BTC', from_stage: 'vol', input_stream: 'VS_VOL', input_filter: 'vol.*.BTC.>', first_seq: '1', fitters: first.fitters.join(','), baseline: first.baseline, code_version: 'test', status: 'complete' });
      expect(JSON.parse(String(run!.settings))).toMatchObject({ fitIntervalMs: 1000 });
      // Every comparison view answers.
      expect((await queryJson(db.conn, 'SELECT * FROM winners')).length).toBeGreaterThan(10);
    } finally {
      db.close();
    }
  });

  it('reproduces the live fits of the live fitter exactly (every column but ms)', async () => {
    const db = await openDuck(first.file);
    try {
      const venues = await queryJson(db.conn, 'SELECT DISTINCT venue FROM live_fits ORDER BY venue');
      expect(venues.map((v) => v.venue)).toEqual(['composite', 'deribit', 'okx']);
      const match = await queryJson(db.conn, 'SELECT * FROM live_match');
      expect(match).toHaveLength(1);
      const [m] = match;
      expect(m!.fitter).toMatch(/^svi-qe@/);
      expect(Number(m!.live_fits)).toBeGreaterThan(100);
      expect(m).toMatchObject({ replayed: m!.live_fits, identical: m!.live_fits, max_param_diff: 0 });
      // ... and the replay made no fit of that fitter in the range that live did not make.
      const [extra] = await queryJson(db.conn, `SELECT count(*) AS n FROM fits f WHERE f.fitter = '${m!.fitter}' AND NOT EXISTS (SELECT 1 FROM live_fits l WHERE l.id = f.id)`);
      expect(extra!.n).toBe('0');
    } finally {
      db.close();
    }
  });

  it('replaying the same range twice gives identical tables', async () => {
    const second = await replay({ nc, underlying: 'BTC', from: FROM, to: TO, fitters, fromStage: 'vol', outDir: join(dir, 'b'), codeVersion: 'test', parquet: false });
    expect(second.runId).toBe(first.runId);
    const db = await openDuck();
    try {
      await db.conn.run(`ATTACH '${first.file}' AS a (READ_ONLY)`);
      await db.conn.run(`ATTACH '${second.file}' AS b (READ_ONLY)`);
      for (const t of REPLAY_TABLES) {
        const cols = t.columns.map((c) => c.name).filter((c) => !(NON_REPRODUCIBLE[t.name] ?? []).includes(c)).map(quoteIdent).join(', ');
        const rows = async (db_: string) => JSON.stringify(await queryJson(db.conn, `SELECT ${cols} FROM ${db_}.${quoteIdent(t.name)}`));
        expect(await rows('b'), t.name).toBe(await rows('a'));
      }
    } finally {
      db.close();
    }
  });

  it('stops cleanly when aborted (Ctrl-C), leaving a finished file marked interrupted', async () => {
    const abort = new AbortController();
    let calls = 0;
    const s = await replay({
      nc, underlying: 'BTC', from: FROM, to: TO, fitters: [LIVE], fromStage: 'vol', outDir: join(dir, 'c'), codeVersion: 'test', parquet: false,
      signal: abort.signal, progressEveryMs: 0, onProgress: () => { if (++calls === 2) abort.abort(); },
    });
    expect(s.status).toBe('interrupted');
    expect(s.inputs).toBeLessThan(points.length);
    const db = await openDuck(s.file);
    try {
      const [run] = await queryJson(db.conn, 'SELECT status, inputs, last_seq FROM runs');
      expect(run).toMatchObject({ status: 'interrupted', inputs: String(s.inputs) });
      // Only what was reached: no fit and no live fit after the last input read.
      const [late] = await queryJson(db.conn, `SELECT (SELECT count(*) FROM fits WHERE epoch_ms(ts) > ${s.lastTs}) + (SELECT count(*) FROM live_fits WHERE epoch_ms(ts) > ${s.lastTs}) AS n`);
      expect(late!.n).toBe('0');
      await db.conn.run('SELECT * FROM winners'); // the views are there
    } finally {
      db.close();
    }
  });

  it('exports every table to parquet, partitioned by date, underlying and fitter, reading back to the same rows', async () => {
    expect(first.parquetDir).toBeDefined();
    const db = await openDuck(first.file);
    try {
      for (const t of REPLAY_TABLES) {
        const [{ n }] = (await queryJson(db.conn, `SELECT count(*) AS n FROM ${quoteIdent(t.name)}`)) as [{ n: string }];
        if (n === '0') continue;
        const back = readParquetSql(first.parquetDir!, t);
        const [diff] = await queryJson(db.conn, `SELECT (SELECT count(*) FROM (SELECT * FROM ${quoteIdent(t.name)} EXCEPT ALL ${back})) + (SELECT count(*) FROM (${back} EXCEPT ALL SELECT * FROM ${quoteIdent(t.name)})) AS d, (SELECT count(*) FROM (${back})) AS n`);
        expect(diff, t.name).toEqual({ d: '0', n });
      }
      // DuckDB escapes the @ of name@version in the folder name; reading back decodes it.
      const files = await queryJson(db.conn, `SELECT file FROM glob('${first.parquetDir}/fits/**/*.parquet')`);
      for (const f of files) expect(String(f.file)).toMatch(/fits\/date=2026-05-17\/underlying=BTC\/fitter=[^/]+%40[^/]+\/data_\d+\.parquet$/);
    } finally {
      db.close();
    }
  });
});
