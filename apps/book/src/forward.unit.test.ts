import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decoder, Encoder } from '@msgpack/msgpack';
import {
  BookEvent, derivedId,
  type BookSnapshot, type Forward, type IndexPrice, type InstrumentDef, type MdEvent, type OptionTicker, type Settlement,
} from '@volstream/events';
import { runCore } from '@volstream/runtime';
import { black76Price } from '@volstream/svi';
import { DERIVED_FORWARD_WINDOW_MS, createBookCore } from './core.ts';

// Derived forwards (no underlyingPrice, no future): put-call parity of the tops, else the index.

const EXP = Date.parse('2026-12-25T08:00:00Z');
const T0 = 1_790_000_000_000; // a window boundary (a multiple of 1,000 ms)
const T = (EXP - T0) / (365 * 86_400_000);
const W = DERIVED_FORWARD_WINDOW_MS;

type Opt = { strike: number; call: boolean; settlement: Settlement; contractSize: number; venue: string };
const nameOf = (o: Opt) => `BTC-25DEC26-${o.strike}-${o.call ? 'C' : 'P'}${o.settlement === 'linear' ? '-L' : ''}`;
const base = (venue: string, id: string, ts: number) => ({ v: 1 as const, venue, id, ts, recvTs: ts + 5 });

const instrument = (o: Opt): InstrumentDef => ({
  ...base(o.venue, `i:${nameOf(o)}`, T0 - 10_000), type: 'md.instrument', instrument: nameOf(o), underlying: 'BTC', kind: 'option', expiryTs: EXP, strike: o.strike,
  optionType: o.call ? 'call' : 'put', settlement: o.settlement, contractSize: o.contractSize, quoteCurrency: o.settlement === 'inverse' ? 'BTC' : 'USDT', active: true,
});
/** A snapshot whose mid is the option's Black-76 price at forward F (coin for inverse, per contract for linear). */
const quote = (o: Opt, F: number, ts: number, id: string, sigma = 0.5, seq = ts - T0 + 1): BookSnapshot => {
  const usd = black76Price({ forward: F, strike: o.strike, t: T, sigma, isCall: o.call });
  const price = o.settlement === 'inverse' ? usd / F : usd * o.contractSize;
  const half = price * 0.02;
  return { ...base(o.venue, id, ts), type: 'md.book.snapshot', instrument: nameOf(o), underlying: 'BTC', expiryTs: EXP, seq, bids: [[price - half, 1]], asks: [[price + half, 1]] };
};
const index = (venue: string, id: string, ts: number, price: number): IndexPrice => ({ ...base(venue, id, ts), type: 'md.index', underlying: 'BTC', indexName: 'BTCUSDT', price });
const ticker = (o: Opt, id: string, ts: number, f: Partial<OptionTicker>): OptionTicker => ({ ...base(o.venue, id, ts), type: 'md.ticker', instrument: nameOf(o), underlying: 'BTC', expiryTs: EXP, ...f });

const chain = (venue: string, settlement: Settlement, contractSize = 1, strikes = [85_000, 95_000, 105_000]): Opt[] =>
  strikes.flatMap((strike) => [true, false].map((call) => ({ strike, call, settlement, contractSize, venue })));
const forwardsOf = (out: BookEvent[]) => out.filter((o): o is Forward => o.type === 'book.forward');

/** Quote the whole chain at F in window 0 (no derivation yet), then again at F in window 1. */
function parityRun(opts: Opt[], F: number): BookEvent[] {
  const input: MdEvent[] = [
    ...opts.map(instrument),
    ...opts.map((o, n) => quote(o, F, T0 + n, `a${n}`)),
    ...opts.map((o, n) => quote(o, F, T0 + W + n, `b${n}`, 0.55)),
  ];
  return runCore(createBookCore(), input);
}

