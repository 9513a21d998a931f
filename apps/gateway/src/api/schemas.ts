import { z } from '@hono/zod-openapi';
import { FitterRef, IvReason, OptionType, Settlement, Status, SviParams, TOKEN_RE } from '@volstream/events';

// Wire shapes of the HTTP API and of the websocket payloads, one zod schema each (documented at
// /openapi.json). Vols are fractions (0.55 is 55%) unless a field says otherwise.

const tokenMessage = 'must be 1-128 characters of A-Z, a-z, 0-9, _ or -';
const token = () => z.string().regex(TOKEN_RE, tokenMessage);

export const UnderlyingParams = z.object({
  underlying: token().openapi({ param: { name: 'underlying', in: 'path' }, example: 'BTC' }),
});

export const EXPIRY_RE = /^(\d{8}|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?|\d{12,14})$/;
const expiryMessage = 'must be YYYYMMDD, YYYY-MM-DD, an ISO UTC time or epoch milliseconds';

export const ExpiryParams = UnderlyingParams.extend({
  expiry: z.string().regex(EXPIRY_RE, expiryMessage).openapi({ param: { name: 'expiry', in: 'path' }, example: '20261127' }),
});

const venueParam = token().optional()
  .openapi({ param: { name: 'venue', in: 'query' }, description: 'Default: the only venue, else composite, else the most recently updated.', example: 'deribit' });

export const VenueQuery = z.object({ venue: venueParam });

/** A whole number within bounds from a query string ("100"); the handler converts it. */
const intParam = (name: string, min: number, max: number, description: string) =>
  z.string().regex(/^\d{1,9}$/, 'must be a whole number').refine((s) => Number(s) >= min && Number(s) <= max, `must be between ${min} and ${max}`).optional()
    .openapi({ param: { name, in: 'query' }, description, example: String(Math.min(max, Math.max(min, 101))) });

export const SmileQuery = z.object({
  venue: venueParam,
  points: intParam('points', 5, 1001, 'Points of the fitted curve, uniform in log-moneyness (default 101).'),
});

export const TIME_RE = /^(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?|\d{10,14})$/;
const timeParam = (name: string, description: string) =>
  z.string().regex(TIME_RE, 'must be an ISO 8601 time (with Z or an offset), a date YYYY-MM-DD (UTC midnight) or epoch milliseconds').optional()
    .openapi({ param: { name, in: 'query' }, description, example: name === 'from' ? '2026-11-20T00:00:00Z' : '2026-11-21T00:00:00Z' });

export const HistoryQuery = z.object({
  venue: venueParam,
  from: timeParam('from', 'Start of the range, fit time (default: `to` − 6 h).'),
  to: timeParam('to', 'End of the range, fit time (default: now).'),
  maxPoints: intParam('maxPoints', 1, 100_000, 'At most this many points (default 500; the server caps it at HISTORY_MAX_POINTS, 2000 by default). A denser range is sampled.'),
});

export const InstrumentsQuery = z.object({
  underlying: token().optional().openapi({ param: { name: 'underlying', in: 'query' }, example: 'BTC' }),
  venue: token().optional().openapi({ param: { name: 'venue', in: 'query' }, example: 'deribit' }),
  expiry: z.string().regex(EXPIRY_RE, expiryMessage).optional().openapi({ param: { name: 'expiry', in: 'query' }, example: '20261127' }),
});

