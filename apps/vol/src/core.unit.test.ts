import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decoder, Encoder } from '@msgpack/msgpack';
import { VolEvent, type BookEvent, type Status, type VolPoint } from '@volstream/events';
import { runCore } from '@volstream/runtime';
import { createVolCore } from './core.ts';
import { yearsToExpiry } from '@volstream/svi';
import {
  coinPrice, syntheticBookStream, syntheticForward, syntheticMark, syntheticOptions, syntheticTop, type SyntheticExpiry,
} from './testing/index.ts';

const T0 = 1_800_000_000_000; // a multiple of 500 ms, so windows start at T0
const DAY = 86_400_000;
const venue = 'sim';
const flat = (vol: number, t: number) => ({ a: vol * vol * t, b: 0, rho: 0, m: 0, sigma: 0.1 });
const e1: SyntheticExpiry = { expiryTs: T0 + 30 * DAY, forward: 60_000, params: flat(0.6, 30 / 365) };
const e2: SyntheticExpiry = { expiryTs: T0 + 90 * DAY, forward: 61_000, params: flat(0.55, 90 / 365) };
const options = syntheticOptions({ underlying: 'BTC', expiries: [e1, e2], strikes: 3, ts: T0 });
const of = (expiryTs: number) => options.filter((o) => o.expiryTs === expiryTs);
const top = (o: (typeof options)[number], ts: number, seq: number, volShift = 0, forward?: number) => {
  const e = o.expiryTs === e1.expiryTs ? e1 : e2;
  return syntheticTop({ venue, option: o, params: e.params, forward: forward ?? e.forward, ts, seq, volShift });
};
const fwd = (e: SyntheticExpiry, forward: number, ts: number, seq: number) => syntheticForward({ venue, underlying: 'BTC', expiryTs: e.expiryTs, forward, ts, seq });
const points = (outs: readonly VolEvent[]) => outs.filter((o): o is VolPoint => o.type === 'vol.point');

/** Chain priced and published: forwards first, then one top per option. */
function primed() {
  const core = createVolCore(undefined, { repriceMs: 500 });
  const outs = runCore(core, [fwd(e1, e1.forward, T0, 1), fwd(e2, e2.forward, T0, 2), ...options.map((o, i) => top(o, T0, 10 + i))]);
  return { core, outs };
}

