import { describe, expect, it } from 'vitest';
import { Decoder, Encoder } from '@msgpack/msgpack';
import { COMPOSITE_VENUE, SurfaceEvent, subjectFor, type SmileFit, type Status, type Surface, type VolEvent } from '@volstream/events';
import { runCore } from '@volstream/runtime';
import { getFitter, sviImpliedVol } from '@volstream/svi';
import { YEAR_MS } from '@volstream/vol';
import { compositePoints } from './composite.ts';
import { createSurfaceCore, type SurfaceCoreOptions } from './core.ts';
import type { StoredPoint } from './quotes.ts';
import { syntheticVolPoints, trueExpiry } from './synthetic-points.ts';

const T0 = 1_800_000_000_000;
const found = getFitter('svi-qe');
if (!found.ok) throw new Error(found.reason);
const fitter = found.fitter;
const expiries = [trueExpiry({ t0: T0, days: 7, atmVol: 0.7, forward: 60_100 }), trueExpiry({ t0: T0, days: 30, atmVol: 0.62, forward: 60_500 }), trueExpiry({ t0: T0, days: 90, atmVol: 0.58, forward: 61_500 })];

const smiles = (outs: readonly SurfaceEvent[]) => outs.filter((o): o is SmileFit => o.type === 'surface.smile');
const surfaces = (outs: readonly SurfaceEvent[]) => outs.filter((o): o is Surface => o.type === 'surface.surface');
const byVenue = (outs: readonly SurfaceEvent[]) => new Map(surfaces(outs).map((s) => [s.venue, s]));

/**
 * Two venues quoting the same true smiles: `deribit` 0.2 vol pt rich, `okx` 0.2 vol pt cheap
 * with its forward 10 bp higher and no 90-day expiry. Both spreads are ±0.5 vol pt, so the
 * consolidated market is truth ± 0.3 vol pt: its mid is the truth.
 */
function twoVenues(ts: number, seq: number, shift = 0, okxEvery = 1): VolEvent[] {
  return [
    ...expiries.flatMap((expiry, i) => syntheticVolPoints({ venue: 'deribit', expiry, ts: ts + i, seq, shift: shift + 0.002 })),
    ...expiries.slice(0, 2).flatMap((expiry, i) => syntheticVolPoints({ venue: 'okx', expiry, ts: ts + 10 + i, seq, shift: shift - 0.002, forwardShift: 0.001, every: okxEvery })),
  ];
}
const tick = (venue: string, ts: number, seq: number) => syntheticVolPoints({ venue, expiry: expiries[2]!, ts, seq }).slice(0, 1);
const opts: SurfaceCoreOptions = { fitter, fitIntervalMs: 1_000, composite: true };
/** okx's share of `twoVenues` only (as it re-sends it after a reconnect, flagged refresh). */
const okxQuotes = (ts: number, seq: number, refresh = false): VolEvent[] =>
  expiries.slice(0, 2).flatMap((expiry, i) => syntheticVolPoints({ venue: 'okx', expiry, ts: ts + i, seq, shift: -0.002, forwardShift: 0.001 }).map((p) => (refresh ? { ...p, refresh } : p)));
const disconnected = (venue: string, ts: number, underlying?: string): Status => ({
  type: 'status', v: 1, id: `st:${venue}:${ts}`, venue, ts, recvTs: ts, kind: 'feed_disconnected', stage: 'connector', reason: 'websocket closed',
  ...(underlying !== undefined ? { underlying } : {}),
});