export const ErrorBody = z.object({
  error: z.enum(['bad_request', 'not_found', 'unauthorized', 'rate_limited', 'unavailable', 'internal']),
  message: z.string(),
  /** For a bad request: each invalid parameter and why. */
  issues: z.array(z.object({ param: z.string(), message: z.string() })).optional(),
}).openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** One fitted expiry: the SVI slice, its desk metrics and its fit diagnostics, flattened. */
export const ExpiryFit = z.object({
  expiry: z.string().openapi({ description: 'Expiry time, ISO 8601 UTC', example: '2026-11-27T08:00:00.000Z' }),
  key: z.string().openapi({ description: 'YYYYMMDD (UTC), as used in URLs and subjects', example: '20261127' }),
  expiryTs: z.number().int(),
  t: z.number().openapi({ description: 'Years to expiry at the fit (ACT/365)' }),
  forward: z.number(),
  // Rebuilt with this module's z: schemas made before zod-openapi loaded lack `.openapi()`.
  params: z.object(SviParams.shape).openapi({ description: 'Raw SVI in total variance: w(k) = a + b(ρ(k − m) + √((k − m)² + σ²)), k = ln(K/F); implied vol √(w(k)/t)' }),
  atmVol: z.number().openapi({ description: 'ATM-forward vol σ(k = 0)' }),
  rr25: z.number().openapi({ description: 'σ(25Δ call) − σ(25Δ put), forward Black deltas; negative = puts richer' }),
  bf25: z.number().openapi({ description: '(σ(25Δ call) + σ(25Δ put))/2 − σ_ATM (FX convention, not 2×)' }),
  rr10: z.number().nullable(),
  bf10: z.number().nullable(),
  skew: z.number().nullable().openapi({ description: 'dσ/dk at k = 0 (vol fraction per unit of log-moneyness)' }),
  rmse: z.number().openapi({ description: 'Vega-weighted RMSE of fit vs mid, in vol points' }),
  maxError: z.number().openapi({ description: 'In vol points' }),
  inSpread: z.number().openapi({ description: 'Share (0..1) of two-sided quotes whose fitted vol is inside bid/ask' }),
  minG: z.number().openapi({ description: 'Minimum Gatheral-Jacquier g(k); >= 0 means no butterfly arbitrage' }),
  iterations: z.number().int(),
  fitMs: z.number().openapi({ description: 'Wall time of the fit (ms)' }),
  used: z.number().int().openapi({ description: 'Quotes used in the fit' }),
  dropped: z.record(z.string(), z.number().int()).openapi({ description: 'Quotes the fitter filtered out, by reason' }),
  calendarRepaired: z.boolean().optional(),
  points: z.number().int(),
  deltaVols: z.array(z.number().nullable()).optional().openapi({ description: 'Fitted vols at the surface’s `deltaGrid` call deltas' }),
}).openapi('ExpiryFit');
export type ExpiryFit = z.infer<typeof ExpiryFit>;

const EXCLUSION_DOC = 'Why the quote is not in the fit, null when it is: itm (the fit uses OTM options), no_iv, one_sided (no mid and not both sides), invalid, crossed, too_wide, vol_cliff. The same rules as the surface stage, applied to the current quote at the fit’s forward.';

/** Latest vol point of one option, with the fitted vol at its log-moneyness. */
export const Quote = z.object({
  instrument: z.string(),
  venue: z.string(),
  optionType: OptionType,
  strike: z.number(),
  k: z.number().openapi({ description: 'ln(K/F) with the forward the vol stage used' }),
  bid: z.number().nullable().openapi({ description: 'Bid price in the premium currency (coin for inverse options)' }),
  ask: z.number().nullable(),
  mark: z.number().nullable(),
  bidIv: z.number().nullable(),
  askIv: z.number().nullable(),
  midIv: z.number().nullable(),
  markIv: z.number().nullable(),
  fitIv: z.number().nullable().openapi({ description: 'Fitted vol at k: √(w(k)/t)' }),
  residual: z.number().nullable().openapi({ description: 'midIv − fitIv (fraction)' }),
  callDelta: z.number().nullable().openapi({ description: 'Forward call delta N(d₁) at the fitted vol (put delta = callDelta − 1): places the quote on a delta axis' }),
  delta: z.number().nullable().openapi({ description: 'The option’s own forward delta from the vol stage' }),
  vega: z.number().nullable(),
  reasons: z.object({ bid: IvReason.optional(), ask: IvReason.optional(), mid: IvReason.optional(), mark: IvReason.optional() })
    .openapi({ description: 'Why a side has no implied vol (vol stage)' }),
  excluded: z.string().nullable().openapi({ description: EXCLUSION_DOC, example: 'too_wide' }),
  ts: z.number().int(),
}).openapi('Quote');
export type Quote = z.infer<typeof Quote>;

