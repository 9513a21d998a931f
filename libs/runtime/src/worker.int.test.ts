import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { BookEvent, MdEvent, STREAM_NAMES, decode, derivedId, type Forward, type IndexPrice } from '@volstream/events';
import { startNatsServer, waitFor, type NatsServer } from './testing/index.ts';
import { connectNats, ensureStreams } from './nats.ts';
import { Publisher } from './publisher.ts';
import { runWorker } from './worker.ts';
import type { Core } from './core.ts';

/** A toy core with state: each index price becomes a forward scaled by the running count. */
function toyCore(state?: unknown): Core<MdEvent, Forward> {
  let count = (state as { count?: number } | undefined)?.count ?? 0;
  return {
    apply(e) {
      if (e.type !== 'md.index') return [];
      count++;
      return [{ type: 'book.forward', v: 1, id: derivedId('fwd', e.id), venue: e.venue, ts: e.ts, recvTs: e.recvTs, underlying: e.underlying, expiryTs: 1_800_000_000_000, forward: e.price * count, source: 'index' }];
    },
    snapshot: () => ({ count }),
  };
}

const index = (i: number): IndexPrice => ({ type: 'md.index', v: 1, id: `idx:${i}`, venue: 'sim', ts: 1_000 + i, recvTs: 1_000 + i, underlying: 'BTC', indexName: 'btc_usd', price: 100 + (i % 7) });

async function readAll(url: string, stream: string) {
  const nc = await connectNats({ url, name: 'reader' });
  const js = jetstream(nc);
  const info = await (await jetstreamManager(nc)).streams.info(stream);
  const out: Forward[] = [];
  if (info.state.messages > 0) {
    const c = await js.consumers.get(stream);
    const it = await c.fetch({ max_messages: info.state.messages, expires: 5_000 });
    for await (const m of it) {
      const r = decode(m.data, BookEvent);
      if (r.ok && r.event.type === 'book.forward') out.push(r.event);
      if (out.length >= info.state.messages) break;
    }
  }
  await nc.close();
  return out;
}

describe('runWorker against a real nats-server', () => {
  let nats: NatsServer;
  beforeAll(async () => { nats = await startNatsServer(); });
  afterAll(async () => { await nats?.stop(); });

  it('processes, survives a crash between checkpoints, and neither loses nor doubles outputs', async () => {
    const N = 3_000;
    const nc = await connectNats({ url: nats.url, name: 'producer' });
    await ensureStreams(await jetstreamManager(nc));
    const pub = new Publisher(jetstream(nc));
    for (let i = 0; i < N / 2; i++) await pub.publish('md', index(i));
    await pub.flush();

    // First run: a checkpoint interval far longer than the run, then an abrupt connection close
    // (no stop, no final checkpoint) stands in for a killed process.
    const nc1 = await connectNats({ url: nats.url, name: 'w1', reconnect: false });
    const w1 = await runWorker({ name: 'toy', nc: nc1, input: { stage: 'md', schema: MdEvent }, output: 'book', core: toyCore, checkpointEveryMs: 600_000, batchSize: 200 });
    await waitFor('half the input consumed', () => w1.stats.inputs >= N / 2, { timeoutMs: 20_000 });
    await nc1.close();
    await w1.done.catch(() => undefined);

    for (let i = N / 2; i < N; i++) await pub.publish('md', index(i));
    await pub.flush();

    const nc2 = await connectNats({ url: nats.url, name: 'w2' });
    const w2 = await runWorker({ name: 'toy', nc: nc2, input: { stage: 'md', schema: MdEvent }, output: 'book', core: toyCore, batchSize: 200 });
    await waitFor('the second worker to reach the end', () => w2.stats.lastSeq >= N, { timeoutMs: 20_000 });
    await w2.stop();
    await nc2.close();

    // The restart replayed from the last checkpoint (the start): the first half was published
    // again with the same ids and dropped as duplicates.
    expect(w2.stats.duplicates).toBeGreaterThan(0);
    const outs = await readAll(nats.url, STREAM_NAMES.book);
    expect(outs).toHaveLength(N);
    expect(new Set(outs.map((o) => o.id)).size).toBe(N);
    // State carried across: the n-th output used count n.
    outs.forEach((o, n) => expect(o.forward).toBe((100 + (n % 7)) * (n + 1)));
    await nc.close();
  });

  it('resumes from its checkpoint after a clean stop', async () => {
    const nc = await connectNats({ url: nats.url, name: 'w3' });
    const w = await runWorker({ name: 'toy', nc, input: { stage: 'md', schema: MdEvent }, output: 'book', core: toyCore });
    await new Promise((r) => setTimeout(r, 300));
    expect(w.stats.resumedFrom).toBeGreaterThanOrEqual(3_000);
    expect(w.stats.inputs).toBe(0);
    await w.stop();
    await nc.close();
  });

  it('sets aside undecodable input with its reason and goes on', async () => {
    const nc = await connectNats({ url: nats.url, name: 'bad' });
    const js = jetstream(nc);
    await js.publish('md.sim.BTC._._idx', new Uint8Array([0xc1, 0x00]), { msgID: 'garbage-1' });
    await js.publish('md.sim.BTC._._idx', new TextEncoder().encode('not msgpack at all'), { msgID: 'garbage-2' });
    const w = await runWorker({ name: 'toy', nc, input: { stage: 'md', schema: MdEvent }, output: 'book', core: toyCore });
    await waitFor('two rejections', () => w.stats.rejected >= 2, { timeoutMs: 20_000 });
    await w.stop();
    const info = await (await jetstreamManager(nc)).streams.info(STREAM_NAMES.rejected);
    expect(info.state.messages).toBeGreaterThanOrEqual(2);
    await nc.close();
  });
});
