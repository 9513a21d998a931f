import { describe, expect, it } from 'vitest';
import type { MdEvent, Status } from '@volstream/events';
import { mapBybitMessage } from '../exchanges/bybit/mapper.ts';
import { mapBinanceMessage } from '../exchanges/binance/mapper.ts';
import { mapOkxMessage } from '../exchanges/okx/mapper.ts';
import { OkxChecksumVerifier, okxChecksum } from '../exchanges/okx/checksum.ts';
import { FramePipeline, type RegistryContext } from './pipeline.ts';
import type { StreamControl } from './stream-control.ts';

const SYM = 'BTC-27NOV26-95000-C';
const ob = (type: 'snapshot' | 'delta', u: number, b: string[][] = [], a: string[][] = [], ts = 1_790_000_000_000 + u) =>
  JSON.stringify({ topic: `orderbook.25.${SYM}`, type, ts, data: { s: SYM, b, a, u } });
const bybit = () => new FramePipeline<RegistryContext, StreamControl>({ venue: 'bybit', map: mapBybitMessage, ctx: { instruments: new Map() } });
const kinds = (events: MdEvent[]) => events.map((e) => (e.type === 'status' ? `status:${String((e as Status).detail?.phase)}` : `${e.type}:${'seq' in e ? e.seq : ''}`));

describe('FramePipeline sequencing rules', () => {
  it('passes a linked chain; a gap publishes the delta and a status, then drops deltas until the flagged snapshot', () => {
    const p = bybit();
    const out = [ob('snapshot', 10, [['100', '1']]), ob('delta', 11, [['100', '2']]), ob('delta', 13, [['95', '1']]), ob('delta', 14), ob('snapshot', 20, [['90', '1']]), ob('delta', 21)]
      .map((f, i) => p.process(f, 1_000 + i));
    expect(out.flatMap((r) => kinds(r.events))).toEqual([
      'md.book.snapshot:10', 'md.book.delta:11', 'md.book.delta:13', 'status:gap', 'status:resynced', 'md.book.snapshot:20', 'md.book.delta:21',
    ]);
    expect(out[2]!.resync).toEqual([{ instrument: SYM, reason: 'sequence gap' }]);
    expect(p.stats).toMatchObject({ resyncs: 1, droppedWhileResync: 1, duplicates: 0 });
  });

  it('drops a repeated delta without a resync', () => {
    const p = bybit();
    const out = [ob('snapshot', 10), ob('delta', 11, [['1', '1']]), ob('delta', 11, [['1', '1']]), ob('delta', 12)].map((f) => p.process(f, 5));
    expect(out.flatMap((r) => kinds(r.events))).toEqual(['md.book.snapshot:10', 'md.book.delta:11', 'md.book.delta:12']);
    expect(p.stats).toMatchObject({ duplicates: 1, resyncs: 0 });
  });

  it('gives deterministic statuses: the same frames map to the same ids in a fresh pipeline', () => {
    const frames = [ob('snapshot', 10), ob('delta', 12), ob('snapshot', 30)];
    const ids = () => { const p = bybit(); return frames.flatMap((f, i) => p.process(f, 100 + i).events.map((e) => e.id)); };
    expect(ids()).toEqual(ids());
    expect(ids()).toContain(`bybit:status:book_resync:${SYM}:12:gap`);
  });

  it('learns listings into the mapper context and dead-letters bad frames with their reason', () => {
    const p = bybit();
    p.process(JSON.stringify({ retCode: 0, result: { list: [{ symbol: SYM, status: 'Trading', baseCoin: 'XBT', settleCoin: 'USDC' }] }, time: 1_790_000_000_000 }), 1);
    expect(p.ctx.instruments.get(SYM)).toMatchObject({ kind: 'option', underlying: 'XBT' });
    expect(p.process(ob('snapshot', 1), 2).events[0]).toMatchObject({ underlying: 'XBT' });
    const bad = p.process('{oops', 3);
    expect(bad.rejected).toMatchObject({ type: 'rejected', venue: 'bybit', stage: 'connector', reason: 'malformed JSON', raw: '{oops' });
  });

  it('OKX: a message whose checksum disagrees is withheld; the resync is flagged; the fresh snapshot rebuilds', () => {
    const p = new FramePipeline<RegistryContext, StreamControl>({ venue: 'okx', map: mapOkxMessage, ctx: { instruments: new Map() }, verifier: new OkxChecksumVerifier() });
    const inst = 'BTC-USD-261225-100000-C';
    const frame = (action: string, prev: number, seq: number, bids: string[][], asks: string[][], checksum: number) =>
      JSON.stringify({ arg: { channel: 'books', instId: inst }, action, data: [{ asks: asks.map((l) => [...l, '0', '1']), bids: bids.map((l) => [...l, '0', '1']), ts: '1790000000000', checksum, prevSeqId: prev, seqId: seq }] });
    const cs = (bids: [string, string][], asks: [string, string][]) => okxChecksum(bids, asks);
    const r1 = p.process(frame('snapshot', -1, 10, [['0.05', '3']], [['0.06', '2']], cs([['0.05', '3']], [['0.06', '2']])), 1);
    const r2 = p.process(frame('update', 10, 11, [['0.051', '1']], [], cs([['0.051', '1'], ['0.05', '3']], [['0.06', '2']])), 2);
    // The venue's book after this update has 0.05 × 3, but the message says 0.05 × 777.
    const r3 = p.process(frame('update', 11, 12, [['0.05', '777']], [], cs([['0.051', '1'], ['0.05', '3']], [['0.06', '2']])), 3);
    const r4 = p.process(frame('update', 12, 13, [], [['0.07', '1']], 0), 4);
    const r5 = p.process(frame('snapshot', -1, 14, [['0.05', '4']], [['0.06', '2']], cs([['0.05', '4']], [['0.06', '2']])), 5);
    expect([r1, r2, r3, r4, r5].flatMap((r) => kinds(r.events))).toEqual(['md.book.snapshot:10', 'md.book.delta:11', 'status:checksum', 'status:resynced', 'md.book.snapshot:14']);
    expect(r3.resync).toHaveLength(1);
    expect(p.stats).toMatchObject({ checksumMismatches: 1, droppedWhileResync: 1 });
  });

  it('Binance partial books: an older whole book never replaces a newer one', () => {
    const p = new FramePipeline<RegistryContext, StreamControl>({ venue: 'binance', map: mapBinanceMessage, ctx: { instruments: new Map() }, dropOlderSnapshots: true });
    const depth = (u: number) => JSON.stringify({ stream: 'btc-261127-95000-c@depth20@100ms', data: { e: 'depthUpdate', E: 1_790_000_000_000 + u, s: 'BTC-261127-95000-C', U: u - 2, u, pu: u - 3, b: [[String(1000 + u), '1']], a: [] } });
    const seqs = [depth(10), depth(13), depth(10), depth(13), depth(16)].flatMap((f) => p.process(f, 1).events.map((e) => ('seq' in e ? e.seq : 0)));
    expect(seqs).toEqual([10, 13, 13, 16]);
    expect(p.stats.duplicates).toBe(1);
  });
});