export const Curve = z.object({
  k: z.array(z.number()),
  strike: z.array(z.number()),
  iv: z.array(z.number().nullable()),
  callDelta: z.array(z.number().nullable()),
}).openapi('Curve', { description: 'The fitted smile on a grid uniform in k = ln(K/F), as columns' });

export const Tenor = z.object({
  days: z.number().int(),
  atmVol: z.number().nullable(),
  rr25: z.number().nullable(),
  bf25: z.number().nullable(),
  rr10: z.number().nullable().optional(),
  bf10: z.number().nullable().optional(),
}).openapi('Tenor', { description: 'Metrics at a fixed tenor, interpolated in total variance between the bracketing expiries; null outside them' });

const SurfaceHeader = {
  underlying: z.string(),
  venue: z.string(),
  /** Exchange time of the data the fit used. */
  ts: z.number().int().openapi({ description: 'Fit time (exchange time of the data), epoch ms' }),
  recvTs: z.number().int(),
  id: z.string(),
  fitter: FitterRef,
  seq: z.number().int().openapi({ description: 'Changes of this channel seen by this gateway; restarts at 1 with the gateway' }),
};

export const SurfaceBody = z.object({
  ...SurfaceHeader,
  expiries: z.array(ExpiryFit),
  tenors: z.array(Tenor).optional(),
  index30d: z.number().nullable().optional().openapi({ description: '30-day model-free vol index (fraction), DVOL-style' }),
  deltaGrid: z.array(z.number()).optional().openapi({ description: 'Call deltas of each expiry’s `deltaVols`, low strikes first (0.95 = 5Δ put)' }),
}).openapi('Surface');
export type SurfaceBody = z.infer<typeof SurfaceBody>;

/** A surface with each expiry's current quotes and curve: the payload of the websocket `surface` channel. */
export const LiveSurface = SurfaceBody.extend({
  expiries: z.array(ExpiryFit.extend({ quotes: z.array(Quote).optional(), curve: Curve.optional() })),
}).openapi('LiveSurface');
export type LiveSurface = z.infer<typeof LiveSurface>;

export const SmileBody = z.object({
  ...SurfaceHeader,
  /** `smile` when a per-expiry fit newer than the surface exists, else `surface`. */
  source: z.enum(['surface', 'smile']),
  fit: ExpiryFit,
  quotes: z.array(Quote),
  curve: Curve,
}).openapi('Smile');
export type SmileBody = z.infer<typeof SmileBody>;

export const TenorsBody = z.object({
  ...SurfaceHeader,
  tenors: z.array(Tenor),
  index30d: z.number().nullable(),
}).openapi('Tenors');
export type TenorsBody = z.infer<typeof TenorsBody>;

export const Conventions = z.object({
  units: z.string(),
  atm: z.string(),
  delta: z.string(),
  rr: z.string(),
  bf: z.string(),
  skew: z.string(),
  tenors: z.string(),
  index30d: z.string(),
}).openapi('Conventions');

export const ExpiryMetrics = z.object({
  expiry: z.string(),
  key: z.string(),
  expiryTs: z.number().int(),
  days: z.number().openapi({ description: 'Calendar days to expiry at the fit' }),
  t: z.number(),
  forward: z.number(),
  atmVol: z.number(),
  totalVariance: z.number().openapi({ description: 'ATM total variance atmVol²·t; must rise with t (no calendar arbitrage at the money)' }),
  rr25: z.number(),
  bf25: z.number(),
  rr10: z.number().nullable(),
  bf10: z.number().nullable(),
  skew: z.number().nullable(),
}).openapi('ExpiryMetrics');