describe('compositePoints', () => {
  const p = (over: Partial<StoredPoint>): StoredPoint => ({ instrument: 'x', strike: 100, isCall: true, bidIv: 0.5, askIv: 0.54, midIv: 0.52, vega: 1, ...over });

  it('takes the best bid and best ask IV per strike and type, the median forward and the mean vega', () => {
    const r = compositePoints([
      { venue: 'okx', forward: 102, points: [p({ bidIv: 0.51, askIv: 0.55, midIv: 0.53, vega: 3 }), p({ strike: 90, isCall: false, bidIv: 0.6, askIv: 0.62 })] },
      { venue: 'deribit', forward: 100, points: [p({}), p({ isCall: false, bidIv: 0.4, askIv: 0.45 })] },
    ])!;
    expect(r.forward).toBe(101);
    expect(r.points).toEqual([
      { instrument: '90-P', strike: 90, isCall: false, bidIv: 0.6, askIv: 0.62, midIv: null, vega: 1 },
      { instrument: '100-C', strike: 100, isCall: true, bidIv: 0.51, askIv: 0.54, midIv: null, vega: 2 },
      { instrument: '100-P', strike: 100, isCall: false, bidIv: 0.4, askIv: 0.45, midIv: null, vega: 1 },
    ]);
  });

  it('keeps the centre of a market crossed across venues as a mid without sides', () => {
    const r = compositePoints([
      { venue: 'a', forward: 100, points: [p({ bidIv: 0.56, askIv: 0.6 })] },
      { venue: 'b', forward: 100, points: [p({ bidIv: 0.48, askIv: 0.52 })] },
    ])!;
    expect(r.points[0]).toMatchObject({ bidIv: null, askIv: null });
    expect(r.points[0]!.midIv).toBeCloseTo(0.54, 12);
  });

  it('keeps one-sided and mid-only quotes as they are', () => {
    const r = compositePoints([
      { venue: 'a', forward: 100, points: [p({ bidIv: 0.5, askIv: null, midIv: null, vega: null })] },
      { venue: 'b', forward: 100, points: [p({ bidIv: null, askIv: null, midIv: 0.53, vega: null })] },
    ])!;
    expect(r.points).toEqual([{ instrument: '100-C', strike: 100, isCall: true, bidIv: 0.5, askIv: null, midIv: 0.53, vega: null }]);
    expect(compositePoints([])).toBeNull();
  });

  it('does not depend on the order of venues or points', () => {
    const a = { venue: 'a', forward: 100, points: [p({ strike: 90 }), p({ strike: 110, bidIv: 0.3 })] };
    const b = { venue: 'b', forward: 103, points: [p({ strike: 110, askIv: 0.5 }), p({ strike: 90, vega: 7 })] };
    const c = { venue: 'c', forward: 99, points: [p({ strike: 100, midIv: 0.7 })] };
    const ref = compositePoints([a, b, c]);
    expect(compositePoints([c, b, a])).toEqual(ref);
    expect(compositePoints([b, { ...a, points: [...a.points].reverse() }, c])).toEqual(ref);
    expect(ref!.forward).toBe(100);
  });
});

