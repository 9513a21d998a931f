import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { BookEvent, STREAM_NAMES, expiryToken, type AnyEvent } from '@volstream/events';
import { connectNats, runCore } from '@volstream/runtime';
import { freePort, startNatsServer, type NatsServer } from '@volstream/runtime/testing';
import { createVolCore } from '@volstream/vol';
import { FITS, PARQUET_DIR, readParquetSql, replay } from '@volstream/replay';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { superviseApp, type AppProcess } from '../apps/cli/src/supervisor.ts';
import { readStream, subjectCounts, waitFor } from '@volstream/runtime/testing';

type ApiSurface = { underlying: string; ts: number; expiries: { expiry: string; expiryTs: number; t: number; forward: number; params: Record<'a' | 'b' | 'rho' | 'm' | 'sigma', number>; atmVol: number; rr25: number; bf25: number; rmse: number; points: number }[] };
type Truth = { spot: number; expiries: { expiryTs: number; t: number; forward: number; params: Record<'a' | 'b' | 'rho' | 'm' | 'sigma', number> }[] };

const DAY = 86_400_000;
const logs: string[] = [];

describe('the whole pipeline on the simulated venue, stage by stage through JetStream', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let apps: Record<string, AppProcess>;
  let api: string;
  let truthUrl: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats({ url: nats.url, name: 'e2e' });
    const [port, simPort] = [await freePort(), await freePort()];
    api = `http://127.0.0.1:${port}`;
    truthUrl = `http://127.0.0.1:${simPort}/truth`;
    const env = {
      NATS_URL: nats.url, PORT: String(port), HOST: '127.0.0.1', SIM_PORT: String(simPort), 
      DERIBIT_WS_URL: `ws://127.0.0.1:${simPort}/ws/api/v2`, VENUES: 'deribit',
      FIT_INTERVAL_MS: '1000', LOG_LEVEL: 'warn',
    };
    const write = (l: string) => { logs.push(l); if (logs.length > 400) logs.shift(); };
    apps = {};
    for (const name of ['sim', 'gateway', 'surface', 'vol', 'book', 'connector'] as const) apps[name] = superviseApp(name, { env, write, color: false });
  });

  afterAll(async () => {
    for (const a of Object.values(apps ?? {}).reverse()) await a.stop();
    await nc?.close();
    await nats?.stop();
  });

  const surface = async (u: string): Promise<ApiSurface | undefined> => {
    const r = await fetch(`${api}/api/v1/surfaces/${u}`);
    return r.ok ? ((await r.json()) as ApiSurface) : undefined;
  };

  it('serves BTC and ETH surfaces within 60 s whose ATM vols match the simulator within 1 vol point', async () => {
    const started = Date.now();
    const btc = await waitFor('a BTC surface with >= 5 expiries', async () => {
      const s = await surface('BTC');
      return s && s.expiries.length >= 5 ? s : undefined;
    }, { timeoutMs: 90_000, everyMs: 500 }).catch((err) => { throw new Error(`${err}\n--- last logs ---\n${logs.slice(-60).join('\n')}`); });
    console.log(`first BTC surface with ${btc.expiries.length} expiries after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(Date.now() - started).toBeLessThan(60_000 + 15_000); // apps' own start-up included (tsx)

    for (const u of ['BTC', 'ETH']) {
      // Let a few fits pass so every expiry has quotes, then compare with the truth of the same moment.
      const s = await waitFor(`a ${u} surface with >= 5 expiries`, async () => {
        const x = await surface(u);
        return x && x.expiries.length >= 5 ? x : undefined;
      }, { timeoutMs: 30_000, everyMs: 500 });
      const truth = (await (await fetch(`${truthUrl}/${u}`)).json()) as Truth;
      expect(s.expiries.length).toBeGreaterThanOrEqual(5);
      let compared = 0;
      for (const e of s.expiries) {
        for (const v of [e.forward, e.t, e.atmVol, e.rr25, e.bf25, e.rmse, ...Object.values(e.params)]) expect(Number.isFinite(v)).toBe(true);
        expect(new Date(e.expiry).getTime()).toBe(e.expiryTs);
        const tr = truth.expiries.find((x) => x.expiryTs === e.expiryTs);
        if (!tr || e.expiryTs - s.ts < 2 * DAY) continue;
        const p = tr.params;
        const w0 = p.a + p.b * (p.rho * -p.m + Math.sqrt(p.m * p.m + p.sigma * p.sigma));
        const trueAtm = Math.sqrt(w0 / tr.t);
        console.log(`${u} ${e.expiry.slice(0, 10)} fitted ${(e.atmVol * 100).toFixed(2)} truth ${(trueAtm * 100).toFixed(2)} diff ${((e.atmVol - trueAtm) * 100).toFixed(3)} vp`);
        expect(Math.abs(e.atmVol - trueAtm) * 100, `${u} ${e.expiry}: fitted ${e.atmVol} vs truth ${trueAtm}`).toBeLessThan(1);
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(3);
    }
  });

  it('every stage stream holds the events that led to the surface', async () => {
    const s = (await surface('BTC'))!;
    for (const e of s.expiries.slice(0, 3)) {
      const tok = expiryToken(e.expiryTs);
      const md = await subjectCounts(nc, STREAM_NAMES.md, `md.deribit.BTC.${tok}.>`);
      const book = await subjectCounts(nc, STREAM_NAMES.book, `book.deribit.BTC.${tok}.>`);
      const vol = await subjectCounts(nc, STREAM_NAMES.vol, `vol.deribit.BTC.${tok}.>`);
      const fits = await subjectCounts(nc, STREAM_NAMES.surface, `surface.deribit.BTC.${tok}.>`);
      // The options quoted on this expiry appear at every stage, and the fit of the expiry is stored.
      expect(Object.keys(md).length, tok).toBeGreaterThanOrEqual(e.points);
      expect(Object.keys(book).length, tok).toBeGreaterThanOrEqual(e.points);
      expect(Object.keys(vol).length, tok).toBeGreaterThanOrEqual(e.points);
      expect(fits[`surface.deribit.BTC.${tok}._smile`]).toBeGreaterThan(0);
    }
    const surfaces = await subjectCounts(nc, STREAM_NAMES.surface, 'surface.deribit.BTC._._surface');
    expect(surfaces['surface.deribit.BTC._._surface']).toBeGreaterThan(1);
  });

  it('survives a vol process killed mid-stream: the surface keeps updating, no vol point lost or duplicated', async () => {
    const before = (await surface('BTC'))!;
    apps.vol!.kill('SIGKILL');
    await waitFor('vol restarted', async () => apps.vol!.restarts() >= 1, { timeoutMs: 20_000, everyMs: 500 });
    const after = await waitFor('a newer BTC surface after the restart', async () => {
      const s = await surface('BTC');
      return s && s.ts > before.ts + 20_000 ? s : undefined; // and enough market time for the replay test
    }, { timeoutMs: 60_000, everyMs: 500 });
    expect(after.expiries.length).toBeGreaterThanOrEqual(5);

    // Stop the source and let the pipeline drain, then compare the VOL stream with what the vol
    // core makes of the whole BOOK stream: the same events, each exactly once.
    await apps.connector!.stop();
    await apps.sim!.stop();
    const jsm = await jetstreamManager(nc);
    await waitFor('vol consumer drained', async () => {
      const c = await jsm.consumers.info(STREAM_NAMES.book, 'vol_all');
      return c.num_pending === 0 && c.num_ack_pending === 0;
    }, { timeoutMs: 60_000, everyMs: 500 });
    await new Promise((r) => setTimeout(r, 4_000)); // the worker's idle flush

    const bookEvents = (await readStream(nc, STREAM_NAMES.book)).stored.map((m) => BookEvent.parse(m.event));
    const expected = runCore(createVolCore(), bookEvents, { flush: true }).map((e: AnyEvent) => e.id);
    const stored = (await readStream(nc, STREAM_NAMES.vol)).stored.map((m) => m.event.id);
    expect(stored.length).toBeGreaterThan(1_000);
    expect(new Set(stored).size, 'duplicated vol points').toBe(stored.length);
    expect(stored.length).toBe(expected.length);
    expect(new Set(stored)).toEqual(new Set(expected));
  });

  it('replays the recorded minutes with two fitters: the live fitter reproduces every live fit, parquet reads back', async () => {
    const jsm = await jetstreamManager(nc);
    await waitFor('surface consumer drained', async () => {
      const c = await jsm.consumers.info(STREAM_NAMES.vol, 'surface_all');
      return c.num_pending === 0 && c.num_ack_pending === 0;
    }, { timeoutMs: 60_000, everyMs: 500 });
    const fitTimes = (await readStream(nc, STREAM_NAMES.surface, { filterSubject: 'surface.deribit.BTC._._surface' })).stored.map((m) => m.event.ts);
    expect(fitTimes.length).toBeGreaterThan(10);
    const [from, to] = [fitTimes[2]!, fitTimes[fitTimes.length - 2]!];
    const dir = await mkdtemp(join(tmpdir(), 'volstream-e2e-replay-'));
    try {
      const s = await replay({ nc, underlying: 'BTC', from, to, fitters: ['svi-qe', 'essvi'], outDir: dir, codeVersion: 'e2e' });
      expect(s.status).toBe('complete');
      const db = await (await DuckDBInstance.create(s.file)).connect();
      const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();
      const [match] = await rows('SELECT * FROM live_match');
      console.log(`replayed ${((to - from) / 1000).toFixed(0)} s of market: live_match ${JSON.stringify(match)}`);
      expect(Number(match!.live_fits)).toBeGreaterThan(20);
      expect(Number(match!.identical)).toBe(Number(match!.live_fits));
      const fitters = await rows('SELECT fitter, count(*) AS n FROM fits GROUP BY fitter ORDER BY fitter');
      expect(fitters.map((r) => r.fitter)).toEqual(['essvi@1', 'svi-qe@1']);
      // The parquet export holds the same fit rows as the DuckDB table.
        const parquet = readParquetSql(join(dir, PARQUET_DIR), FITS);
      const diff = await rows(`SELECT count(*) AS n FROM ((SELECT * FROM fits EXCEPT ${parquet}) UNION ALL (${parquet} EXCEPT SELECT * FROM fits))`);
      const [counts] = await rows(`SELECT (SELECT count(*) FROM fits) AS db, (SELECT count(*) FROM (${parquet})) AS pq`);
      expect(counts!.pq).toBe(counts!.db);
      expect(Number(diff[0]!.n)).toBe(0);
      db.closeSync();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
