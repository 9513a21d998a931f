import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { STREAM_NAMES, VolEvent } from '@volstream/events';
import { connectNats, ensureStreams, Publisher, runCore } from '@volstream/runtime';
import { readStream, startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { createVolCore, parseVolConfig, startVol } from './index.ts';
import { syntheticBookStream, type SyntheticExpiry } from './testing/index.ts';

const T0 = 1_800_000_000_000;
const DAY = 86_400_000;
const expiries: SyntheticExpiry[] = [7, 30, 90].map((d) => ({ expiryTs: T0 + d * DAY, forward: 60_000 + 10 * d, params: { a: 0.3 * (d / 365), b: 0.05, rho: -0.3, m: 0, sigma: 0.2 } }));

describe('vol worker against a real nats-server', () => {
  let nats: NatsServer;
  beforeAll(async () => { nats = await startNatsServer(); });
  afterAll(async () => { await nats?.stop(); });

  it('loses and duplicates no vol point when killed mid-stream and restarted', async () => {
    // 3 expiries x 10 strikes x C/P, 12,000 updates 5 ms apart (120 reprice windows).
    const { events } = syntheticBookStream({ expiries, strikes: 10, startTs: T0, updates: 12_000, stepMs: 5, forwardShare: 0.2, seed: 3 });
    const expected = runCore(createVolCore(undefined, { repriceMs: 500 }), events);

    const nc = await connectNats({ url: nats.url, name: 'producer' });
    await ensureStreams(await jetstreamManager(nc));
    const pub = new Publisher(jetstream(nc));
    for (const e of events) await pub.publish('book', e);
    await pub.flush();

    const config = parseVolConfig({ NATS_URL: nats.url, CHECKPOINT_MS: '100', VOL_REPRICE_MS: '500' });
    const first = await startVol(config);
    await waitFor('a third of the input and a checkpoint', () => first.worker.stats.lastSeq >= events.length / 3 && first.worker.stats.checkpoints >= 1);
    // A crash: the connection goes away under the worker, no stop(), no final checkpoint.
    await first.nc.close();
    await first.done.catch(() => undefined);
    const killedAt = first.worker.stats.lastSeq;

    const second = await startVol(config);
    await waitFor('the restarted worker to reach the end', () => second.worker.stats.lastSeq >= events.length);
    await second.stop();

    const { messages, events: out } = await readStream(nats.url, STREAM_NAMES.vol, { schema: VolEvent });
    expect(killedAt, 'killed before the end of the input').toBeLessThan(events.length);
    expect(second.worker.stats.resumedFrom, 'resumed from a checkpoint').toBeGreaterThan(0);
    expect(second.worker.stats.resumedFrom).toBeLessThanOrEqual(killedAt);
    expect(out).toHaveLength(messages);
    expect(new Set(out.map((o) => o.id)).size).toBe(messages);
    // Exactly what the core gives over the whole input in one go, in order.
    expect(messages).toBe(expected.length);
    expect(out).toEqual(expected);
    await nc.close();
  });
});
