import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decoder, Encoder } from '@msgpack/msgpack';
import {
  BookEvent, derivedId,
  type BookDelta, type BookSnapshot, type FuturePrice, type InstrumentDef, type Level, type MdEvent, type OptionTicker, type Status, type TopOfBook,
} from '@volstream/events';
import { runCore } from '@volstream/runtime';
import { createBookCore } from './core.ts';

// ---------------------------------------------------------------------------------------------
// Event builders for golden cases. Times: ts = 1000 * n, recvTs = ts + 5.

const VENUE = 'deribit';
const INST = 'BTC-27NOV26-95000-C';
const EXP = Date.parse('2026-11-27T08:00:00Z');
const TERMS = { instrument: INST, underlying: 'BTC', expiryTs: EXP, strike: 95_000, optionType: 'call' as const, settlement: 'inverse' as const, contractSize: 1 };
const at = (id: string, n: number) => ({ v: 1 as const, venue: VENUE, id, ts: 1_790_000_000_000 + n * 1_000, recvTs: 1_790_000_000_005 + n * 1_000 });

const instrument = (id: string, n: number, over: Partial<InstrumentDef> = {}): InstrumentDef => ({
  ...at(id, n), type: 'md.instrument', instrument: INST, underlying: 'BTC', kind: 'option', expiryTs: EXP, strike: 95_000, optionType: 'call',
  settlement: 'inverse', contractSize: 1, quoteCurrency: 'BTC', tickSize: 0.0001, active: true, ...over,
});
const snap = (id: string, n: number, seq: number, bids: Level[], asks: Level[], instrumentName = INST): BookSnapshot => ({
  ...at(id, n), type: 'md.book.snapshot', instrument: instrumentName, underlying: 'BTC', expiryTs: EXP, seq, bids, asks,
});
const delta = (id: string, n: number, prevSeq: number, seq: number, bids: Level[], asks: Level[]): BookDelta => ({
  ...at(id, n), type: 'md.book.delta', instrument: INST, underlying: 'BTC', expiryTs: EXP, seq, prevSeq, bids, asks,
});
const ticker = (id: string, n: number, f: Partial<OptionTicker>): OptionTicker => ({ ...at(id, n), type: 'md.ticker', instrument: INST, underlying: 'BTC', expiryTs: EXP, ...f });
const future = (id: string, n: number, markPrice: number, expiryTs: number | undefined = EXP): FuturePrice => ({
  ...at(id, n), type: 'md.future', instrument: expiryTs ? 'BTC-27NOV26' : 'BTC-PERPETUAL', underlying: 'BTC', ...(expiryTs ? { expiryTs } : {}), markPrice,
});
const status = (id: string, n: number, f: Partial<Status>): Status => ({ ...at(id, n), type: 'status', kind: 'feed_disconnected', stage: 'connector', underlying: 'BTC', reason: 'test', ...f });

const top = (cause: { id: string; ts: number; recvTs: number }, seq: number, bid: number | null, bidSize: number | null, ask: number | null, askSize: number | null): TopOfBook => ({
  type: 'book.top', v: 1, id: derivedId('top', cause.id), venue: VENUE, ts: cause.ts, recvTs: cause.recvTs, ...TERMS, bid, bidSize, ask, askSize, seq,
});

// ---------------------------------------------------------------------------------------------
// Golden cases: { input events } -> { expected outputs }, as data.

const i0 = instrument('i0', 0);
const s1 = snap('s1', 1, 100, [[0.05, 1.5], [0.049, 3]], [[0.051, 2], [0.052, 4]]);
const d2 = delta('d2', 2, 100, 105, [[0.049, 5]], []); // below the top: no output
const d3 = delta('d3', 3, 105, 107, [[0.0505, 1]], []); // new best bid
const d4 = delta('d4', 4, 107, 110, [[0.0505, 0]], [[0.051, 0]]); // best bid and ask deleted
const gap = delta('g5', 5, 111, 115, [[0.05, 9]], []); // prevSeq 111 != 110
const d6 = delta('d6', 6, 115, 116, [[0.05, 8]], []); // dropped: out of sync
const s7 = snap('s7', 7, 130, [[0.048, 1]], [[0.053, 1]]);
const d8 = delta('d8', 8, 130, 131, [], [[0.0525, 2]]);

