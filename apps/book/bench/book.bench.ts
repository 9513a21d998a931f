/**
 * Book core throughput against a naive baseline, in the same run.
 *   npm run bench -w @volstream/book
 * Stream: 500 options, 25 (then 200) levels a side, then deltas of 1-3 levels clustered near the touch
 * (as Deribit's 100 ms changes are), 2% of them deleting a level.
 */
import { SCHEMA_VERSION, derivedId, type BookDelta, type BookSnapshot, type InstrumentDef, type Level, type MdEvent, type OptionTerms, type TopOfBook } from '@volstream/events';
import { createBookCore } from '../src/core.ts';

const OPTIONS = 500;
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

function makeStream(LEVELS: number): { setup: MdEvent[]; deltas: BookDelta[] } {
  const r = rng(42);
  const base = { v: SCHEMA_VERSION, venue: 'deribit', ts: 1_790_000_000_000, recvTs: 1_790_000_000_001 };
  const setup: MdEvent[] = [];
  const seq = new Array<number>(OPTIONS).fill(1);
  const name = (i: number) => `BTC-27NOV26-${50_000 + i * 500}-C`;
  for (let i = 0; i < OPTIONS; i++) {
    setup.push({ ...base, type: 'md.instrument', id: `i${i}`, instrument: name(i), underlying: 'BTC', kind: 'option', expiryTs: 1_795_766_400_000, strike: 50_000 + i * 500, optionType: 'call', settlement: 'inverse', contractSize: 1, quoteCurrency: 'BTC', active: true } satisfies InstrumentDef);
    const bids: Level[] = Array.from({ length: LEVELS }, (_, k) => [(300 - k) * TICK, 1 + Math.round(r() * 50)]);
    const asks: Level[] = Array.from({ length: LEVELS }, (_, k) => [(301 + k) * TICK, 1 + Math.round(r() * 50)]);
    setup.push({ ...base, type: 'md.book.snapshot', id: `s${i}`, instrument: name(i), underlying: 'BTC', expiryTs: 1_795_766_400_000, seq: 1, bids, asks } satisfies BookSnapshot);
  }
  const deltas: BookDelta[] = [];
  for (let n = 0; n < DELTAS; n++) {
    const i = Math.floor(r() * OPTIONS);
    const levels = (isBid: boolean): Level[] => Array.from({ length: 1 + Math.floor(r() * 2) }, () => {
      const depth = Math.floor(-Math.log(1 - r()) * 3) % LEVELS; // near the touch, mostly
      const price = (isBid ? 300 - depth : 301 + depth) * TICK;
      return [price, r() < 0.02 ? 0 : 1 + Math.round(r() * 50)];
    });
    const prev = seq[i]!;
    seq[i] = prev + 1 + Math.floor(r() * 5);
    deltas.push({ ...base, type: 'md.book.delta', id: `d${n}`, instrument: name(i), underlying: 'BTC', expiryTs: 1_795_766_400_000, seq: seq[i]!, prevSeq: prev, bids: r() < 0.5 ? levels(true) : [], asks: r() < 0.5 ? levels(false) : [] });
  }
  return { setup, deltas };
}

/**
 * Naive baseline with the same outputs: a Map per side, the best level found by a full scan
 * after each message, and the same self-contained book.top event when the top changes.
 */
function naiveCore() {
  const terms = new Map<string, OptionTerms>();
  const books = new Map<string, { bids: Map<number, number>; asks: Map<number, number>; seq: number; top: (number | null)[] }>();
  const best = (m: Map<number, number>, isBid: boolean): [number | null, number | null] => {
    let bp: number | null = null;
    for (const p of m.keys()) if (bp === null || (isBid ? p > bp : p < bp)) bp = p;
    return bp === null ? [null, null] : [bp, m.get(bp)!];
  };
  return {
    apply(e: MdEvent): TopOfBook[] {
      if (e.type === 'md.instrument') {
        terms.set(e.instrument, { instrument: e.instrument, underlying: e.underlying, expiryTs: e.expiryTs!, strike: e.strike!, optionType: e.optionType!, settlement: e.settlement, contractSize: e.contractSize });
        return [];
      }
      let b = books.get(e.type === 'md.book.snapshot' || e.type === 'md.book.delta' ? e.instrument : '');
      if (e.type === 'md.book.snapshot') {
        b = { bids: new Map(e.bids), asks: new Map(e.asks), seq: e.seq, top: [] };
        books.set(e.instrument, b);
      } else if (e.type === 'md.book.delta') {
        if (!b || b.seq !== e.prevSeq) return [];
        for (const [p, a] of e.bids) (a === 0 ? b.bids.delete(p) : b.bids.set(p, a));
        for (const [p, a] of e.asks) (a === 0 ? b.asks.delete(p) : b.asks.set(p, a));
        b.seq = e.seq;
      } else return [];
      const [bid, bidSize] = best(b.bids, true);
      const [ask, askSize] = best(b.asks, false);
      const t = terms.get(e.instrument)!;
      if (b.top[0] === bid && b.top[1] === bidSize && b.top[2] === ask && b.top[3] === askSize) return [];
      b.top = [bid, bidSize, ask, askSize];
      return [{ type: 'book.top', v: 1, id: derivedId('top', e.id), venue: e.venue, ts: e.ts, recvTs: e.recvTs, ...t, bid, bidSize, ask, askSize, seq: e.seq }];
    },
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
  console.log(`${label.padEnd(38)} ${Math.round(best).toLocaleString('en-US').padStart(12)} deltas/s (best of 5)`);
  return best;
}

// Deribit option books are shallow (tens of levels); the deep case shows how each scales.
for (const levels of [25, 200]) {
  const { setup, deltas } = makeStream(levels);
  let coreOutputs = 0;
  let naiveOutputs = 0;
  console.log(`${OPTIONS} books x ${levels} levels a side, ${DELTAS.toLocaleString('en-US')} deltas:`);
  const fast = run('  book core (sorted arrays, best last)', () => {
    const c = createBookCore();
    return { apply: (e: MdEvent) => { coreOutputs += c.apply(e).length; } };
  }, setup, deltas);
  const slow = run('  naive baseline (Map + scan)', () => {
    const c = naiveCore();
    return { apply: (e: MdEvent) => { naiveOutputs += c.apply(e).length; } };
  }, setup, deltas);
  if (coreOutputs !== naiveOutputs) throw new Error(`outputs differ: core ${coreOutputs}, naive ${naiveOutputs}`);
  console.log(`  speed-up ${(fast / slow).toFixed(2)}x, ${Math.round(coreOutputs / 5).toLocaleString('en-US')} tops per pass (same in both)`);
}
