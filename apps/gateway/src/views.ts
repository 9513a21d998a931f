import { expiryToken, type SmileSlice, type Surface, type VolPoint } from '@volstream/events';
import { sviImpliedVol } from '@volstream/svi';
import type {
  ExpiryFit, HistoryBody, InstrumentsBody, LiveSurface, MetricsBody, Quote, SmileBody, SurfaceBody, TenorsBody, UnderlyingsBody,
} from './api/schemas.ts';
import { DELTA_GRID, callDeltaAt, curveRange, smileCurve, tenorViews, volsAtDeltas, type Curve } from './curve.ts';
import { fitExclusions, type Exclusion } from './fit-filter.ts';
import type { SurfaceStore, VenueEntry } from './store.ts';

// Pure projections from the store to the wire shapes of api/schemas.ts, shared by the HTTP
// routes and the websocket channels so both always say the same thing.

const DAY_MS = 86_400_000;

/** Points of the curve in websocket payloads (REST: `?points=`, default 101). */
export const LIVE_CURVE_POINTS = 41;
export const DEFAULT_CURVE_POINTS = 101;

/** The desk conventions of every metric, stated once (QUANT.md b10-b12). */
export const CONVENTIONS: MetricsBody['conventions'] = {
  units: 'vols, RR, BF as fractions (0.55 = 55 vol points); skew per unit of log-moneyness',
  atm: 'ATM-forward: σ at k = ln(K/F) = 0',
  delta: 'undiscounted forward Black delta, Δ_C = N(d₁), Δ_P = N(d₁) − 1, r = 0; not premium-adjusted',
  rr: 'RR = σ(Δ call) − σ(Δ put); negative when puts are richer',
  bf: 'BF = (σ(Δ call) + σ(Δ put))/2 − σ_ATM (FX smile strangle; Amberdata’s butterfly is 2×)',
  skew: 'dσ/dk at k = 0',
  tenors: 'total variance interpolated linearly in time between the bracketing expiries, at k = 0 for ATM and at fixed delta for the wings; null outside the fitted expiries (no extrapolation)',
  index30d: 'model-free (VIX-style) 30-day variance from the fitted smiles, r = 0, as a vol fraction',
};

/** A slice's fit and metrics, flattened for the desk. */
export function expiryFit(s: SmileSlice, withDeltaVols = false): ExpiryFit {
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
    ...(withDeltaVols ? { deltaVols: volsAtDeltas(s, DELTA_GRID) } : {}),
  };
}

/** A vol point with the slice's fitted vol at the point's own k (the k its IVs were computed at). */
export function quoteView(p: VolPoint, s: SmileSlice, excluded: Exclusion = null): Quote {
  const fit = sviImpliedVol(s.params, p.k, s.t);
  const fitIv = Number.isFinite(fit) ? fit : null;
  return {
    instrument: p.instrument, venue: p.venue, optionType: p.optionType, strike: p.strike, k: p.k,
    bid: p.bid, ask: p.ask, mark: p.mark,
    bidIv: p.bidIv, askIv: p.askIv, midIv: p.midIv, markIv: p.markIv,
    fitIv,
    residual: p.midIv !== null && fitIv !== null ? p.midIv - fitIv : null,
    callDelta: callDeltaAt(s, p.k, fitIv),
    delta: p.delta, vega: p.vega, reasons: p.reasons, excluded, ts: p.ts,
  };
}

/** Every current quote of the slice's expiry, with the fitted vol and why it is not in the fit. */
export function quotesOf(store: SurfaceStore, e: VenueEntry, s: SmileSlice): Quote[] {
  const points = store.quotes(e.underlying, e.venue, s.expiryTs);
  const excluded = fitExclusions(points, s);
  return points.map((p, i) => quoteView(p, s, excluded[i] ?? null));
}

/** The fitted curve over the quoted range of the slice (see `curveRange`). */
export function curveOf(s: SmileSlice, quotes: readonly Quote[], n: number): Curve {
  const ks = quotes.filter((q) => q.excluded !== 'itm' && (q.bidIv !== null || q.askIv !== null || q.midIv !== null)).map((q) => q.k);
  const [kMin, kMax] = curveRange(s, ks);
  return smileCurve(s, { kMin, kMax, n });
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
    expiries: s.expiries.map((x) => expiryFit(x, true)),
    tenors: tenorViews(s),
    ...(s.index30d === undefined ? {} : { index30d: s.index30d }),
    deltaGrid: [...DELTA_GRID],
  };
}

/** Quotes of the live surface: all, none, or the out-of-the-money ones (all but `itm`). */
export type QuoteSet = boolean | 'otm';

