import { describe, expect, it } from 'vitest';
import { Decoder, Encoder } from '@msgpack/msgpack';
import { SurfaceEvent, type SmileFit, type Status, type Surface, type VolEvent, type VolPoint } from '@volstream/events';
import { runCore } from '@volstream/runtime';
import { black76Greeks, checkCalendar, getFitter, linspace, ssviToRaw, sviImpliedVol, type SviRaw } from '@volstream/svi';
import { YEAR_MS } from '@volstream/vol';
import { createSurfaceCore, type SurfaceCoreOptions } from './core.ts';

const T0 = 1_800_000_000_000;
const DAY = 86_400_000;
const venue = 'sim';
const found = getFitter('svi-qe');
if (!found.ok) throw new Error(found.reason);
const fitter = found.fitter;

type TrueExpiry = { expiryTs: number; forward: number; atmVol: number; params: SviRaw };

/** Arbitrage-free truth: SSVI slices with θφ = 0.8√θ and ρ = −0.3 (GJ 2014 Thm 4.2 holds). */
function truth(days: number, atmVol: number, forward: number): TrueExpiry {
  const t = days / 365;
  const theta = atmVol * atmVol * t;
  return { expiryTs: T0 + days * DAY, forward, atmVol, params: ssviToRaw({ theta, rho: -0.3, phi: 0.8 / Math.sqrt(theta) }) };
}
const expiries = [truth(7, 0.7, 60_100), truth(30, 0.62, 60_500), truth(90, 0.58, 61_500)];

/**
 * Vol points of one expiry at time ts: calls and puts on strikes spaced 0.25 σ√t in k,
 * mid IV from the true smile, a 1-vol-point spread, vega at the mid.
 */
function volPoints(e: TrueExpiry, ts: number, seq: number, shift = 0): VolPoint[] {
  const t = (e.expiryTs - ts) / YEAR_MS;
  const out: VolPoint[] = [];
  const sd = e.atmVol * Math.sqrt(t);
  for (let i = -12; i <= 12; i++) {
    const k = i * 0.25 * sd;
    const strike = e.forward * Math.exp(k);
    const mid = sviImpliedVol(e.params, k, t) + shift;
    for (const optionType of ['call', 'put'] as const) {
      const g = black76Greeks({ forward: e.forward, strike, t, sigma: mid, isCall: optionType === 'call' });
      const instrument = `BTC-${e.expiryTs}-${Math.round(strike)}-${optionType === 'call' ? 'C' : 'P'}`;
      out.push({
        type: 'vol.point', v: 1, id: `vp:${seq}:${instrument}`, venue, ts, recvTs: ts + 2,
        instrument, underlying: 'BTC', expiryTs: e.expiryTs, strike, optionType, settlement: 'inverse', contractSize: 1,
        t, forward: e.forward, k, bid: 0.01, ask: 0.011, mark: null,
        bidIv: mid - 0.005, askIv: mid + 0.005, midIv: mid, markIv: null, delta: g.delta, vega: g.vega, reasons: { mark: 'no_quote' },
      });
    }
  }
  return out;
}

const opts: SurfaceCoreOptions = { fitter, fitIntervalMs: 1_000 };
const smiles = (outs: readonly SurfaceEvent[]) => outs.filter((o): o is SmileFit => o.type === 'surface.smile');
const surfaces = (outs: readonly SurfaceEvent[]) => outs.filter((o): o is Surface => o.type === 'surface.surface');
const rejections = (outs: readonly SurfaceEvent[]) => outs.filter((o): o is Status => o.type === 'status' && o.kind === 'fit_rejected');
/** A point of another expiry that only moves event time forward. */
const tick = (ts: number, seq: number) => volPoints(expiries[2]!, ts, seq).slice(0, 1);