describe('derived forwards: golden cases', () => {
  it('inverse: recovers F from coin Black-76 mids by coin-form parity, once the first window has passed', () => {
    const out = parityRun(chain('okx', 'inverse'), 96_123.45);
    const fwds = forwardsOf(out);
    // Window 0 only records the first tops; the first top change of window 1 (the call at 85k,
    // alone re-quoted) derives from the tops then held; the next changes wait for window 2.
    expect(fwds).toHaveLength(1);
    expect(fwds[0]).toMatchObject({ venue: 'okx', underlying: 'BTC', expiryTs: EXP, source: 'parity', id: derivedId('fwd', 'b0', EXP), ts: T0 + W });
    expect(fwds[0]!.sourceName).toBeUndefined();
    expect(fwds[0]!.forward).toBeCloseTo(96_123.45, 6);
    for (const o of out) expect(BookEvent.safeParse(o).success).toBe(true);
  });

  it('linear: recovers F = K + (C - P) per unit of underlying, contract multipliers included', () => {
    for (const cs of [1, 0.1]) {
      const fwds = forwardsOf(parityRun(chain('binance', 'linear', cs), 64_321));
      expect(fwds).toHaveLength(1);
      expect(fwds[0]).toMatchObject({ venue: 'binance', source: 'parity' });
      expect(fwds[0]!.forward).toBeCloseTo(64_321, 6);
    }
  });

  it('recomputes at most once per window and publishes only changes', () => {
    const opts = chain('okx', 'inverse');
    const input: MdEvent[] = [...opts.map(instrument), ...opts.map((o, n) => quote(o, 95_000, T0 + n, `a${n}`))];
    // Windows 1..3: every option re-quoted (vol changes, same F) several times per window.
    for (let w = 1; w <= 3; w++) for (let r = 0; r < 3; r++) opts.forEach((o, n) => input.push(quote(o, 95_000, T0 + w * W + r * 100 + n, `w${w}r${r}n${n}`, 0.5 + w / 100 + r / 1_000)));
    // Window 4: F moves.
    opts.forEach((o, n) => input.push(quote(o, 97_000, T0 + 4 * W + n, `m${n}`)));
    opts.forEach((o, n) => input.push(quote(o, 97_000, T0 + 5 * W + n, `z${n}`, 0.6)));
    const fwds = forwardsOf(runCore(createBookCore(), input));
    // Windows 2 and 3 recompute the same F: nothing published. In window 4 only the 85k call had
    // moved when it ran: the median of the 3 strikes is still 95,000; window 5 sees the new F.
    expect(fwds.map((f) => f.id)).toEqual([derivedId('fwd', 'w1r0n0', EXP), derivedId('fwd', 'z0', EXP)]);
    expect(fwds[0]!.forward).toBeCloseTo(95_000, 6);
    expect(fwds[1]!.forward).toBeCloseTo(97_000, 6);
  });

  it('falls back to the latest index when no strike is two-sided on both call and put', () => {
    const calls = chain('binance', 'linear').filter((o) => o.call);
    const input: MdEvent[] = [
      ...calls.map(instrument),
      index('binance', 'x0', T0, 95_010),
      ...calls.map((o, n) => quote(o, 95_000, T0 + n, `a${n}`)),
      ...calls.map((o, n) => quote(o, 95_000, T0 + W + n, `b${n}`, 0.6)), // window 1: the index
      index('binance', 'x1', T0 + W + 500, 95_020), // same window: waits
      index('binance', 'x2', T0 + 2 * W, 95_030), // window 2: published
      index('deribit', 'x3', T0 + 3 * W, 80_000), // another venue's index: not this one's
    ];
    const fwds = forwardsOf(runCore(createBookCore(), input));
    expect(fwds.map((f) => [f.id, f.forward, f.source])).toEqual([
      [derivedId('fwd', 'b0', EXP), 95_010, 'index'],
      [derivedId('fwd', 'x2', EXP), 95_030, 'index'],
    ]);
  });

  it('an option ticker index also serves, and parity replaces the index once a pair is two-sided', () => {
    const opts = chain('binance', 'linear');
    const [c0, p0] = [opts[0]!, opts[1]!];
    const input: MdEvent[] = [
      ...opts.map(instrument),
      quote(c0, 95_000, T0, 'a0'),
      ticker(c0, 't0', T0 + 1, { indexPrice: 94_900, markPrice: 100 }),
      quote(c0, 95_000, T0 + W, 'a1', 0.6),
      quote(p0, 95_000, T0 + W + 1, 'a2', 0.55), // the pair is now two-sided, but window 1 is spent
      quote(p0, 95_000, T0 + 2 * W, 'a3', 0.6), // the same vol as the call: parity is exact
    ];
    const fwds = forwardsOf(runCore(createBookCore(), input));
    expect(fwds.map((f) => [f.id, f.source])).toEqual([[derivedId('fwd', 'a1', EXP), 'index'], [derivedId('fwd', 'a3', EXP), 'parity']]);
    expect(fwds[1]!.forward).toBeCloseTo(95_000, 6);
  });

  it('never overrides a venue forward: underlying_price first, or arriving after a parity forward', () => {
    const opts = chain('okx', 'inverse');
    const requote = (w: number, p: string) => opts.map((o, n) => quote(o, 95_000, T0 + w * W + n, `${p}${n}`, 0.5 + w / 100));
    const first = runCore(createBookCore(), [
      ...opts.map(instrument), ticker(opts[0]!, 't', T0 - 1, { underlyingPrice: 95_200, underlyingIndex: 'BTC-USD-261225' }), index('okx', 'x', T0, 94_000),
      ...requote(0, 'a'), ...requote(1, 'b'), index('okx', 'y', T0 + 2 * W, 94_100), ...requote(3, 'c'),
    ]);
    expect(forwardsOf(first).map((f) => [f.source, f.forward])).toEqual([['underlying_price', 95_200]]);

    const later = runCore(createBookCore(), [
      ...opts.map(instrument), ...requote(0, 'a'), ...requote(1, 'b'),
      ticker(opts[0]!, 't', T0 + 1_500, { underlyingPrice: 95_200 }), ...requote(2, 'c'), index('okx', 'y', T0 + 3 * W, 94_100), ...requote(4, 'd'),
    ]);
    expect(forwardsOf(later).map((f) => f.source)).toEqual(['parity', 'underlying_price']);
  });

  it("derives nothing on a venue whose tickers carry underlyingPrice: its other expiries wait for their own", () => {
    const opts = chain('deribit', 'inverse');
    const other = { ...opts[0]!, strike: 90_000 };
    const OTHER_EXP = EXP + 7 * 86_400_000;
    const out = runCore(createBookCore(), [
      ...opts.map(instrument),
      { ...ticker(other, 't', T0 - 1, { underlyingPrice: 95_300 }), expiryTs: OTHER_EXP }, // another expiry's forward
      index('deribit', 'x', T0, 94_000),
      ...opts.map((o, n) => quote(o, 95_000, T0 + n, `a${n}`)),
      ...opts.map((o, n) => quote(o, 95_000, T0 + W + n, `b${n}`, 0.6)),
      index('deribit', 'y', T0 + 2 * W, 94_100),
    ]);
    expect(forwardsOf(out).map((f) => [f.expiryTs, f.source])).toEqual([[OTHER_EXP, 'underlying_price']]);
  });
});