const t1 = ticker('t1', 1, { underlyingPrice: 95_500, underlyingIndex: 'BTC-27NOV26', markPrice: 0.0502, markIv: 0.52 });
const t2 = ticker('t2', 2, { underlyingPrice: 95_500, underlyingIndex: 'BTC-27NOV26', markPrice: 0.0502, markIv: 0.53 });
const t3 = ticker('t3', 3, { underlyingPrice: 95_600, underlyingIndex: 'BTC-27NOV26', markPrice: 0.0504 });

const cases: { name: string; input: MdEvent[]; expected: BookEvent[] }[] = [
  {
    name: 'snapshot then deltas: a top only when best price or size changes',
    input: [i0, s1, d2, d3, d4],
    expected: [top(s1, 100, 0.05, 1.5, 0.051, 2), top(d3, 107, 0.0505, 1, 0.051, 2), top(d4, 110, 0.05, 1.5, 0.052, 4)],
  },
  {
    name: 'deltas before the first snapshot are dropped',
    input: [i0, d2, d3, s1],
    expected: [top(s1, 100, 0.05, 1.5, 0.051, 2)],
  },
  {
    name: 'a gap: one resync status and one null top, deltas dropped until the next snapshot',
    input: [i0, s1, gap, d6, s7, d8],
    expected: [
      top(s1, 100, 0.05, 1.5, 0.051, 2),
      {
        type: 'status', v: 1, id: derivedId('resync', 'g5'), venue: VENUE, ts: gap.ts, recvTs: gap.recvTs, kind: 'book_resync', stage: 'book',
        underlying: 'BTC', instrument: INST, expiryTs: EXP, reason: 'sequence gap: expected prevSeq 100, got 111; book withheld until the next snapshot',
        detail: { expectedPrevSeq: 100, prevSeq: 111, seq: 115 },
      },
      top(gap, 115, null, null, null, null),
      top(s7, 130, 0.048, 1, 0.053, 1),
      top(d8, 131, 0.048, 1, 0.0525, 2),
    ],
  },
  {
    name: 'a snapshot clears both sides (an empty side publishes null)',
    input: [i0, s1, snap('s2', 2, 120, [[0.04, 1]], [])],
    expected: [top(s1, 100, 0.05, 1.5, 0.051, 2), top(at('s2', 2), 120, 0.04, 1, null, null)],
  },
  {
    name: 'a book built before its terms is published when they arrive; repeated terms emit nothing',
    input: [s1, d2, d3, i0, instrument('i9', 9)],
    expected: [top(i0, 107, 0.0505, 1, 0.051, 2)],
  },
  {
    name: 'books of futures and perpetuals are ignored',
    input: [instrument('f0', 0, { instrument: 'BTC-PERPETUAL', kind: 'perpetual', expiryTs: undefined, strike: undefined, optionType: undefined }), snap('fs', 1, 5, [[100, 1]], [[101, 1]], 'BTC-PERPETUAL')],
    expected: [],
  },
  {
    name: 'crossed book (remove_stale_opposite): a new ask through the bids removes the stale bids',
    input: [i0, s1, delta('x2', 2, 100, 101, [], [[0.0495, 1]])],
    expected: [top(s1, 100, 0.05, 1.5, 0.051, 2), top(at('x2', 2), 101, 0.049, 3, 0.0495, 1)],
  },
  {
    name: 'crossed book: a new bid through the asks removes the stale asks',
    input: [i0, s1, delta('x3', 3, 100, 101, [[0.0515, 2]], [])],
    expected: [top(s1, 100, 0.05, 1.5, 0.051, 2), top(at('x3', 3), 101, 0.0515, 2, 0.052, 4)],
  },
  {
    name: 'forward from underlying_price when it changes; mark when the mark price changes',
    input: [t1, t2, t3],
    expected: [
      { type: 'book.forward', v: 1, id: derivedId('fwd', 't1'), venue: VENUE, ts: t1.ts, recvTs: t1.recvTs, underlying: 'BTC', expiryTs: EXP, forward: 95_500, source: 'underlying_price', sourceName: 'BTC-27NOV26' },
      { type: 'book.mark', v: 1, id: derivedId('mark', 't1'), venue: VENUE, ts: t1.ts, recvTs: t1.recvTs, instrument: INST, underlying: 'BTC', expiryTs: EXP, markPrice: 0.0502, venueMarkIv: 0.52 },
      { type: 'book.forward', v: 1, id: derivedId('fwd', 't3'), venue: VENUE, ts: t3.ts, recvTs: t3.recvTs, underlying: 'BTC', expiryTs: EXP, forward: 95_600, source: 'underlying_price', sourceName: 'BTC-27NOV26' },
      { type: 'book.mark', v: 1, id: derivedId('mark', 't3'), venue: VENUE, ts: t3.ts, recvTs: t3.recvTs, instrument: INST, underlying: 'BTC', expiryTs: EXP, markPrice: 0.0504 },
    ],
  },
  {
    name: 'a future mark is the forward only when no underlying_price is current; perpetuals never',
    input: [future('f1', 1, 95_400), t1, future('f2', 2, 95_450), future('p3', 3, 95_000, undefined), future('f70', 70, 95_470)],
    expected: [
      { type: 'book.forward', v: 1, id: derivedId('fwd', 'f1'), venue: VENUE, ts: at('f1', 1).ts, recvTs: at('f1', 1).recvTs, underlying: 'BTC', expiryTs: EXP, forward: 95_400, source: 'future', sourceName: 'BTC-27NOV26' },
      { type: 'book.forward', v: 1, id: derivedId('fwd', 't1'), venue: VENUE, ts: t1.ts, recvTs: t1.recvTs, underlying: 'BTC', expiryTs: EXP, forward: 95_500, source: 'underlying_price', sourceName: 'BTC-27NOV26' },
      { type: 'book.mark', v: 1, id: derivedId('mark', 't1'), venue: VENUE, ts: t1.ts, recvTs: t1.recvTs, instrument: INST, underlying: 'BTC', expiryTs: EXP, markPrice: 0.0502, venueMarkIv: 0.52 },
      // 69 s after the last underlying_price (> FORWARD_PREFERENCE_MS): the future takes over.
      { type: 'book.forward', v: 1, id: derivedId('fwd', 'f70'), venue: VENUE, ts: at('f70', 70).ts, recvTs: at('f70', 70).recvTs, underlying: 'BTC', expiryTs: EXP, forward: 95_470, source: 'future', sourceName: 'BTC-27NOV26' },
    ],
  },
  {
    name: 'a re-snapshot (reconnect) with an unchanged top re-sends it flagged refresh; a changed top is emitted as usual',
    input: [
      i0, s1,
      status('st2', 2, { kind: 'feed_disconnected' }), status('st3', 3, { kind: 'feed_connected' }),
      snap('s4', 4, 200, [[0.05, 1.5], [0.048, 7]], [[0.051, 2]]), // same top, other levels and seq
      snap('s5', 5, 210, [[0.05, 1.5]], [[0.051, 2.5]]), // ask size changed
    ],
    expected: [
      top(s1, 100, 0.05, 1.5, 0.051, 2),
      status('st2', 2, { kind: 'feed_disconnected' }),
      status('st3', 3, { kind: 'feed_connected' }),
      { ...top(at('s4', 4), 200, 0.05, 1.5, 0.051, 2), refresh: true },
      top(at('s5', 5), 210, 0.05, 1.5, 0.051, 2.5),
    ],
  },
  {
    name: 'a first snapshot is never a refresh, nor a re-snapshot of a book without terms',
    input: [s1, snap('s2', 2, 101, [[0.05, 1.5]], [[0.051, 2]])],
    expected: [],
  },
  {
    name: 'status events pass through; a connector book_resync withholds the book until a snapshot',
    input: [i0, s1, status('st2', 2, { kind: 'feed_disconnected' }), status('st3', 3, { kind: 'book_resync', instrument: INST }), d2, s7],
    expected: [
      top(s1, 100, 0.05, 1.5, 0.051, 2),
      status('st2', 2, { kind: 'feed_disconnected' }),
      status('st3', 3, { kind: 'book_resync', instrument: INST }),
      top(at('st3', 3), 100, null, null, null, null),
      top(s7, 130, 0.048, 1, 0.053, 1),
    ],
  },
  {
    name: "a connector's 'resynced' notice flags the fresh snapshot and withholds nothing",
    input: [i0, s1, status('st2', 2, { kind: 'book_resync', instrument: INST, detail: { phase: 'resynced' } }), d2, d3],
    expected: [
      top(s1, 100, 0.05, 1.5, 0.051, 2),
      status('st2', 2, { kind: 'book_resync', instrument: INST, detail: { phase: 'resynced' } }),
      top(d3, 107, 0.0505, 1, 0.051, 2),
    ],
  },
];