describe('vol core', () => {
  it('prices a book.top at once with the vols its prices were made with', () => {
    const { outs } = primed();
    expect(points(outs)).toHaveLength(options.length);
    for (const p of points(outs)) {
      const e = p.expiryTs === e1.expiryTs ? e1 : e2;
      const vol = Math.sqrt(e.params.a / yearsToExpiry({ expiryTs: e.expiryTs, ts: T0 }));
      expect(p.bidIv!).toBeCloseTo(vol - 0.005, 9);
      expect(p.askIv!).toBeCloseTo(vol + 0.005, 9);
      expect(p.forward).toBe(e.forward);
      expect(p.k).toBeCloseTo(Math.log(p.strike / e.forward), 12);
      expect(p.t).toBe(yearsToExpiry({ expiryTs: e.expiryTs, ts: T0 }));
      expect(p.id).toMatch(/^vol</);
      expect(VolEvent.safeParse(p).success).toBe(true);
    }
  });

  it('skips a quote whose IVs all moved less than 0.1 bp, and sends one that moved more or changed availability', () => {
    const { core } = primed();
    const o = options[0]!;
    const ts = T0 + 100;
    expect(core.apply(top(o, ts, 100, 0))).toHaveLength(0); // same vols, 100 ms later
    expect(core.apply(top(o, ts, 101, 0.3e-5))).toHaveLength(0); // 0.03 bp
    expect(core.apply(top(o, ts, 102, 0.9e-5))).toHaveLength(0); // 0.09 bp
    expect(core.apply(top(o, ts, 103, 1.2e-5))).toHaveLength(1); // 0.12 bp from the last SENT point
    expect(core.apply(top(o, ts, 104, 1.2e-5))).toHaveLength(0);
    const noBid = { ...top(o, ts, 105, 1.2e-5), bid: null };
    const [p] = points(core.apply(noBid));
    expect(p?.bidIv).toBeNull();
    expect(p?.reasons.bid).toBe('no_quote');
  });

  it('publishes a book.top flagged refresh (re-sent after a reconnect) even when nothing moved, flagged refresh too', () => {
    const { core } = primed();
    const o = options[0]!;
    const ts = T0 + 100;
    expect(core.apply(top(o, ts, 100, 0))).toHaveLength(0); // unchanged: skipped as usual
    const [p, ...more] = points(core.apply({ ...top(o, ts, 101, 0), refresh: true }));
    expect(more).toEqual([]);
    expect(p).toMatchObject({ instrument: o.instrument, refresh: true, ts });
    expect(VolEvent.safeParse(p).success).toBe(true);
    // Within 0.1 bp of the refreshed point: skipped again, and a normal point carries no flag.
    expect(core.apply(top(o, ts, 102, 0.3e-5))).toHaveLength(0);
    const [q] = points(core.apply(top(o, ts, 103, 1.2e-5)));
    expect(q).toBeDefined();
    expect(q!.refresh).toBeUndefined();
  });

  it('reprices an expiry after a forward move only when event time crosses a window boundary', () => {
    const { core } = primed();
    const f = e1.forward * 1.001;
    // Same window (T0 .. T0+499): nothing, however many forward ticks.
    expect(core.apply(fwd(e1, f * 0.9999, T0 + 100, 20))).toEqual([]);
    expect(core.apply(fwd(e1, f, T0 + 200, 21))).toEqual([]);
    // A quote of the other expiry in the same window: only itself.
    const other = core.apply(top(of(e2.expiryTs)[0]!, T0 + 300, 22, 0.001));
    expect(points(other).map((p) => p.instrument)).toEqual([of(e2.expiryTs)[0]!.instrument]);
    // First input of the next window: every option of e1 repriced at the window start with the new forward.
    const outs = points(core.apply(top(of(e2.expiryTs)[1]!, T0 + 700, 23, 0.001)));
    const repriced = outs.filter((p) => p.expiryTs === e1.expiryTs);
    expect(repriced.map((p) => p.instrument).sort()).toEqual(of(e1.expiryTs).map((o) => o.instrument).sort());
    for (const p of repriced) {
      expect(p.ts).toBe(T0 + 500);
      expect(p.forward).toBe(f);
      expect(p.id).toMatch(/^volw</);
    }
    expect(outs.filter((p) => p.expiryTs === e2.expiryTs)).toHaveLength(1);
    // Once repriced the expiry is clean: the next window brings nothing for it.
    expect(points(core.apply(top(of(e2.expiryTs)[1]!, T0 + 1_200, 24, 0.002))).filter((p) => p.expiryTs === e1.expiryTs)).toEqual([]);
  });

  it('at the window, publishes only the points that moved at least 0.1 bp', () => {
    const { core } = primed();
    // A forward move so small that no IV moves 0.1 bp: dirty, repriced, nothing sent.
    core.apply(fwd(e1, e1.forward * (1 + 1e-10), T0 + 100, 20));
    const outs = core.apply(fwd(e2, e2.forward, T0 + 600, 21));
    expect(points(outs).filter((p) => p.expiryTs === e1.expiryTs && p.ts === T0 + 500)).toEqual([]);
  });

  it('holds quotes until the expiry has a forward, then publishes them', () => {
    const core = createVolCore(undefined, { repriceMs: 500 });
    const held = of(e1.expiryTs).map((o, i) => top(o, T0 + i, i));
    for (const h of held) expect(core.apply(h)).toEqual([]);
    const outs = points(core.apply(fwd(e1, e1.forward, T0 + 50, 99)));
    expect(outs.map((p) => p.instrument)).toEqual(held.map((h) => h.instrument));
    for (const p of outs) {
      expect(p.ts).toBe(T0 + 50);
      expect(p.forward).toBe(e1.forward);
      expect(p.midIv).not.toBeNull();
    }
  });

  it('reprices a changed mark at the next window', () => {
    const { core } = primed();
    const o = options[0]!;
    const mark = coinPrice({ forward: e1.forward, strike: o.strike, t: yearsToExpiry({ expiryTs: o.expiryTs, ts: T0 }), sigma: 0.61, optionType: o.optionType });
    expect(core.apply(syntheticMark({ venue, option: o, markPrice: mark, ts: T0 + 10, seq: 1 }))).toEqual([]);
    const [p] = points(core.apply(fwd(e2, e2.forward, T0 + 510, 30)));
    expect(p?.instrument).toBe(o.instrument);
    expect(p?.markIv).toBeCloseTo(0.61, 4);
    expect(p?.recvTs).toBe(T0 + 11);
  });

  it('sends one last expired point per option of an expired expiry and then ignores it', () => {
    const { core } = primed();
    const after = e1.expiryTs + 1;
    const outs = points(core.apply(top(of(e2.expiryTs)[0]!, after, 50, 0.001)));
    const expired = outs.filter((p) => p.expiryTs === e1.expiryTs);
    expect(expired).toHaveLength(of(e1.expiryTs).length);
    for (const p of expired) {
      expect(p.reasons).toEqual({ bid: 'expired', ask: 'expired', mid: 'expired', mark: 'expired' });
      expect(p.midIv).toBeNull();
      expect(VolEvent.safeParse(p).success).toBe(true);
    }
    expect(core.apply(top(of(e1.expiryTs)[0]!, after + 10, 51))).toEqual([]);
    expect(core.apply(fwd(e1, 1, after + 20, 52))).toEqual([]);
    expect(JSON.stringify(core.snapshot())).not.toContain(of(e1.expiryTs)[0]!.instrument);
  });

  it('passes status events through', () => {
    const s: Status = { type: 'status', v: 1, id: 'st:1', venue, ts: T0, recvTs: T0, kind: 'feed_stale', stage: 'book', reason: 'no data for 5 s' };
    expect(createVolCore().apply(s)).toEqual([s]);
  });

  describe('determinism', () => {
    const expiries: SyntheticExpiry[] = [
      { expiryTs: T0 + 2_000, forward: 60_000, params: flat(0.8, 0.001) }, // expires mid-stream
      e1,
      e2,
    ];
    const { events: stream, options: opts } = syntheticBookStream({ expiries, strikes: 6, startTs: T0, updates: 1_500, stepMs: 7, forwardShare: 0.25, seed: 7 });
    // Marks too, so mark-dirty repricing is part of the replay.
    const inputs: BookEvent[] = stream.flatMap((e, i) => (i % 50 === 49 && e.type === 'book.top'
      ? [e, syntheticMark({ venue, option: opts.find((o) => o.instrument === e.instrument)!, markPrice: (e.bid! + e.ask!) / 2, ts: e.ts, seq: i })]
      : [e]));
    const enc = new Encoder({ ignoreUndefined: true });
    const dec = new Decoder();
    // Through msgpack, as the worker's checkpoint store does.
    const roundTrip = (state: unknown) => dec.decode(enc.encode(state));
    const reference = runCore(createVolCore(undefined, { repriceMs: 500 }), inputs);

    it('produces valid, uniquely identified events', () => {
      expect(reference.length).toBeGreaterThan(100);
      for (const o of reference) expect(VolEvent.safeParse(o).success, JSON.stringify(o)).toBe(true);
      expect(new Set(reference.map((o) => o.id)).size).toBe(reference.length);
      expect(reference.some((o) => o.id.startsWith('volw<'))).toBe(true);
      expect(reference.some((o) => o.id.startsWith('volx<'))).toBe(true);
    });

    it('gives the same outputs with snapshot/restore at any points of the stream', () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 1, max: inputs.length - 1 }), { maxLength: 5 }), (cuts) => {
          const at = new Set(cuts);
          let core = createVolCore(undefined, { repriceMs: 500 });
          const out: VolEvent[] = [];
          inputs.forEach((e, i) => {
            if (at.has(i)) core = createVolCore(roundTrip(core.snapshot()), { repriceMs: 500 });
            out.push(...core.apply(e));
          });
          expect(out).toEqual(reference);
        }),
        { numRuns: 25 },
      );
    });

    it('a restored core has an equal snapshot', () => {
      const core = createVolCore(undefined, { repriceMs: 500 });
      runCore(core, inputs.slice(0, 700));
      const snap = roundTrip(core.snapshot());
      expect(createVolCore(snap, { repriceMs: 500 }).snapshot()).toEqual(snap);
    });
  });
});
