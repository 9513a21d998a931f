import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Publisher, connectNats, ensureStreams, type NatsConnection } from '@volstream/runtime';
import { startNatsServer, type NatsServer } from '@volstream/runtime/testing';
import { openDuck, queryJson } from './duck.ts';
import { replay } from './replay.ts';
import { runLiveStages, syntheticMdEvents } from './testing/index.ts';

const T0 = Date.UTC(2026, 4, 17, 6, 0);
const md = [...syntheticMdEvents({ startTs: T0, durationMs: 150_000, eventsPerSecond: 50, expiryDays: [3, 10, 40], strikesPerExpiry: 12 })];

describe('replay from market data: the live book, vol and surface workers vs the replay', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let dir: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats({ url: nats.url, name: 'test' });
    const jsm = await jetstreamManager(nc);
    await ensureStreams(jsm);
    dir = await mkdtemp(join(tmpdir(), 'volstream-replay-md-'));
    const pub = new Publisher(jetstream(nc));
    for (const e of md) await pub.publish('md', e);
    await pub.flush();
    // The three live stages, each over the whole output of the one before.
    await runLiveStages({ nc, env: { NATS_URL: nats.url, FITTER: 'svi-qe', FIT_INTERVAL_MS: '1000' } });
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('rebuilds books and vols and reproduces every live fit of the range exactly', async () => {
    const s = await replay({ nc, underlying: 'BTC', from: T0 + 20_000, to: T0 + 140_000, fitters: ['svi-qe', 'essvi'], outDir: dir, codeVersion: 'test', parquet: false });
    expect(s).toMatchObject({ status: 'complete', firstSeq: 1, inputs: md.length, undecodable: 0 });
    const db = await openDuck(s.file);
    try {
      const [m] = await queryJson(db.conn, 'SELECT * FROM live_match');
      expect(Number(m!.live_fits)).toBeGreaterThan(200);
      expect(m).toMatchObject({ fitter: 'svi-qe@1', replayed: m!.live_fits, identical: m!.live_fits });
      const fits = await queryJson(db.conn, 'SELECT fitter, count(*) AS n FROM fits GROUP BY fitter ORDER BY fitter');
      expect(fits.map((r) => r.fitter)).toEqual(['essvi@1', 'svi-qe@1']);
      expect(fits.find((r) => r.fitter === 'svi-qe@1')!.n).toBe(m!.live_fits);
      const [run] = await queryJson(db.conn, 'SELECT from_stage, input_stream, input_filter FROM runs');
      expect(run).toEqual({ from_stage: 'md', input_stream: 'VS_MD', input_filter: 'md.*.BTC.>' });
    } finally {
      db.close();
    }
  });
});