describe('book core golden cases', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    const out = runCore(createBookCore(), input);
    expect(out).toEqual(expected);
    for (const o of out) expect(BookEvent.safeParse(o).success).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated streams

/** A random valid-looking MD stream for one option: snapshots, linked deltas, some gaps, tickers. */
const streamArb = fc.array(
  fc.oneof(
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), bids: fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 50 })), { maxLength: 8 }), asks: fc.array(fc.tuple(fc.integer({ min: 41, max: 80 }), fc.integer({ min: 1, max: 50 })), { maxLength: 8 }) }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('delta' as const), gap: fc.integer({ min: 0, max: 19 }), bids: fc.array(fc.tuple(fc.integer({ min: 1, max: 45 }), fc.integer({ min: 0, max: 50 })), { maxLength: 4 }), asks: fc.array(fc.tuple(fc.integer({ min: 36, max: 80 }), fc.integer({ min: 0, max: 50 })), { maxLength: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('ticker' as const), f: fc.integer({ min: 0, max: 3 }), m: fc.integer({ min: 0, max: 3 }) }) },
  ),
  { maxLength: 120 },
);

type Step = typeof streamArb extends fc.Arbitrary<(infer T)[]> ? T : never;
const px = (tick: number) => tick * 0.0005;

function toEvents(steps: Step[], withInstrument = true): MdEvent[] {
  const out: MdEvent[] = withInstrument ? [instrument('i', 0)] : [];
  let seq = 1_000;
  steps.forEach((s, n) => {
    const id = `e${n}`;
    if (s.kind === 'snapshot') {
      seq += 3;
      out.push(snap(id, n + 1, seq, s.bids.map(([t, a]) => [px(t), a]), s.asks.map(([t, a]) => [px(t), a])));
    } else if (s.kind === 'delta') {
      const prev = s.gap === 0 ? seq + 1 : seq; // 1 in 20 breaks the chain
      seq += 2;
      out.push(delta(id, n + 1, prev, seq, s.bids.map(([t, a]) => [px(t), a]), s.asks.map(([t, a]) => [px(t), a])));
    } else {
      out.push(ticker(id, n + 1, { underlyingPrice: 95_000 + s.f, markPrice: 0.05 + s.m / 1_000 }));
    }
  });
  return out;
}

