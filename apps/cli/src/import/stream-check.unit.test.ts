import { describe, expect, it } from 'vitest';
import type { JetStreamManager } from '@nats-io/jetstream';
import { encode, type OptionTicker } from '@volstream/events';
import { StreamCheck } from './stream-check.ts';

/** A stream whose subjects hold one last message each (what `last_by_subj` answers), counting lookups. */
function fakeStream(last: Record<string, { id: string; recvTs: number }>) {
  const lookups: string[] = [];
  const example: OptionTicker = { type: 'md.ticker', v: 1, id: '', venue: 'deribit', ts: 0, recvTs: 0, instrument: 'BTC-27NOV26-95000-C', underlying: 'BTC', expiryTs: 1_795_766_400_000 };
  const jsm = {
    direct: {
      getMessage: async (_stream: string, q: { last_by_subj: string }) => {
        lookups.push(q.last_by_subj);
        const m = last[q.last_by_subj];
        return m ? { data: encode({ ...example, ...m }) } : null;
      },
    },
  } as unknown as JetStreamManager;
  return { check: new StreamCheck(jsm, 'VS_MD'), lookups };
}

describe('StreamCheck', () => {
  it('skips what is at or before the subject\'s last stored message, publishes what follows', async () => {
    const { check, lookups } = fakeStream({ a: { id: 'a:2', recvTs: 20 } });
    const seen = async (subject: string, id: string, recvTs: number) => {
      await check.load(subject);
      return check.stored(subject, { id, recvTs });
    };
    expect(check.stored('a', { id: 'a:0', recvTs: 10 })).toBeUndefined(); // not looked up yet
    expect(await seen('a', 'a:0', 10)).toBe(true);
    expect(await seen('a', 'a:1', 20)).toBe(true); // same receive time, before the mark in the file
    expect(await seen('a', 'a:2', 20)).toBe(true); // the mark itself
    expect(await seen('a', 'a:3', 20)).toBe(false); // after it, same receive time: new
    expect(await seen('a', 'a:4', 15)).toBe(false); // past the mark, everything is new
    expect(await seen('b', 'b:0', 1)).toBe(false); // empty subject
    expect(await seen('b', 'b:1', 2)).toBe(false);
    expect(check.skipped).toBe(3);
    expect(lookups).toEqual(['a', 'b']); // one lookup per subject, however often load is called
  });

  it('moves past the mark on a later receive time even when the mark\'s id never comes', async () => {
    const { check } = fakeStream({ a: { id: 'live:9', recvTs: 20 } });
    await check.load('a');
    expect(check.stored('a', { id: 'x:1', recvTs: 20 })).toBe(true);
    expect(check.stored('a', { id: 'x:2', recvTs: 21 })).toBe(false);
    expect(check.stored('a', { id: 'x:0', recvTs: 5 })).toBe(false);
  });
});