describe('surface core', () => {
  it('fits the known smiles: ATM vols within 0.1 vol point, one smile per expiry and one surface', () => {
    const core = createSurfaceCore(opts);
    const inputs = expiries.flatMap((e, i) => volPoints(e, T0 + 100 + i, i));
    expect(runCore(core, inputs)).toEqual([]); // all before the first boundary (T0 + 1000)
    const outs = core.apply(tick(T0 + 1_001, 9)[0]!);
    for (const o of outs) expect(SurfaceEvent.safeParse(o).success, JSON.stringify(o)).toBe(true);
    expect(rejections(outs)).toEqual([]);
    expect(smiles(outs).map((s) => s.expiryTs)).toEqual(expiries.map((e) => e.expiryTs));
    const [surface, ...more] = surfaces(outs);
    expect(more).toEqual([]);
    expect(surface!.expiries.map((s) => s.expiryTs)).toEqual(expiries.map((e) => e.expiryTs));
    expect(surface!.ts).toBe(T0 + 1_000);
    expect(surface!.fitter).toEqual({ name: fitter.name, version: fitter.version });
    // Fixed tenors inside the quoted range, none beyond it (no extrapolation in time, QUANT.md b11).
    expect(surface!.tenors!.map((x) => x.days)).toEqual([7, 30, 60, 90, 180]);
    const at30 = surface!.tenors!.find((x) => x.days === 30)!;
    expect(Math.abs(at30.atmVol! - surface!.expiries[1]!.atmVol) * 100).toBeLessThan(0.1);
    expect(surface!.tenors!.find((x) => x.days === 180)!.atmVol).toBeNull();
    // The 30-day model-free index prices the wings too: above the 30-day ATM vol, same ballpark.
    expect(surface!.index30d!).toBeGreaterThan(at30.atmVol!);
    expect(surface!.index30d!).toBeLessThan(at30.atmVol! + 0.1);
    for (const s of smiles(outs)) {
      const e = expiries.find((x) => x.expiryTs === s.expiryTs)!;
      const atTruth = sviImpliedVol(e.params, 0, (e.expiryTs - T0 - 100) / YEAR_MS);
      expect(Math.abs(s.atmVol - atTruth) * 100, `expiry ${s.expiryTs}`).toBeLessThan(0.1);
      expect(s.ts).toBe(T0 + 1_000);
      expect(s.t).toBe((s.expiryTs - (T0 + 1_000)) / YEAR_MS);
      expect(s.rr25).toBeLessThan(0); // ρ < 0: puts richer
      expect(s.diagnostics.minG).toBeGreaterThanOrEqual(0);
      expect(s.diagnostics.inSpread).toBeGreaterThan(0.9);
      expect(s.points).toBe(25); // one OTM quote per strike
    }
  });

  it('fits on the event-time cadence only: once per interval in which points changed, never between', () => {
    const core = createSurfaceCore(opts);
    const count = (outs: readonly SurfaceEvent[]) => surfaces(outs).length;
    let n = 0;
    // 40 updates of the 30-day expiry spread over 4 s of event time (100 ms apart).
    for (let i = 0; i < 40; i++) {
      const ts = T0 + 50 + i * 100;
      const outs = runCore(core, volPoints(expiries[1]!, ts, i, (i % 3) * 0.001));
      for (const s of surfaces(outs)) expect(s.ts % 1_000).toBe(0);
      if (count(outs) > 0) expect(Math.floor(ts / 1_000) * 1_000).toBe(surfaces(outs)[0]!.ts); // the first input at/after the boundary
      n += count(outs);
    }
    expect(n).toBe(3); // boundaries T0+1000, +2000, +3000 (the last interval's points wait for +4000)
    // The last interval's points are fitted at T0+4000 by the next input; then nothing changes
    // (the ticks give another expiry a single point, too few to fit) and nothing is fitted.
    expect(smiles(core.apply(tick(T0 + 4_500, 100)[0]!)).map((s) => [s.expiryTs, s.ts])).toEqual([[expiries[1]!.expiryTs, T0 + 4_000]]);
    expect(core.apply(tick(T0 + 6_500, 101)[0]!)).toEqual([]);
    expect(core.apply(tick(T0 + 6_900, 102)[0]!)).toEqual([]);
  });

  it('keeps the last good fit of an expiry that did not change in every surface', () => {
    const core = createSurfaceCore(opts);
    runCore(core, expiries.flatMap((e, i) => volPoints(e, T0 + 100, i)));
    const first = surfaces(core.apply(tick(T0 + 1_100, 10)[0]!))[0]!;
    // Only the 7-day expiry changes in the next interval.
    runCore(core, volPoints(expiries[0]!, T0 + 1_200, 11, 0.002));
    const outs = core.apply(tick(T0 + 2_100, 12)[0]!);
    expect(smiles(outs).map((s) => s.expiryTs).sort()).toEqual([expiries[0]!.expiryTs, expiries[2]!.expiryTs].sort());
    const second = surfaces(outs)[0]!;
    expect(second.expiries).toHaveLength(3);
    expect(second.expiries[1]).toEqual(first.expiries[1]); // 30-day slice untouched
    expect(second.expiries[0]!.atmVol).toBeGreaterThan(first.expiries[0]!.atmVol);
  });

  it('refits kept expiries too when a new slice would cross one of them (calendar arbitrage)', () => {
    const core = createSurfaceCore(opts);
    runCore(core, expiries.flatMap((e, i) => volPoints(e, T0 + 100, i)));
    core.apply(tick(T0 + 1_100, 10)[0]!);
    // The 7-day smile jumps 60 vol points: its total variance now exceeds the kept 30-day slice's.
    runCore(core, volPoints(expiries[0]!, T0 + 1_200, 11, 0.6));
    const outs = core.apply(volPoints(expiries[0]!, T0 + 2_100, 12, 0.6)[0]!);
    expect(smiles(outs).map((x) => x.expiryTs)).toEqual(expiries.map((e) => e.expiryTs));
    expect(smiles(outs).some((x) => x.diagnostics.calendarRepaired)).toBe(true);
    const surface = surfaces(outs)[0]!;
    const slices = surface.expiries.map((x) => ({ t: x.t, params: x.params }));
    // ∂_T w ≥ 0 on a grid over the quotes, up to rounding where the repaired slice sits on its floor.
    const check = checkCalendar(slices, linspace(-0.5, 0.5, 201));
    expect(check.ok ? 0 : Math.max(...check.violations.map((v) => v.deficit))).toBeLessThan(1e-9);
  });

  it('rejects a fit of garbage with a fit_rejected status and keeps the previous fit', () => {
    const core = createSurfaceCore(opts);
    runCore(core, volPoints(expiries[1]!, T0 + 100, 1));
    const good = surfaces(core.apply(tick(T0 + 1_100, 2)[0]!))[0]!;
    // Crossed markets with no mid: every quote is unusable for a fit.
    const garbage = volPoints(expiries[1]!, T0 + 1_200, 3).map((p, i) => ({ ...p, bidIv: 0.9 + (i % 5) * 0.3, askIv: 0.2, midIv: null }));
    runCore(core, garbage);
    const outs = core.apply(tick(T0 + 2_100, 4)[0]!);
    const [rej] = rejections(outs);
    expect(rej?.expiryTs).toBe(expiries[1]!.expiryTs);
    expect(rej?.stage).toBe('surface');
    expect(rej?.reason).toMatch(/too_few_quotes/);
    expect(rej?.detail).toMatchObject({ keptPrevious: true });
    expect(smiles(outs).filter((s) => s.expiryTs === expiries[1]!.expiryTs)).toEqual([]);
    for (const o of outs) expect(SurfaceEvent.safeParse(o).success).toBe(true);
    expect(surfaces(outs)).toEqual([]); // nothing new to show
    // The next surface (another expiry fitted) still carries the last good 30-day slice.
    runCore(core, volPoints(expiries[0]!, T0 + 2_200, 5));
    const next = surfaces(core.apply(tick(T0 + 3_100, 6)[0]!))[0]!;
    expect(next.expiries.map((x) => x.expiryTs)).toEqual([expiries[0]!.expiryTs, expiries[1]!.expiryTs]);
    expect(next.expiries[1]).toEqual(good.expiries[0]);
  });

  it('refuses a fitter answer that breaks no-arbitrage or the schema, whatever the fitter claims', () => {
    const diagnostics = { rmse: 0.1, maxError: 0.2, inSpread: 1, minG: 0.5, iterations: 1, ms: 0, used: 25, dropped: {} };
    const answers = [
      { params: { a: 0.01, b: 0.1, rho: -0.3, m: 0, sigma: 0.1 }, diagnostics: { ...diagnostics, minG: -0.2 }, reason: /butterfly_arbitrage: minG -0.2/ },
      { params: { a: Number.NaN, b: 0.1, rho: -0.3, m: 0, sigma: 0.1 }, diagnostics, reason: /metrics_undefined/ },
    ];
    for (const a of answers) {
      const liar: SurfaceCoreOptions['fitter'] = {
        name: 'liar', version: '0',
        fitSurface: (input) => ({ expiries: input.expiries.map((e) => ({
          ok: true as const, expiryTs: e.expiryTs, t: e.t, forward: e.forward, params: a.params, diagnostics: a.diagnostics,
          calendar: { action: 'none' as const, deficit: 0 }, gGrid: { kMin: -1, kMax: 1, n: 101 },
        })), kGrid: { kMin: -1, kMax: 1, n: 101 } }),
      };
      const core = createSurfaceCore({ ...opts, fitter: liar });
      runCore(core, volPoints(expiries[1]!, T0 + 100, 1));
      const outs = core.apply(tick(T0 + 1_100, 2)[0]!);
      expect(smiles(outs)).toEqual([]);
      expect(rejections(outs)[0]?.reason).toMatch(a.reason);
    }
  });

  it('leaves out expiries with fewer than minPoints quotes or closer than minT', () => {
    const short = truth(0.02, 0.9, 60_000); // ~29 minutes
    const core = createSurfaceCore({ ...opts, minPoints: 30 });
    runCore(core, [...volPoints(expiries[1]!, T0 + 100, 1), ...volPoints(short, T0 + 100, 2)]);
    expect(core.apply(tick(T0 + 1_100, 3)[0]!)).toEqual([]); // 25 OTM quotes < 30; the short one is < 1 h
    const core2 = createSurfaceCore(opts);
    runCore(core2, [...volPoints(expiries[1]!, T0 + 100, 1), ...volPoints(short, T0 + 100, 2)]);
    expect(smiles(core2.apply(tick(T0 + 1_100, 3)[0]!)).map((s) => s.expiryTs)).toEqual([expiries[1]!.expiryTs]);
  });

  it('is deterministic: same inputs give deep-equal outputs (but for diagnostics.ms), with or without snapshot/restore', () => {
    const inputs: VolEvent[] = [];
    for (let i = 0; i < 8; i++) for (const [j, e] of expiries.entries()) inputs.push(...volPoints(e, T0 + 137 + i * 430 + j, i * 10 + j, ((i * 7 + j) % 5) * 0.0007));
    const clock = () => performance.now();
    const strip = (outs: SurfaceEvent[]) => JSON.parse(JSON.stringify(outs, (k, v) => (k === 'ms' ? 0 : v))) as unknown;
    const a = runCore(createSurfaceCore({ ...opts, clock }), inputs);
    const b = runCore(createSurfaceCore({ ...opts, clock }), inputs);
    expect(smiles(a).length).toBeGreaterThan(6);
    expect(strip(b)).toEqual(strip(a));

    const enc = new Encoder({ ignoreUndefined: true });
    const dec = new Decoder();
    let core = createSurfaceCore({ ...opts, clock });
    const c: SurfaceEvent[] = [];
    inputs.forEach((e, i) => {
      if (i % 97 === 50) core = createSurfaceCore({ ...opts, clock }, dec.decode(enc.encode(core.snapshot())));
      c.push(...core.apply(e));
    });
    expect(strip(c)).toEqual(strip(a));
    expect(new Set(a.map((o) => o.id)).size).toBe(a.length);
  });

  it('after a feed_disconnected keeps the last good fits and refits an expiry only once fresh points replace the stale ones', () => {
    const core = createSurfaceCore(opts);
    runCore(core, expiries.flatMap((e, i) => volPoints(e, T0 + 100 + i, i)));
    const first = core.apply(tick(T0 + 1_001, 9)[0]!);
    expect(smiles(first)).toHaveLength(3);
    const down: Status = { type: 'status', v: 1, id: 'st:down', venue, ts: T0 + 1_100, recvTs: T0 + 1_100, kind: 'feed_disconnected', stage: 'connector', reason: 'socket closed' };
    expect(core.apply(down)).toEqual([down]);
    // Two fresh quotes of the 30-day expiry (too few) and the tick's: nothing refitted, nothing published.
    runCore(core, volPoints(expiries[1]!, T0 + 1_200, 10, 0.01).slice(24, 26));
    expect(core.apply(tick(T0 + 2_001, 11)[0]!)).toEqual([]);
    // The whole 30-day chain re-sent (after the reconnect): refitted from the fresh quotes only.
    runCore(core, volPoints(expiries[1]!, T0 + 2_100, 12, 0.01).map((p) => ({ ...p, refresh: true })));
    const outs = core.apply(tick(T0 + 3_001, 13)[0]!);
    expect(smiles(outs).map((x) => x.expiryTs)).toEqual([expiries[1]!.expiryTs]);
    const [surface] = surfaces(outs);
    // The other expiries keep their last good fit.
    expect(surface!.expiries.map((x) => x.expiryTs)).toEqual(expiries.map((e) => e.expiryTs));
    expect(surface!.expiries[0]).toEqual(surfaces(first)[0]!.expiries[0]);
  });

  it('passes status events through', () => {
    const s: Status = { type: 'status', v: 1, id: 'st:1', venue, ts: T0, recvTs: T0, kind: 'feed_disconnected', stage: 'connector', reason: 'socket closed' };
    expect(createSurfaceCore(opts).apply(s)).toEqual([s]);
  });
});
