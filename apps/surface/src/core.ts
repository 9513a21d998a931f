import { COMPOSITE_VENUE, eventId, type SmileFit, type SmileSlice, type Status, type Surface, type SurfaceEvent, type VolEvent, type VolPoint } from '@volstream/events';
import type { Core } from '@volstream/runtime';
import { yearsToExpiry } from '@volstream/vol';
import { checkCalendar, DEFAULT_TENOR_DAYS, fixedTenors, linspace, volIndex30d, type KGrid, type SurfaceExpiryInput } from '@volstream/svi';
import type { SurfaceFitter } from './fitter.ts';
import { otmQuotes, type StoredPoint } from './quotes.ts';
import { COMPOSITE_MIN_VENUES, compositePoints } from './composite.ts';
import { acceptFit } from './slice.ts';
import {
  emptyState, expiryKey, fromSnapshot, groupKey, isSurfaceSnapshot, toSnapshot,
  type ExpiryState, type GroupState, type SurfaceState,
} from './state.ts';
import { CheckpointStateError } from './errors.ts';

export const DEFAULT_FIT_INTERVAL_MS = 1_000;
export const DEFAULT_MIN_POINTS = 6;
export const DEFAULT_MIN_T_MS = 3_600_000;

export type SurfaceCoreOptions = {
  fitter: SurfaceFitter;
  /** Fit cadence in ms of EVENT time, per (venue, underlying). */
  fitIntervalMs?: number;
  /** Fewest usable OTM quotes an expiry needs to be fitted. */
  minPoints?: number;
  /** Expiries closer than this (ms) at the fit time are left out of the surface. */
  minTMs?: number;
  /** Wall clock for `diagnostics.ms` only, the one field not reproducible on replay (default: none, ms = 0). */
  clock?: () => number;
  /** Also fit a composite surface per underlying from every venue's quotes, published with venue
   * `composite` (composite.ts; default false). Needs every venue of the underlying in the input. */
  composite?: boolean;
  /** Fit each venue's own surface (default true); false with `composite` fits the composite only. */
  venueSurfaces?: boolean;
};

/** The input whose arrival triggered a fit round. */
type Cause = { id: string; recvTs: number };
/** An expiry with enough quotes to fit, and its fit input at the fit time. */
type Candidate = { exp: ExpiryState; input: SurfaceExpiryInput };

/**
 * Fits the implied-vol surface of each (venue, underlying) on a cadence of event time:
 * when an input's ts reaches the group's next boundary (floor(ts / fitIntervalMs) + 1) ·
 * fitIntervalMs, every expiry that received points since its last fit, has ≥ minPoints usable
 * OTM quotes and t ≥ minT is fitted at that boundary (before the input is applied), with the
 * fitter's calendar repair across the fitted expiries; should a new slice cross the kept fit of
 * an unchanged expiry, those are refitted with it. It emits one surface.smile per fitted
 * expiry, a status fit_rejected (previous fit kept) per refused one, and one surface.surface
 * with every current expiry (the last good fit of unchanged ones), fixed tenors and the 30-day
 * index. Nothing is fitted between boundaries.
 *
 * With `composite`, each underlying also has a (composite, underlying) group, fitted the same
 * way on the same boundaries (its clock is moved by every venue's input of the underlying, right
 * after the venue's own group): an expiry is refitted when a point of any venue arrived for it,
 * from the best bid and ask IV across venues per strike (`compositePoints`). It is fitted only
 * once the underlying has quotes of ≥ 2 venues: with one it would repeat that venue's fit.
 * Inputs that claim the venue `composite` are dropped.
 *
 * A status feed_disconnected of a venue (for its underlying, else all of them) marks that
 * venue's stored points stale: no fit, the venue's or the composite's, uses them until a new
 * vol point of the instrument (refresh or not) replaces them. An expiry left with too few fresh
 * points is not refitted (its last good fit is kept). Status events pass through.
 *
 * Pure and deterministic (time is the events' ts, ids derive from fit times), except
 * `diagnostics.ms`, which only the injected clock feeds.
 */
