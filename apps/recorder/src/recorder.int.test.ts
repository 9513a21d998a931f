import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { AnyEvent } from '@volstream/events';
import { Publisher, connectNats, ensureStreams, runCore, type NatsConnection } from '@volstream/runtime';
import { startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { createSurfaceCore } from '@volstream/surface';
import { getFitter, listFitters } from '@volstream/svi';
import { openDuck, queryJson } from '@volstream/replay/archive';
import { syntheticVolPoints } from '@volstream/replay/testing';
import { parseRecorderConfig, startRecorder, type RecorderHandle } from './index.ts';

const T0 = Date.UTC(2026, 4, 17, 6, 59); // crosses into hour 07 after a minute
const points = [...syntheticVolPoints({ startTs: T0, durationMs: 150_000, pointsPerSecond: 20, expiryDays: [7, 30], strikesPerExpiry: 10 })];
const fitter = getFitter(listFitters().map((f) => f.id)[0]!);
if (!fitter.ok) throw new Error(fitter.reason);
const fits = runCore(createSurfaceCore({ fitter: fitter.fitter, fitIntervalMs: 5_000 }), points).filter((e) => e.type !== 'status');
const smiles = fits.filter((e) => e.type === 'surface.smile');
const surfaces = fits.filter((e) => e.type === 'surface.surface');
// Three batches: recorded and acked / recorded but the ack "crashes" / only buffered at the crash.
const third = (xs: AnyEvent[], i: number) => xs.slice(Math.floor((xs.length * i) / 3), Math.floor((xs.length * (i + 1)) / 3));

describe('recorder against a real nats-server', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let dir: string;
  let pub: Publisher;
  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats({ url: nats.url, name: 'test' });
    await ensureStreams(await jetstreamManager(nc));
    pub = new Publisher(jetstream(nc));
    dir = await mkdtemp(join(tmpdir(), 'volstream-archive-'));
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const publishBatch = async (i: number) => {
    for (const p of third(points, i)) await pub.publish('vol', p);
    for (const f of third(fits, i)) await pub.publish('surface', f);
    await pub.flush();
    return third(points, i).length + third(fits, i).length;
  };
  const config = () => parseRecorderConfig({ NATS_URL: nats.url, ARCHIVE_DIR: dir, RECORDER_FLUSH_MS: '600000' });

  it('writes complete parts, loses and doubles nothing across a crash between write and ack', async () => {
    // First process: batch 0 recorded and acked; batch 1 written but the ack never happens; batch 2 only buffered.
    const nc1 = await connectNats({ url: nats.url, name: 'rec1', reconnect: false });
    let crash = false;
    const rec1: RecorderHandle = await startRecorder(config(), { nc: nc1, beforeAck: () => { if (crash) throw new Error('crash before ack'); } });
    let expected = await publishBatch(0);
    await waitFor('batch 0 consumed', () => rec1.stats.messages >= expected);
    await rec1.flush();
    expect(rec1.stats.parts).toBe(3); // fits, surfaces, vol_points of hour 06
    expected += await publishBatch(1);
    await waitFor('batch 1 consumed', () => rec1.stats.messages >= expected);
    crash = true;
    await expect(rec1.flush()).rejects.toThrow('crash before ack');
    expected += await publishBatch(2);
    await waitFor('batch 2 consumed', () => rec1.stats.messages >= expected);
    await rec1.kill(); // the process dies: nothing more is written or acked
    await nc1.close();

    // Second process: resumes at the ack floor; batch 1 is on disk already and is skipped.
    const rec2 = await startRecorder(config());
    const redelivered = expected - third(points, 0).length - third(fits, 0).length;
    await waitFor('redelivery', () => rec2.stats.messages >= redelivered);
    await rec2.stop();
    expect(rec2.stats.skipped).toBeGreaterThan(0);

    // Only finished part files in the tables; the side folder holds nothing visible.
    for (const table of ['vol_points', 'fits', 'surfaces']) {
      const files = (await readdir(join(dir, table), { recursive: true })).filter((f) => !f.endsWith('/') && f.includes('.'));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(f).toMatch(/^date=2026-05-17\/hour=(06|07)\/underlying=BTC\/venue=deribit\/part-\d{12}-\d{12}\.parquet$/);
    }

    const db = await openDuck();
    const read = (t: string) => `read_parquet('${join(dir, t)}/**/*.parquet', hive_partitioning = true)`;
    const count = async (t: string) => (await queryJson(db.conn, `SELECT count(*) AS n, count(DISTINCT id) AS ids, count(DISTINCT seq) AS seqs FROM ${read(t)}`))[0];
    expect(await count('vol_points')).toEqual({ n: String(points.length), ids: String(points.length), seqs: String(points.length) });
    expect(await count('fits')).toEqual({ n: String(smiles.length), ids: String(smiles.length), seqs: String(smiles.length) });
    const surfaceRows = surfaces.reduce((a, s) => a + (s.type === 'surface.surface' ? s.expiries.length : 0), 0);
    expect(await count('surfaces')).toMatchObject({ n: String(surfaceRows), ids: String(surfaces.length) });
    // The rows are the events: spot-check values and the hive columns.
    const [row] = await queryJson(db.conn, `SELECT id, underlying, venue, hour, mid_iv FROM ${read('vol_points')} WHERE id = '${points[0]!.id}'`);
    expect(row).toEqual({ id: points[0]!.id, underlying: 'BTC', venue: 'deribit', hour: '06', mid_iv: points[0]!.midIv });
    const hours = await queryJson(db.conn, `SELECT DISTINCT hour FROM ${read('vol_points')} ORDER BY hour`);
    expect(hours.map((h) => h.hour)).toEqual(['06', '07']);
    db.close();
  });
});