describe('surface core with a composite', () => {
  it('fits three surfaces from two venues: each venue and the composite, on the same boundary', () => {
    const core = createSurfaceCore(opts);
    expect(runCore(core, twoVenues(T0 + 100, 1))).toEqual([]);
    const outs = core.apply(tick('deribit', T0 + 1_050, 2)[0]!);
    for (const o of outs) expect(SurfaceEvent.safeParse(o).success, JSON.stringify(o)).toBe(true);
    const s = byVenue(outs);
    expect([...s.keys()]).toEqual(['deribit', COMPOSITE_VENUE]);
    // okx's boundary comes with okx's next input: its clock is its own.
    const okxOuts = core.apply(tick('okx', T0 + 1_060, 2)[0]!);
    const okx = byVenue(okxOuts).get('okx')!;
    const [deribit, composite] = [s.get('deribit')!, s.get(COMPOSITE_VENUE)!];
    for (const x of [deribit, okx, composite]) expect(x.ts).toBe(T0 + 1_000);
    expect(composite.underlying).toBe('BTC');
    expect(subjectFor('surface', composite)).toBe('surface.composite.BTC._._surface');
    // The composite has every venue's expiries: the 90-day one from deribit alone.
    expect(composite.expiries.map((x) => x.expiryTs)).toEqual(expiries.map((e) => e.expiryTs));
    expect(okx.expiries.map((x) => x.expiryTs)).toEqual(expiries.slice(0, 2).map((e) => e.expiryTs));
    for (const [i, e] of expiries.slice(0, 2).entries()) {
      const truth = sviImpliedVol(e.params, 0, (e.expiryTs - T0 - 100) / YEAR_MS);
      const atm = (x: Surface) => x.expiries[i]!.atmVol;
      // deribit rich by 0.2 vol pt, okx cheap by 0.2, the consolidated mid on the truth.
      expect(Math.abs(atm(composite) - truth) * 100, `composite ${i}`).toBeLessThan(0.08);
      expect(atm(deribit)).toBeGreaterThan(atm(composite));
      expect(atm(okx)).toBeLessThan(atm(composite));
      // The composite forward sits between the venues' forwards.
      expect(composite.expiries[i]!.forward).toBeCloseTo(e.forward * 1.0005, 6);
      // 25 strikes quoted by both venues: one OTM quote per strike.
      expect(composite.expiries[i]!.points).toBe(25);
      expect(composite.expiries[i]!.diagnostics.inSpread).toBeGreaterThan(0.9);
    }
    const compositeSmiles = smiles(outs).filter((x) => x.venue === COMPOSITE_VENUE);
    expect(compositeSmiles.map((x) => x.expiryTs)).toEqual(expiries.map((e) => e.expiryTs));
    expect(new Set([...outs, ...okxOuts].map((o) => o.id)).size).toBe(outs.length + okxOuts.length);
  });

  it('fits the composite on the fit cadence, not per tick: at most one fitter call per group and boundary', () => {
    let calls: string[] = [];
    const counting: SurfaceCoreOptions['fitter'] = {
      name: fitter.name, version: fitter.version,
      fitSurface: (input, previous, o) => {
        calls.push(String(input.expiries.length));
        // Registered fitters read only previous.expiries (fitter.ts).
        return fitter.fitSurface(input, previous as Parameters<typeof fitter.fitSurface>[1], o);
      },
    };
    const core = createSurfaceCore({ ...opts, fitter: counting });
    runCore(core, twoVenues(T0 + 100, 0, 0, 2)); // okx lists every other strike only
    let rounds = 0;
    // 4 s of event time: every 50 ms one venue re-quotes its 30-day expiry.
    for (let i = 0; i < 80; i++) {
      const venue = i % 2 === 0 ? 'deribit' : 'okx';
      calls = [];
      const outs = runCore(core, syntheticVolPoints({ venue, expiry: expiries[1]!, ts: T0 + 1_000 + i * 50, seq: i + 1, shift: (i % 3) * 0.001, every: venue === 'okx' ? 2 : 1 }));
      if (outs.length === 0) {
        expect(calls, `input ${i}`).toEqual([]);
        continue;
      }
      rounds++;
      // The input that crosses a boundary runs its venue's round and the composite's: ≤ 2 calls
      // (calendar refits aside, which the smooth data here never needs).
      expect(calls.length, `input ${i}`).toBeLessThanOrEqual(2);
      for (const s of surfaces(outs)) expect(s.ts % 1_000).toBe(0);
    }
    expect(rounds).toBeGreaterThanOrEqual(4);
    expect(rounds).toBeLessThanOrEqual(8); // two venues' clocks cross each boundary: never per tick
  });

  it('fits no composite with one venue, and only the composite with venueSurfaces: false', () => {
    const one = createSurfaceCore(opts);
    runCore(one, expiries.flatMap((expiry, i) => syntheticVolPoints({ venue: 'deribit', expiry, ts: T0 + 100, seq: i })));
    expect([...byVenue(one.apply(tick('deribit', T0 + 1_100, 9)[0]!)).keys()]).toEqual(['deribit']);
    // ...until a second venue quotes the underlying: then every composite expiry is fitted.
    runCore(one, syntheticVolPoints({ venue: 'okx', expiry: expiries[0]!, ts: T0 + 1_200, seq: 10 }));
    const later = byVenue(one.apply(tick('deribit', T0 + 2_100, 11)[0]!));
    expect(later.get(COMPOSITE_VENUE)!.expiries).toHaveLength(3);

    const only = createSurfaceCore({ ...opts, venueSurfaces: false });
    const outs = runCore(only, [...twoVenues(T0 + 100, 1), ...tick('deribit', T0 + 1_100, 2), ...tick('okx', T0 + 1_100, 2)]);
    expect(surfaces(outs).map((s) => s.venue)).toEqual([COMPOSITE_VENUE]);
    expect(() => createSurfaceCore({ fitter, venueSurfaces: false })).toThrow(/composite/);
  });

  it('is deterministic, with or without snapshot/restore, and outputs of the ETH underlying stay apart', () => {
    const inputs: VolEvent[] = [];
    for (let i = 0; i < 6; i++) {
      inputs.push(...twoVenues(T0 + 137 + i * 430, i, (i % 4) * 0.0007));
      inputs.push(...syntheticVolPoints({ venue: 'okx', underlying: 'ETH', expiry: expiries[1]!, ts: T0 + 150 + i * 430, seq: i }));
      inputs.push(...syntheticVolPoints({ venue: 'bybit', underlying: 'ETH', expiry: expiries[1]!, ts: T0 + 160 + i * 430, seq: i, shift: 0.001 }));
    }
    const strip = (outs: SurfaceEvent[]) => JSON.parse(JSON.stringify(outs, (k, v) => (k === 'ms' ? 0 : v))) as unknown;
    const clock = () => performance.now();
    const a = runCore(createSurfaceCore({ ...opts, clock }), inputs);
    const b = runCore(createSurfaceCore({ ...opts, clock }), inputs);
    expect(strip(b)).toEqual(strip(a));
    const enc = new Encoder({ ignoreUndefined: true });
    const dec = new Decoder();
    let core = createSurfaceCore({ ...opts, clock });
    const c: SurfaceEvent[] = [];
    inputs.forEach((e, i) => {
      if (i % 211 === 100) core = createSurfaceCore({ ...opts, clock }, dec.decode(enc.encode(core.snapshot())));
      c.push(...core.apply(e));
    });
    expect(strip(c)).toEqual(strip(a));
    expect(new Set(a.map((o) => o.id)).size).toBe(a.length);
    const keys = new Set(surfaces(a).map((s) => `${s.venue}.${s.underlying}`));
    expect([...keys].sort()).toEqual(['bybit.ETH', 'composite.BTC', 'composite.ETH', 'deribit.BTC', 'okx.BTC', 'okx.ETH']);
  });

  it('leaves a disconnected venue\'s points out of every fit until fresh points replace them', () => {
    const core = createSurfaceCore(opts);
    runCore(core, twoVenues(T0 + 100, 1));
    const first = byVenue(runCore(core, [...tick('deribit', T0 + 1_050, 2), ...tick('okx', T0 + 1_060, 2)]));
    const deribitFit = first.get('deribit')!;
    for (const [i, e] of expiries.slice(0, 2).entries()) expect(first.get(COMPOSITE_VENUE)!.expiries[i]!.forward).toBeCloseTo(e.forward * 1.0005, 6);

    const down = disconnected('okx', T0 + 1_200, 'BTC');
    expect(core.apply(down)).toEqual([down]); // still passed through
    const snap = core.snapshot() as { expiries: { venue: string; points: { stale?: boolean }[] }[] };
    for (const x of snap.expiries) for (const p of x.points) expect(p.stale, x.venue).toBe(x.venue === 'okx' ? true : undefined);

    // One fresh okx quote of the 30-day expiry: okx's expiry now has 1 usable point, too few to refit.
    runCore(core, okxQuotes(T0 + 1_300, 3).filter((p) => p.expiryTs === expiries[1]!.expiryTs).slice(0, 1));
    // deribit's next boundary: the composite's 7-day expiry is refitted from deribit's quotes
    // alone; its 30-day one has okx back in (with the one fresh quote and its forward).
    const outs = core.apply(tick('deribit', T0 + 2_050, 4)[0]!);
    const comp = byVenue(outs).get(COMPOSITE_VENUE)!;
    expect(smiles(outs).filter((x) => x.venue === COMPOSITE_VENUE).map((x) => x.expiryTs)).toEqual(expiries.map((e) => e.expiryTs));
    expect(comp.expiries[0]!.forward).toBeCloseTo(expiries[0]!.forward, 6); // deribit's, no longer the median with okx's
    expect(Math.abs(comp.expiries[0]!.atmVol - deribitFit.expiries[0]!.atmVol) * 100).toBeLessThan(0.02);
    expect(comp.expiries[1]!.forward).toBeCloseTo(expiries[1]!.forward * 1.0005, 6);
    // okx's next boundary: nothing of okx refitted (its 30-day expiry changed, but with 1 fresh point).
    const okxOuts = core.apply(tick('okx', T0 + 2_060, 4)[0]!);
    expect(okxOuts).toEqual([]);

    // After the reconnect, okx re-sends every quote (refresh): fitted again, and back in the composite.
    const resent = okxQuotes(T0 + 2_100, 5, true);
    runCore(core, resent);
    // Every re-sent instrument is fresh again; stale are only okx instruments not quoted since
    // the disconnect (far strikes of the synthetic grid move with t).
    const snap2 = core.snapshot() as { expiries: { venue: string; points: { instrument: string; stale?: boolean }[] }[] };
    const fresh = new Set([...resent, ...tick('okx', 0, 0)].map((p) => (p.type === 'vol.point' ? p.instrument : '')));
    let staleLeft = 0;
    for (const x of snap2.expiries) {
      for (const p of x.points) {
        if (x.venue !== 'okx' || fresh.has(p.instrument)) expect(p.stale, `${x.venue} ${p.instrument}`).toBeUndefined();
        else staleLeft++;
      }
    }
    expect(staleLeft).toBeLessThan(resent.length / 4);
    // okx's next input crosses T0 + 3000 for okx and for the composite (its clock moves with every venue).
    const backOuts = core.apply(tick('okx', T0 + 3_060, 6)[0]!);
    expect(smiles(backOuts).filter((x) => x.venue === 'okx').map((x) => x.expiryTs)).toEqual(expiries.slice(0, 2).map((e) => e.expiryTs));
    const back = byVenue(backOuts);
    const okxBack = back.get('okx')!;
    expect(okxBack.ts).toBe(T0 + 3_000);
    expect(okxBack.expiries.map((x) => x.expiryTs)).toEqual(expiries.slice(0, 2).map((e) => e.expiryTs));
    const compBack = back.get(COMPOSITE_VENUE)!;
    for (const [i, e] of expiries.slice(0, 2).entries()) expect(compBack.expiries[i]!.forward).toBeCloseTo(e.forward * 1.0005, 6);
  });

  it('a disconnect without an underlying marks every underlying of the venue; deterministic with snapshot/restore', () => {
    const inputs: VolEvent[] = [];
    for (let i = 0; i < 6; i++) {
      inputs.push(...twoVenues(T0 + 137 + i * 430, i, (i % 4) * 0.0007));
      inputs.push(...syntheticVolPoints({ venue: 'okx', underlying: 'ETH', expiry: expiries[1]!, ts: T0 + 150 + i * 430, seq: i, forwardShift: 0.001 }));
      inputs.push(...syntheticVolPoints({ venue: 'bybit', underlying: 'ETH', expiry: expiries[1]!, ts: T0 + 160 + i * 430, seq: i, shift: 0.001 }));
      if (i === 2) inputs.push(disconnected('okx', T0 + 170 + i * 430));
    }
    // Mid-run, okx stays down: only deribit and bybit quote (and tick) after the disconnect.
    const down = inputs.filter((e, i) => e.type === 'status' || e.venue !== 'okx' || i < inputs.findIndex((x) => x.type === 'status'));
    const strip = (outs: SurfaceEvent[]) => JSON.parse(JSON.stringify(outs, (k, v) => (k === 'ms' ? 0 : v))) as unknown;
    const a = runCore(createSurfaceCore(opts), down);
    const withoutStatus = runCore(createSurfaceCore(opts), down.filter((e) => e.type !== 'status'));
    // Every ETH composite smile after the disconnect is bybit's market alone: bybit's forward (the
    // true one), not the median with okx's (10 bp above), as it is without the status.
    const statusTs = down.find((e) => e.type === 'status')!.ts;
    const ethComposite = (outs: SurfaceEvent[]) => smiles(outs).filter((x) => x.venue === COMPOSITE_VENUE && x.underlying === 'ETH' && x.ts > statusTs);
    expect(ethComposite(a).length).toBeGreaterThan(0);
    for (const x of ethComposite(a)) expect(x.forward).toBeCloseTo(expiries[1]!.forward, 6);
    for (const x of ethComposite(withoutStatus)) expect(x.forward).toBeCloseTo(expiries[1]!.forward * 1.0005, 6);
    expect(ethComposite(withoutStatus).length).toBe(ethComposite(a).length);
    const enc = new Encoder({ ignoreUndefined: true });
    const dec = new Decoder();
    let core = createSurfaceCore(opts);
    const c: SurfaceEvent[] = [];
    down.forEach((e, i) => {
      if (i % 53 === 20) core = createSurfaceCore(opts, dec.decode(enc.encode(core.snapshot())));
      c.push(...core.apply(e));
    });
    expect(strip(c)).toEqual(strip(a));
    expect(strip(runCore(createSurfaceCore(opts), down))).toEqual(strip(a));
  });

  it('drops inputs that claim the composite venue', () => {
    const core = createSurfaceCore(opts);
    expect(runCore(core, syntheticVolPoints({ venue: COMPOSITE_VENUE, expiry: expiries[0]!, ts: T0, seq: 0 }))).toEqual([]);
    expect(core.snapshot()).toEqual(createSurfaceCore(opts).snapshot());
  });
});
