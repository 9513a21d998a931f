import { describe, expect, it } from 'vitest';
import { subjectFor, type AnyEvent, type IndexPrice, type Stage } from '@volstream/events';
import type { Publisher } from '@volstream/runtime';
import { PublishSink } from './sink.ts';

/** A Publisher stand-in: records order, resolves publishes after a tick, can fail a flush. */
function fakePublisher(opts: { failFlush?: boolean } = {}) {
  const published: string[] = [];
  let flushes = 0;
  const pub = {
    stats: { published: 0, duplicates: 0, failed: 0 },
    async publish(stage: Stage, ev: AnyEvent) {
      subjectFor(stage, ev); // throws for unroutable events, like the real one
      await new Promise((r) => setImmediate(r));
      published.push(ev.id);
    },
    async flush() {
      flushes++;
      if (opts.failFlush) throw new Error('no ack');
    },
  };
  return { pub: pub as unknown as Publisher, published, flushes: () => flushes };
}

const index = (i: number, underlying = 'BTC'): IndexPrice => ({ type: 'md.index', v: 1, id: `x${i}`, venue: 'deribit', ts: 1e12 + i, recvTs: 1e12 + i, underlying, indexName: 'btc_usd', price: 1 + i });

describe('PublishSink', () => {
  it('publishes in push order and flushes every N events and when drained', async () => {
    const f = fakePublisher();
    const sink = new PublishSink({ publisher: f.pub, flushEvery: 10 });
    for (let i = 0; i < 35; i++) sink.push(index(i));
    await sink.drain();
    expect(f.published).toEqual(Array.from({ length: 35 }, (_, i) => `x${i}`));
    expect(f.flushes()).toBeGreaterThanOrEqual(4);
    expect(sink.stats).toMatchObject({ pushed: 35, queued: 0, failures: 0 });
  });

  it('asks its sources to pause above the high-water mark and to resume at half', async () => {
    const f = fakePublisher();
    const signals: boolean[] = [];
    const sink = new PublishSink({ publisher: f.pub, highWater: 20, onPause: (p) => signals.push(p) });
    for (let i = 0; i < 50; i++) sink.push(index(i));
    await sink.drain();
    expect(signals).toEqual([true, false]);
  });

  it('reports a failed flush (events may be lost) and an unroutable event, and keeps going', async () => {
    const f = fakePublisher({ failFlush: true });
    const failures: string[] = [];
    const unroutable: string[] = [];
    const sink = new PublishSink({ publisher: f.pub, onFailure: (e) => failures.push(e.message), onUnroutable: (ev) => unroutable.push(ev.id) });
    sink.push(index(1));
    sink.push(index(2, 'bad token'));
    sink.push(index(3));
    await sink.drain();
    expect(f.published).toEqual(['x1', 'x3']);
    expect(unroutable).toEqual(['x2']);
    expect(failures).toContain('no ack');
    expect(sink.stats.unroutable).toBe(1);
  });
});
