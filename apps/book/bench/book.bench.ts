/**
 * Book core throughput against a naive baseline, in the same run.
 *   npm run bench -w @volstream/book
 * Stream: 500 options, 25 levels a side, then deltas of 1-3 levels clustered near the touch
 * (as Deribit's 100 ms changes are), 2% of them deleting a level. The naive baseline keeps a
 * Map per side and scans it for the best level after every delta (same outputs: a top when it
 * changes).
 */
import { SCHEMA_VERSION, type BookDelta, type BookSnapshot, type InstrumentDef, type Level, type MdEvent } from '@volstream/events';
import { createBookCore } from '../src/core.ts';

const OPTIONS = 500;
const LEVELS = 25;
const DELTAS = 400_000;
const TICK = 0.0005;

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeStream(): { setup: MdEvent[]; deltas: BookDelta[] } {
  const r = rng(42);
  const base = { v: SCHEMA_VERSION, venue: 'deribit', ts: 1_790_000_000_000, recvTs: 1_790_000_000_001 };
  const setup: MdEvent[] = [];
  const seq = new Array<number>(OPTIONS).fill(1);
  const name = (i: number) => `BTC-27NOV26-${50_000 + i * 500}-C`;
  for (let i = 0; i < OPTIONS; i++) {
    setup.push({ ...base, type: 'md.instrument', id: `i${i}`, instrument: name(i), underlying: 'BTC', kind: 'option', expiryTs: 1_795_766_400_000, strike: 50_000 + i * 500, optionType: 'call', settlement: 'inverse', contractSize: 1, quoteCurrency: 'BTC', active: true } satisfies InstrumentDef);
    const bids: Level[] = Array.from({ length: LEVELS }, (_, k) => [(100 - k) * TICK, 1 + Math.round(r() * 50)]);
    const asks: Level[] = Array.from({ length: LEVELS }, (_, k) => [(101 + k) * TICK, 1 + Math.round(r() * 50)]);
    setup.push({ ...base, type: 'md.book.snapshot', id: `s${i}`, instrument: name(i), underlying: 'BTC', expiryTs: 1_795_766_400_000, seq: 1, bids, asks } satisfies BookSnapshot);
  }
  const deltas: BookDelta[] = [];
  for (let n = 0; n < DELTAS; n++) {
    const i = Math.floor(r() * OPTIONS);
    const levels = (isBid: boolean): Level[] => Array.from({ length: 1 + Math.floor(r() * 2) }, () => {
      const depth = Math.floor(-Math.log(1 - r()) * 3) % LEVELS; // near the touch, mostly
      const price = (isBid ? 100 - depth : 101 + depth) * TICK;
      return [price, r() < 0.02 ? 0 : 1 + Math.round(r() * 50)];
    });
    const prev = seq[i]!;
    seq[i] = prev + 1 + Math.floor(r() * 5);
    deltas.push({ ...base, type: 'md.book.delta', id: `d${n}`, instrument: name(i), underlying: 'BTC', expiryTs: 1_795_766_400_000, seq: seq[i]!, prevSeq: prev, bids: r() < 0.5 ? levels(true) : [], asks: r() < 0.5 ? levels(false) : [] });
  }
  return { setup, deltas };
}

/** Naive baseline: Map per side, best level by a full scan after each message. */
function naiveCore() {
  const books = new Map<string, { bids: Map<number, number>; asks: Map<number, number>; seq: number; top: string }>();
  let tops = 0;
  const best = (m: Map<number, number>, isBid: boolean) => {
    let bp: number | null = null;
    for (const p of m.keys()) if (bp === null || (isBid ? p > bp : p < bp)) bp = p;
    return bp === null ? 'null' : `${bp}:${m.get(bp)}`;
  };
  return {
    apply(e: MdEvent) {
      if (e.type === 'md.book.snapshot') {
        books.set(e.instrument, { bids: new Map(e.bids), asks: new Map(e.asks), seq: e.seq, top: '' });
      } else if (e.type === 'md.book.delta') {
        const b = books.get(e.instrument);
        if (!b || b.seq !== e.prevSeq) return;
        for (const [p, a] of e.bids) (a === 0 ? b.bids.delete(p) : b.bids.set(p, a));
        for (const [p, a] of e.asks) (a === 0 ? b.asks.delete(p) : b.asks.set(p, a));
        b.seq = e.seq;
        const top = `${best(b.bids, true)}|${best(b.asks, false)}`;
        if (top !== b.top) { b.top = top; tops++; }
      }
    },
    get tops() { return tops; },
  };
}

function run(label: string, make: () => { apply(e: MdEvent): unknown }, setup: MdEvent[], deltas: BookDelta[]): number {
  let best = 0;
  for (let rep = 0; rep < 5; rep++) {
    const core = make();
    for (const e of setup) core.apply(e);
    const t0 = performance.now();
    for (const d of deltas) core.apply(d);
    const s = (performance.now() - t0) / 1000;
    best = Math.max(best, deltas.length / s);
  }
  console.log(`${label.padEnd(34)} ${Math.round(best).toLocaleString('en-US').padStart(12)} deltas/s (best of 5)`);
  return best;
}

const { setup, deltas } = makeStream();
let outputs = 0;
const fast = run('book core (sorted arrays, best last)', () => {
  const c = createBookCore();
  return { apply: (e: MdEvent) => { outputs += c.apply(e).length; } };
}, setup, deltas);
const slow = run('naive baseline (Map + scan)', naiveCore, setup, deltas);
console.log(`speed-up ${(fast / slow).toFixed(1)}x; ${OPTIONS} books x ${LEVELS} levels/side, ${DELTAS.toLocaleString('en-US')} deltas; core outputs ${Math.round(outputs / 5).toLocaleString('en-US')} per pass`);