export const MetricsBody = z.object({
  ...SurfaceHeader,
  conventions: Conventions,
  index30d: z.number().nullable(),
  expiries: z.array(ExpiryMetrics),
  tenors: z.array(Tenor),
  /** False when ATM total variance falls from one expiry to the next (see totalVariance). */
  atmCalendarOk: z.boolean(),
}).openapi('Metrics');
export type MetricsBody = z.infer<typeof MetricsBody>;

export const HistoryPoint = z.object({
  ts: z.number().int().openapi({ description: 'Fit time, epoch ms' }),
  seq: z.number().int().openapi({ description: 'Stream sequence of the stored surface' }),
  index30d: z.number().nullable(),
  tenors: z.array(Tenor),
  expiries: z.array(z.object({
    expiryTs: z.number().int(),
    atmVol: z.number(),
    rr25: z.number(),
    bf25: z.number(),
    rr10: z.number().nullable(),
    bf10: z.number().nullable(),
    skew: z.number().nullable(),
    rmse: z.number(),
  })),
}).openapi('HistoryPoint');

export const HistoryBody = z.object({
  underlying: z.string(),
  venue: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  maxPoints: z.number().int(),
  /** True when the range held more surfaces than maxPoints and was sampled. */
  sampled: z.boolean(),
  points: z.array(HistoryPoint),
}).openapi('History');
export type HistoryBody = z.infer<typeof HistoryBody>;

export const Instrument = z.object({
  instrument: z.string(),
  venue: z.string(),
  underlying: z.string(),
  expiry: z.string(),
  expiryTs: z.number().int(),
  strike: z.number(),
  optionType: OptionType,
  settlement: Settlement,
  contractSize: z.number(),
  /** Time of the latest vol point of the instrument. */
  ts: z.number().int(),
}).openapi('Instrument');

export const InstrumentsBody = z.object({ count: z.number().int(), instruments: z.array(Instrument) }).openapi('Instruments');
export type InstrumentsBody = z.infer<typeof InstrumentsBody>;

export const UnderlyingsBody = z.object({
  venues: z.array(z.string()),
  underlyings: z.array(z.object({
    underlying: z.string(),
    defaultVenue: z.string(),
    venues: z.array(z.object({
      venue: z.string(),
      /** Exchange time of the latest fit. */
      ts: z.number().int(),
      seq: z.number().int(),
      expiries: z.number().int(),
      fitter: FitterRef,
    })),
  })),
}).openapi('Underlyings');
export type UnderlyingsBody = z.infer<typeof UnderlyingsBody>;

export const ConsumerLag = z.object({
  stream: z.string(),
  consumer: z.string(),
  pending: z.number().int().openapi({ description: 'Messages not yet delivered (num_pending)' }),
  ackPending: z.number().int(),
  redelivered: z.number().int(),
}).openapi('ConsumerLag');

export const StreamRate = z.object({
  stream: z.string(),
  messages: z.number().int(),
  bytes: z.number().int(),
  lastSeq: z.number().int(),
  ratePerSec: z.number().nullable().openapi({ description: 'Messages stored per second between the last two polls' }),
}).openapi('StreamRate');

export const HealthBody = z.object({
  status: z.enum(['ok', 'unavailable']),
  nats: z.object({ connected: z.boolean(), status: z.string() }),
  feed: z.record(z.string(), z.number()),
  quotes: z.number().int(),
  websocket: z.record(z.string(), z.number()).optional(),
  surfaces: z.array(z.object({
    underlying: z.string(),
    venue: z.string(),
    ts: z.number().int(),
    /** now − ts on the gateway's clock (ms). */
    ageMs: z.number(),
  })),
  /** Pipeline consumers and streams, as of `pipelineTs` (absent until the first poll). */
  consumers: z.array(ConsumerLag).optional(),
  streams: z.array(StreamRate).optional(),
  pipelineTs: z.number().int().nullable().optional(),
}).openapi('Health');
export type HealthBody = z.infer<typeof HealthBody>;

export const StatusBody = z.object({ seq: z.number().int(), events: z.array(Status) }).openapi('StatusEvents');