describe('the pipeline never throws either (fuzz through mapRecordedFrame, every venue)', () => {
  it('mutated real frames and arbitrary strings, in sequence through one context per venue', async () => {
    const fc = (await import('fast-check')).default;
    const { loadFixtures } = await import('../fixtures/load.ts');
    const { mutate } = await import('../testing/mapper-checks.ts');
    const { createMapperContext, mapRecordedFrame } = await import('../recording/replay.ts');
    const venues = { deribit: 'deribit-frames.jsonl', okx: 'okx-frames.jsonl', bybit: 'bybit-frames.jsonl', binance: 'binance-frames.jsonl' } as const;
    for (const [venue, file] of Object.entries(venues)) {
      const real = loadFixtures(file).map((f) => f.frame);
      const ctx = createMapperContext(venue);
      fc.assert(fc.property(fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.tuple(fc.constantFrom(...real), fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })).map(([f, p, v]) => JSON.stringify(mutate(f, p, v))),
        fc.constantFrom(...real.map((f) => JSON.stringify(f))),
      ), fc.integer({ min: 1_000_000_000_000, max: 4_000_000_000_000 }), (frame, recvTs) => {
        const r = mapRecordedFrame({ venue, recvTs, frame }, ctx);
        for (const e of r.events) expect(e.venue).toBe(venue);
      }), { numRuns: 600 });
    }
  });
});