/** Websocket `surface` payload: the surface, each expiry's fitted curve and, unless turned off, its quotes. */
export function liveSurface(store: SurfaceStore, e: VenueEntry, withQuotes: QuoteSet): LiveSurface {
  const body = surfaceBody(e);
  const slices = e.surface!.expiries;
  return {
    ...body,
    expiries: body.expiries.map((x, i) => {
      const slice = slices[i]!;
      const quotes = quotesOf(store, e, slice);
      const shown = withQuotes === 'otm' ? quotes.filter((q) => q.excluded !== 'itm') : quotes;
      return { ...x, curve: curveOf(slice, quotes, LIVE_CURVE_POINTS), ...(withQuotes ? { quotes: shown } : {}) };
    }),
  };
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

/** Expiries an entry has a fit for (surface slices and newer smile fits), sorted. */
export function entryExpiries(e: VenueEntry): number[] {
  return [...new Set([...(e.surface?.expiries.map((s) => s.expiryTs) ?? []), ...e.smiles.keys()])].sort((a, b) => a - b);
}

/** The expiry of an entry that a URL token names, if any. */
export function findExpiry(e: VenueEntry, token: string): number | undefined {
  return entryExpiries(e).find(expiryMatcher(token));
}

/** GET /api/v1/surfaces/{underlying}/expiries/{expiry}: the newest fit of the expiry, its quotes and curve. */
export function smileBody(store: SurfaceStore, e: VenueEntry, expiryTs: number, points = DEFAULT_CURVE_POINTS): SmileBody | undefined {
  const fromSurface = e.surface?.expiries.find((s) => s.expiryTs === expiryTs);
  const smile = store.smile(e.underlying, e.venue, expiryTs);
  const slice: SmileSlice | undefined = smile ?? fromSurface;
  if (!slice) return undefined;
  const base = smile
    ? { underlying: smile.underlying, venue: smile.venue, ts: smile.ts, recvTs: smile.recvTs, id: smile.id, fitter: smile.fitter, seq: store.expirySeq(e, expiryTs) }
    : { ...header(e), seq: store.expirySeq(e, expiryTs) };
  const quotes = quotesOf(store, e, slice);
  return { ...base, source: smile ? 'smile' : 'surface', fit: expiryFit(slice, true), quotes, curve: curveOf(slice, quotes, points) };
}

/** GET /api/v1/surfaces/{underlying}/tenors. */
export function tenorsBody(e: VenueEntry): TenorsBody {
  const s = e.surface!;
  return { ...header(e), tenors: tenorViews(s), index30d: s.index30d ?? null };
}

/** GET /api/v1/surfaces/{underlying}/metrics and the websocket `metrics` channel. */
export function metricsBody(e: VenueEntry): MetricsBody {
  const s = e.surface!;
  const expiries = s.expiries.map((x) => ({
    expiry: new Date(x.expiryTs).toISOString(), key: expiryToken(x.expiryTs), expiryTs: x.expiryTs,
    days: (x.expiryTs - s.ts) / DAY_MS, t: x.t, forward: x.forward,
    atmVol: x.atmVol, totalVariance: x.atmVol * x.atmVol * x.t,
    rr25: x.rr25, bf25: x.bf25, rr10: x.rr10, bf10: x.bf10, skew: x.skew,
  }));
  const atmCalendarOk = expiries.every((x, i) => i === 0 || x.totalVariance >= expiries[i - 1]!.totalVariance);
  return { ...header(e), conventions: CONVENTIONS, index30d: s.index30d ?? null, expiries, tenors: tenorViews(s), atmCalendarOk };
}

/** One point of GET …/history from a stored surface. */
export function historyPoint(s: Surface, seq: number): HistoryBody['points'][number] {
  return {
    ts: s.ts,
    seq,
    index30d: s.index30d ?? null,
    tenors: tenorViews(s),
    expiries: s.expiries.map((x) => ({ expiryTs: x.expiryTs, atmVol: x.atmVol, rr25: x.rr25, bf25: x.bf25, rr10: x.rr10, bf10: x.bf10, skew: x.skew, rmse: x.diagnostics.rmse })),
  };
}

/** GET /api/v1/instruments: every option with a current vol point, by underlying, expiry, strike. */
export function instrumentsBody(store: SurfaceStore, f: { underlying?: string; venue?: string; expiry?: (ts: number) => boolean }): InstrumentsBody {
  const out: InstrumentsBody['instruments'] = [];
  for (const p of store.allQuotes({ ...(f.underlying ? { underlying: f.underlying } : {}), ...(f.venue ? { venue: f.venue } : {}) })) {
    if (f.expiry && !f.expiry(p.expiryTs)) continue;
    out.push({
      instrument: p.instrument, venue: p.venue, underlying: p.underlying, expiry: new Date(p.expiryTs).toISOString(), expiryTs: p.expiryTs,
      strike: p.strike, optionType: p.optionType, settlement: p.settlement, contractSize: p.contractSize, ts: p.ts,
    });
  }
  out.sort((a, b) => a.underlying.localeCompare(b.underlying) || a.expiryTs - b.expiryTs || a.strike - b.strike || a.optionType.localeCompare(b.optionType) || a.venue.localeCompare(b.venue));
  return { count: out.length, instruments: out };
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
