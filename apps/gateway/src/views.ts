import { expiryToken, type SmileSlice, type VolPoint } from '@volstream/events';
import { sviImpliedVol } from '@volstream/svi';
import type { ExpiryFit, LiveSurface, Quote, SmileBody, SurfaceBody, UnderlyingsBody } from './api/schemas.ts';
import type { SurfaceStore, VenueEntry } from './store.ts';

// Pure projections from the store to the wire shapes of api/schemas.ts, shared by the HTTP
// routes and the websocket channels so both always say the same thing.

/** A slice's fit and metrics, flattened for the desk. */
export function expiryFit(s: SmileSlice): ExpiryFit {
  const d = s.diagnostics;
  return {
    expiry: new Date(s.expiryTs).toISOString(),
    key: expiryToken(s.expiryTs),
    expiryTs: s.expiryTs,
    t: s.t,
    forward: s.forward,
    params: s.params,
    atmVol: s.atmVol, rr25: s.rr25, bf25: s.bf25, rr10: s.rr10, bf10: s.bf10, skew: s.skew,
    rmse: d.rmse, maxError: d.maxError, inSpread: d.inSpread, minG: d.minG,
    iterations: d.iterations, fitMs: d.ms, used: d.used, dropped: d.dropped,
    ...(d.calendarRepaired === undefined ? {} : { calendarRepaired: d.calendarRepaired }),
    points: s.points,
  };
}

/** A vol point with the slice's fitted vol at the point's own k (the k its IVs were computed at). */
export function quoteView(p: VolPoint, s: SmileSlice): Quote {
  const fit = sviImpliedVol(s.params, p.k, s.t);
  const fitIv = Number.isFinite(fit) ? fit : null;
  return {
    instrument: p.instrument, venue: p.venue, optionType: p.optionType, strike: p.strike, k: p.k,
    bidIv: p.bidIv, askIv: p.askIv, midIv: p.midIv, markIv: p.markIv,
    fitIv,
    residual: p.midIv !== null && fitIv !== null ? p.midIv - fitIv : null,
    delta: p.delta, vega: p.vega, reasons: p.reasons, ts: p.ts,
  };
}

/** Quotes worth showing: those with at least one implied vol. */
function quotesOf(store: SurfaceStore, e: VenueEntry, s: SmileSlice): Quote[] {
  return store.quotes(e.underlying, e.venue, s.expiryTs)
    .filter((p) => p.bidIv !== null || p.askIv !== null || p.midIv !== null || p.markIv !== null)
    .map((p) => quoteView(p, s));
}

function header(e: VenueEntry) {
  const s = e.surface!;
  return { underlying: s.underlying, venue: s.venue, ts: s.ts, recvTs: s.recvTs, id: s.id, fitter: s.fitter, seq: e.seq };
}

/** GET /api/v1/surfaces/{underlying}. The entry must have a surface. */
export function surfaceBody(e: VenueEntry): SurfaceBody {
  const s = e.surface!;
  return {
    ...header(e),
    expiries: s.expiries.map(expiryFit),
    ...(s.tenors === undefined ? {} : { tenors: s.tenors }),
    ...(s.index30d === undefined ? {} : { index30d: s.index30d }),
  };
}

/** Websocket `surface` payload: the surface and, unless turned off, each expiry's quotes. */
export function liveSurface(store: SurfaceStore, e: VenueEntry, withQuotes: boolean): LiveSurface {
  const body = surfaceBody(e);
  if (!withQuotes) return body;
  const slices = e.surface!.expiries;
  return { ...body, expiries: body.expiries.map((x, i) => ({ ...x, quotes: quotesOf(store, e, slices[i]!) })) };
}

/**
 * An expiry matcher from a URL token: a day (`YYYYMMDD`, `YYYY-MM-DD`) matches the expiry on
 * that UTC date; a full ISO time or epoch ms matches exactly. The token was validated already.
 */
export function expiryMatcher(token: string): (expiryTs: number) => boolean {
  if (/^\d{8}$/.test(token)) return (ts) => expiryToken(ts) === token;
  if (/^\d{4}-\d{2}-\d{2}$/.test(token)) return (ts) => expiryToken(ts) === token.replaceAll('-', '');
  const ts = /^\d+$/.test(token) ? Number(token) : Date.parse(token);
  return (x) => x === ts;
}

/** GET /api/v1/surfaces/{underlying}/expiries/{expiry}: the newest fit of the expiry and its quotes. */
export function smileBody(store: SurfaceStore, e: VenueEntry, expiryTs: number): SmileBody | undefined {
  const fromSurface = e.surface?.expiries.find((s) => s.expiryTs === expiryTs);
  const smile = store.smile(e.underlying, e.venue, expiryTs);
  const slice: SmileSlice | undefined = smile ?? fromSurface;
  if (!slice) return undefined;
  const base = smile
    ? { underlying: smile.underlying, venue: smile.venue, ts: smile.ts, recvTs: smile.recvTs, id: smile.id, fitter: smile.fitter, seq: e.seq }
    : header(e);
  return { ...base, source: smile ? 'smile' : 'surface', fit: expiryFit(slice), quotes: quotesOf(store, e, slice) };
}

/** GET /api/v1/underlyings. */
export function underlyingsBody(store: SurfaceStore): UnderlyingsBody {
  const byUnderlying = new Map<string, VenueEntry[]>();
  for (const e of store.surfaces()) {
    const list = byUnderlying.get(e.underlying) ?? [];
    list.push(e);
    byUnderlying.set(e.underlying, list);
  }
  return {
    venues: store.venues(),
    underlyings: store.underlyings().map((u) => ({
      underlying: u,
      defaultVenue: store.defaultVenue(u)!,
      venues: (byUnderlying.get(u) ?? [])
        .sort((a, b) => a.venue.localeCompare(b.venue))
        .map((e) => ({ venue: e.venue, ts: e.surface!.ts, seq: e.seq, expiries: e.surface!.expiries.length, fitter: e.surface!.fitter })),
    })),
  };
}