// ---------------------------------------------------------------------------------------------

const msgpack = { enc: new Encoder({ ignoreUndefined: true }), dec: new Decoder() };

/** Random moves of F, vols and the index across windows, on two venues (inverse and linear). */
const movesArb = fc.array(
  fc.record({ dt: fc.integer({ min: 0, max: 700 }), opt: fc.nat(), f: fc.integer({ min: -20, max: 20 }), vol: fc.integer({ min: 0, max: 20 }), index: fc.boolean(), drop: fc.integer({ min: 0, max: 9 }) }),
  { maxLength: 150 },
);

describe('derived forwards: determinism', () => {
  it('snapshot/restore mid-stream (through msgpack) gives the same outputs as an uninterrupted core', () => {
    const opts = [...chain('okx', 'inverse'), ...chain('binance', 'linear', 0.1)];
    fc.assert(fc.property(movesArb, fc.array(fc.nat(), { maxLength: 4 }), (moves, cutSeeds) => {
      const events: MdEvent[] = opts.map(instrument);
      let ts = T0;
      moves.forEach((m, n) => {
        ts += m.dt;
        const o = opts[m.opt % opts.length]!;
        const F = 95_000 + m.f * 100;
        if (m.index) events.push(index(o.venue, `x${n}`, ts, F - 50));
        else if (m.drop === 0) events.push({ ...quote(o, F, ts, `q${n}`), bids: [] }); // one-sided: breaks its pair
        else events.push(quote(o, F, ts, `q${n}`, 0.4 + m.vol / 100, n + 1));
      });
      const whole = runCore(createBookCore(), events);
      const cuts = [...new Set(cutSeeds.map((c) => c % (events.length + 1)))].sort((a, b) => a - b);
      let core = createBookCore();
      const pieces: BookEvent[] = [];
      let from = 0;
      for (const cut of [...cuts, events.length]) {
        pieces.push(...runCore(core, events.slice(from, cut)));
        from = cut;
        const restored = createBookCore(msgpack.dec.decode(msgpack.enc.encode(core.snapshot())));
        expect(restored.snapshot()).toEqual(core.snapshot());
        core = restored;
      }
      expect(pieces).toEqual(whole);
      for (const o of whole) expect(BookEvent.safeParse(o).success).toBe(true);
      // Each expiry publishes at most one derived forward per window.
      const perWindow = forwardsOf(whole).map((f) => `${f.venue}|${Math.floor(f.ts / W)}`);
      expect(new Set(perWindow).size).toBe(perWindow.length);
    }), { numRuns: 200 });
  });

  it('reads a checkpoint from before derived forwards (no derived/indexes fields)', () => {
    const state = createBookCore().snapshot() as Record<string, unknown>;
    delete state.derived;
    delete state.indexes;
    delete state.tickerForwards;
    expect(() => createBookCore(state)).not.toThrow();
  });
});