const msgpack = { enc: new Encoder({ ignoreUndefined: true }), dec: new Decoder() };

describe('book core properties', () => {
  it('snapshot/restore mid-stream (through msgpack) gives the same outputs as an uninterrupted core', () => {
    fc.assert(fc.property(streamArb, fc.array(fc.nat(), { maxLength: 4 }), (steps, cutSeeds) => {
      const events = toEvents(steps);
      const whole = runCore(createBookCore(), events);
      const cuts = [...new Set(cutSeeds.map((c) => c % (events.length + 1)))].sort((a, b) => a - b);
      let core = createBookCore();
      const pieces: BookEvent[] = [];
      let from = 0;
      for (const cut of [...cuts, events.length]) {
        pieces.push(...runCore(core, events.slice(from, cut)));
        from = cut;
        const state = msgpack.dec.decode(msgpack.enc.encode(core.snapshot()));
        const restored = createBookCore(state);
        expect(restored.snapshot()).toEqual(core.snapshot());
        core = restored;
      }
      expect(pieces).toEqual(whole);
    }), { numRuns: 300 });
  });

  it('applying N deltas one by one leaves the same book as applying them coalesced in any batching', () => {
    const deltasOnly = fc.array(fc.record({ bids: fc.array(fc.tuple(fc.integer({ min: 1, max: 45 }), fc.integer({ min: 0, max: 50 })), { maxLength: 4 }), asks: fc.array(fc.tuple(fc.integer({ min: 46, max: 90 }), fc.integer({ min: 0, max: 50 })), { maxLength: 4 }) }), { minLength: 1, maxLength: 60 });
    fc.assert(fc.property(deltasOnly, fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 60 }), (ds, sizes) => {
      const start = snap('s', 1, 10, [[px(20), 5]], [[px(60), 5]]);
      const one = ds.map((d, n) => delta(`d${n}`, n + 2, 10 + n, 11 + n, d.bids.map(([t, a]) => [px(t), a]), d.asks.map(([t, a]) => [px(t), a])));
      // Coalesce consecutive deltas the way a venue batches changes: levels in order, the
      // first message's prevSeq and the last one's seq.
      const batched: BookDelta[] = [];
      for (let i = 0, b = 0; i < one.length; b++) {
        const group = one.slice(i, i + sizes[b % sizes.length]!);
        i += group.length;
        batched.push({ ...group[group.length - 1]!, id: `b${b}`, prevSeq: group[0]!.prevSeq, bids: group.flatMap((g) => g.bids), asks: group.flatMap((g) => g.asks) });
      }
      const a = createBookCore();
      const b = createBookCore();
      const outA = runCore(a, [instrument('i', 0), start, ...one]);
      const outB = runCore(b, [instrument('i', 0), start, ...batched]);
      const bookOf = (c: ReturnType<typeof createBookCore>) => (c.snapshot() as { books: unknown[] }).books;
      expect(bookOf(b)).toEqual(bookOf(a));
      // The last published top is the same (its seq may differ: it names the message that
      // changed the top, and batching moves that boundary).
      const lastTop = (out: BookEvent[]) => out.filter((o): o is TopOfBook => o.type === 'book.top').map(({ bid, bidSize, ask, askSize }) => ({ bid, bidSize, ask, askSize })).at(-1);
      expect(lastTop(outB)).toEqual(lastTop(outA));
    }), { numRuns: 300 });
  });

  it('never publishes a crossed top, and every output is a valid event', () => {
    fc.assert(fc.property(streamArb, (steps) => {
      for (const o of runCore(createBookCore(), toEvents(steps))) {
        expect(BookEvent.safeParse(o).success).toBe(true);
        if (o.type === 'book.top' && o.bid !== null && o.ask !== null) expect(o.bid).toBeLessThan(o.ask);
      }
    }), { numRuns: 300 });
  });

  it('its latest top always equals a naive reference book: null while out of sync, one status per gap', () => {
    // Asks above bids, so the crossed-book policy never applies and the reference stays naive.
    const uncrossed = streamArb.map((steps) => steps.map((s) => (s.kind === 'ticker' ? s : { ...s, asks: s.asks.map(([t, a]): [number, number] => [t + 45, a]) })));
    fc.assert(fc.property(uncrossed, (steps) => {
      const core = createBookCore();
      const ref = { inSync: false, synced: false, last: 0, bids: new Map<number, number>(), asks: new Map<number, number>() };
      let published: (number | null)[] | undefined;
      let statuses = 0;
      let gaps = 0;
      for (const e of toEvents(steps)) {
        for (const o of core.apply(e)) {
          if (o.type === 'book.top') published = [o.bid, o.bidSize, o.ask, o.askSize];
          if (o.type === 'status') statuses++;
        }
        if (e.type === 'md.book.snapshot') {
          ref.bids = new Map(e.bids);
          ref.asks = new Map(e.asks);
          Object.assign(ref, { inSync: true, synced: true, last: e.seq });
        } else if (e.type === 'md.book.delta' && ref.inSync) {
          if (e.prevSeq !== ref.last) {
            ref.inSync = false;
            gaps++;
          } else {
            for (const [p, a] of e.bids) (a === 0 ? ref.bids.delete(p) : ref.bids.set(p, a));
            for (const [p, a] of e.asks) (a === 0 ? ref.asks.delete(p) : ref.asks.set(p, a));
            ref.last = e.seq;
          }
        }
        if (!ref.synced) continue;
        const bestBid = Math.max(...ref.bids.keys());
        const bestAsk = Math.min(...ref.asks.keys());
        const expected = !ref.inSync ? [null, null, null, null] : [
          ref.bids.size ? bestBid : null, ref.bids.size ? ref.bids.get(bestBid)! : null,
          ref.asks.size ? bestAsk : null, ref.asks.size ? ref.asks.get(bestAsk)! : null,
        ];
        expect(published).toEqual(expected);
      }
      expect(statuses).toBe(gaps);
    }), { numRuns: 500 });
  });

  it('rejects a checkpoint state that is not its own', () => {
    expect(() => createBookCore({ v: 2 })).toThrow(/book core state/);
  });
});