export function createSurfaceCore(options: SurfaceCoreOptions, state?: unknown): Core<VolEvent, SurfaceEvent> {
  const { fitter } = options;
  const fitIntervalMs = options.fitIntervalMs ?? DEFAULT_FIT_INTERVAL_MS;
  const minPoints = options.minPoints ?? DEFAULT_MIN_POINTS;
  const minTMs = options.minTMs ?? DEFAULT_MIN_T_MS;
  const clock = options.clock ?? (() => 0);
  const composite = options.composite ?? false;
  const venueSurfaces = options.venueSurfaces ?? true;
  if (!(Number.isInteger(fitIntervalMs) && fitIntervalMs > 0)) throw new RangeError(`fitIntervalMs must be a positive integer (ms), got ${fitIntervalMs}`);
  if (!venueSurfaces && !composite) throw new RangeError('venueSurfaces: false needs composite: true (nothing would be fitted)');
  const s: SurfaceState = state === undefined ? emptyState() : isSurfaceSnapshot(state) ? fromSnapshot(state) : invalidState(state);
  const ref = { name: fitter.name, version: fitter.version };
  const nextBoundary = (ts: number) => (Math.floor(ts / fitIntervalMs) + 1) * fitIntervalMs;

  function apply(e: VolEvent): SurfaceEvent[] {
    if (e.type === 'status') {
      if (e.kind === 'feed_disconnected' && e.venue !== COMPOSITE_VENUE) markStale(e.venue, e.underlying);
      return [e];
    }
    // Reserved for the composite: a venue's own points never mix into its state.
    if (e.venue === COMPOSITE_VENUE) return [];
    const out: SurfaceEvent[] = [];
    const g = advance(e.venue, e, venueSurfaces ? fitRound : forgetExpired, out);
    if (composite) advance(COMPOSITE_VENUE, e, compositeRound, out);
    if (addPoint(g, e) && composite) touchComposite(e);
    return out;
  }

  /** The group of (venue, e.underlying), first running its round at the boundary e.ts reached. */
  function advance(venue: string, e: VolPoint, round: (g: GroupState, fitTs: number, cause: Cause) => SurfaceEvent[], out: SurfaceEvent[]): GroupState {
    const gk = groupKey(venue, e.underlying);
    const g = s.groups.get(gk);
    if (!g) {
      const created: GroupState = { venue, underlying: e.underlying, nextFitTs: nextBoundary(e.ts), expiries: new Set() };
      s.groups.set(gk, created);
      return created;
    }
    if (e.ts >= g.nextFitTs) {
      out.push(...round(g, g.nextFitTs, e));
      g.nextFitTs = nextBoundary(e.ts);
    }
    return g;
  }

  /** Whether the point was kept (not for an expiry that had ended before it was first seen). */
  function addPoint(g: GroupState, p: VolPoint): boolean {
    const key = expiryKey(p.venue, p.underlying, p.expiryTs);
    let exp = s.expiries.get(key);
    if (!exp) {
      if (p.ts >= p.expiryTs) return false;
      exp = { venue: p.venue, underlying: p.underlying, expiryTs: p.expiryTs, forward: p.forward, lastRecvTs: p.recvTs, points: new Map(), changed: false, last: null };
      s.expiries.set(key, exp);
      g.expiries.add(key);
    }
    if (p.reasons.mid === 'expired') exp.points.delete(p.instrument);
    else exp.points.set(p.instrument, { instrument: p.instrument, strike: p.strike, isCall: p.optionType === 'call', bidIv: p.bidIv, askIv: p.askIv, midIv: p.midIv, vega: p.vega });
    exp.forward = p.forward;
    exp.lastRecvTs = p.recvTs;
    exp.changed = true;
    return true;
  }

  /**
   * A venue's feed went down: its stored points of the underlying (every underlying when the
   * status names none) are marked stale, so no fit uses them until fresh points replace them
   * (after the reconnect the book and vol stages re-send every top, flagged `refresh`). The
   * venue's own expiries are left as they are (too few fresh points: the last good fit is kept);
   * the composite expiries they fed are marked changed, refitted from the other venues.
   */
  function markStale(venue: string, underlying: string | undefined): void {
    for (const exp of s.expiries.values()) {
      if (exp.venue !== venue || (underlying !== undefined && exp.underlying !== underlying)) continue;
      let marked = false;
      for (const p of exp.points.values()) {
        if (p.stale) continue;
        p.stale = true;
        marked = true;
      }
      if (!marked) continue;
      const c = s.expiries.get(expiryKey(COMPOSITE_VENUE, exp.underlying, exp.expiryTs));
      if (c) c.changed = true;
    }
  }

  /** Marks the composite expiry of a venue's point changed. It keeps no points of its own: they
   * are merged from the venues' expiries at fit time, so nothing is stored twice. */
  function touchComposite(p: VolPoint): void {
    const key = expiryKey(COMPOSITE_VENUE, p.underlying, p.expiryTs);
    let exp = s.expiries.get(key);
    if (!exp) {
      exp = { venue: COMPOSITE_VENUE, underlying: p.underlying, expiryTs: p.expiryTs, forward: p.forward, lastRecvTs: p.recvTs, points: new Map(), changed: false, last: null };
      s.expiries.set(key, exp);
      s.groups.get(groupKey(COMPOSITE_VENUE, p.underlying))!.expiries.add(key);
    }
    exp.lastRecvTs = p.recvTs;
    exp.changed = true;
  }

  /** Venues with a group of the underlying, in name order. */
  function venuesOf(underlying: string): string[] {
    const out: string[] = [];
    for (const g of s.groups.values()) if (g.underlying === underlying && g.venue !== COMPOSITE_VENUE) out.push(g.venue);
    return out.sort();
  }

  /** Until a second venue quotes the underlying, its composite expiries wait (still changed). */
  function compositeRound(g: GroupState, fitTs: number, cause: Cause): SurfaceEvent[] {
    return venuesOf(g.underlying).length < COMPOSITE_MIN_VENUES ? forgetExpired(g, fitTs) : fitRound(g, fitTs, cause);
  }

  /** A round without a fit (that group's surfaces are not wanted): only forgets ended expiries. */
  function forgetExpired(g: GroupState, fitTs: number): SurfaceEvent[] {
    for (const key of [...g.expiries]) {
      if (s.expiries.get(key)!.expiryTs > fitTs) continue;
      s.expiries.delete(key);
      g.expiries.delete(key);
    }
    return [];
  }

  function fitRound(g: GroupState, fitTs: number, cause: Cause): SurfaceEvent[] {
    const out: SurfaceEvent[] = [];
    let dropped = false;
    let toFit: Candidate[] = [];
    const kept: ExpiryState[] = [];
    for (const key of [...g.expiries]) {
      const exp = s.expiries.get(key)!;
      if (exp.expiryTs - fitTs < minTMs) {
        // Too close to expiry for a meaningful smile: out of the surface; forgotten once expired.
        if (exp.last) dropped = true;
        exp.last = null;
        if (exp.expiryTs <= fitTs) {
          s.expiries.delete(key);
          g.expiries.delete(key);
        }
        continue;
      }
      if (!exp.changed) {
        if (exp.last) kept.push(exp);
        continue;
      }
      const c = candidate(exp, fitTs);
      if (c) toFit.push(c); // else it stays changed: fitted once enough quotes arrive
    }
    if (toFit.length === 0) return dropped ? [surfaceEvent(g, fitTs, cause.recvTs)] : [];

    let round = fit(toFit);
    if (kept.length > 0 && !calendarFree(round, kept)) {
      // A new slice crosses a kept one: refit those too, so the fitter repairs the calendar
      // across all of them (more work, only when the cheap round would publish an arbitrage).
      toFit = [...toFit, ...kept.flatMap((exp) => candidate(exp, fitTs) ?? [])];
      round = fit(toFit);
    }
    // The surface carries the receive time of the freshest market data it was fitted from.
    let recvTs: number | undefined;
    for (const { exp, input, checked } of round.outcomes) {
      exp.changed = false;
      if (!checked.ok) {
        out.push(rejected(exp, fitTs, checked.reason, input.quotes.length));
        continue;
      }
      exp.last = { slice: checked.slice, fit: checked.fit };
      out.push(smileEvent(exp, fitTs, checked.slice));
      recvTs = Math.max(recvTs ?? 0, exp.lastRecvTs);
    }
    if (recvTs !== undefined || dropped) out.push(surfaceEvent(g, fitTs, recvTs ?? cause.recvTs));
    return out;
  }

  /** The fit input of an expiry at the fit time, or null with fewer than minPoints usable quotes. */
  function candidate(exp: ExpiryState, fitTs: number): Candidate | null {
    const src = exp.venue === COMPOSITE_VENUE ? compositeSource(exp) : { forward: exp.forward, points: freshPoints(exp) };
    if (!src) return null;
    exp.forward = src.forward;
    const t = yearsToExpiry({ expiryTs: exp.expiryTs, ts: fitTs });
    const quotes = otmQuotes({ points: src.points, forward: src.forward, t });
    return quotes.length < minPoints ? null : { exp, input: { expiryTs: exp.expiryTs, t, forward: src.forward, quotes } };
  }

  /** The composite quotes of an expiry from the venues' current points of it. */
  function compositeSource(exp: ExpiryState): { forward: number; points: Iterable<StoredPoint> } | null {
    const venues = venuesOf(exp.underlying).flatMap((venue) => {
      const v = s.expiries.get(expiryKey(venue, exp.underlying, exp.expiryTs));
      const points = v ? freshPoints(v) : [];
      return points.length > 0 ? [{ venue, forward: v!.forward, points }] : [];
    });
    return compositePoints(venues);
  }

  /** An expiry's points that are not stale (feed_disconnected), in stored order. */
  function freshPoints(exp: ExpiryState): StoredPoint[] {
    const out: StoredPoint[] = [];
    for (const p of exp.points.values()) if (!p.stale) out.push(p);
    return out;
  }

  /** One fitter call over the candidates (warm-started from their last fits), each answer checked. */
  function fit(cands: Candidate[]): { outcomes: (Candidate & { checked: ReturnType<typeof acceptFit> })[]; kGrid: KGrid } {
    const sorted = cands.slice().sort((a, b) => a.exp.expiryTs - b.exp.expiryTs);
    const previous = { expiries: sorted.flatMap(({ exp }) => (exp.last ? [exp.last.fit] : [])) };
    const result = fitter.fitSurface({ expiries: sorted.map((c) => c.input) }, previous, { clock });
    const byExpiry = new Map(result.expiries.map((r) => [r.expiryTs, r]));
    return {
      outcomes: sorted.map((c) => ({ ...c, checked: acceptFit(byExpiry.get(c.exp.expiryTs), c.input.quotes.length) })),
      kGrid: result.kGrid,
    };
  }

  /** Whether the accepted new slices and the kept ones are free of calendar arbitrage,
   * ∂_T w(k, T) ≥ 0 on the fitter's k-grid (QUANT.md b3; checkCalendar from @volstream/svi). */
  function calendarFree({ outcomes, kGrid }: ReturnType<typeof fit>, kept: readonly ExpiryState[]): boolean {
    const slices = [
      ...outcomes.flatMap(({ checked }) => (checked.ok ? [checked.slice] : [])),
      ...kept.map((exp) => exp.last!.slice),
    ].map((x) => ({ t: x.t, params: x.params }));
    return checkCalendar(slices, linspace(kGrid.kMin, kGrid.kMax, kGrid.n)).ok;
  }

  function smileEvent(exp: ExpiryState, fitTs: number, slice: SmileSlice): SmileFit {
    return {
      type: 'surface.smile', v: 1, id: eventId('smile', ref.name, ref.version, exp.venue, exp.underlying, exp.expiryTs, fitTs),
      venue: exp.venue, ts: fitTs, recvTs: exp.lastRecvTs, underlying: exp.underlying, fitter: ref, ...slice,
    };
  }

  function rejected(exp: ExpiryState, fitTs: number, reason: string, quotes: number): Status {
    return {
      type: 'status', v: 1, id: eventId('fitrej', ref.name, ref.version, exp.venue, exp.underlying, exp.expiryTs, fitTs),
      venue: exp.venue, ts: fitTs, recvTs: exp.lastRecvTs, kind: 'fit_rejected', stage: 'surface', underlying: exp.underlying, expiryTs: exp.expiryTs,
      reason, detail: { fitter: `${ref.name}@${ref.version}`, quotes, keptPrevious: exp.last !== null },
    };
  }

  function surfaceEvent(g: GroupState, fitTs: number, recvTs: number): Surface {
    const expiries = [...g.expiries].map((k) => s.expiries.get(k)!.last?.slice).filter((x): x is SmileSlice => x !== undefined).sort((a, b) => a.expiryTs - b.expiryTs);
    const ev: Surface = {
      type: 'surface.surface', v: 1, id: eventId('surface', ref.name, ref.version, g.venue, g.underlying, fitTs),
      venue: g.venue, ts: fitTs, recvTs, underlying: g.underlying, fitter: ref, expiries,
    };
    const slices = expiries.map((x) => ({ t: x.t, params: x.params }));
    // Fixed tenors (7/30/60/90/180 d), total variance interpolated in t, null outside the expiries.
    ev.tenors = fixedTenors({ slices, days: DEFAULT_TENOR_DAYS }).map((p, i) => ({
      days: DEFAULT_TENOR_DAYS[i]!,
      atmVol: finiteOrNull(p?.atmVol), rr25: finiteOrNull(p?.rr25), bf25: finiteOrNull(p?.bf25),
    }));
    // libs/svi gives the index in vol points (like DVOL); the event carries a fraction.
    const index = volIndex30d({ slices });
    ev.index30d = index ? finiteOrNull(index.value / 100) : null;
    return ev;
  }

  return { apply, snapshot: () => toSnapshot(s) };
}

const finiteOrNull = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);

function invalidState(state: unknown): never {
  throw new CheckpointStateError(`not a surface core snapshot (v: 1 expected): ${JSON.stringify(state)?.slice(0, 200)}`);
}
