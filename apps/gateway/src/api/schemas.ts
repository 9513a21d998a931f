import { z } from '@hono/zod-openapi';
import { FitterRef, IvReason, OptionType, Status, SviParams, TOKEN_RE } from '@volstream/events';

// Wire shapes of the HTTP API and of the websocket payloads, one zod schema each (documented at
// /api/v1/openapi.json). Vols are fractions (0.55 is 55%) unless a field says otherwise.

const tokenMessage = 'must be 1-128 characters of A-Z, a-z, 0-9, _ or -';

export const UnderlyingParams = z.object({
  underlying: z.string().regex(TOKEN_RE, tokenMessage).openapi({ param: { name: 'underlying', in: 'path' }, example: 'BTC' }),
});

export const EXPIRY_RE = /^(\d{8}|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?|\d{12,14})$/;

export const ExpiryParams = UnderlyingParams.extend({
  expiry: z.string().regex(EXPIRY_RE, 'must be YYYYMMDD, YYYY-MM-DD, an ISO UTC time or epoch milliseconds')
    .openapi({ param: { name: 'expiry', in: 'path' }, example: '20261127' }),
});

export const VenueQuery = z.object({
  venue: z.string().regex(TOKEN_RE, tokenMessage).optional()
    .openapi({ param: { name: 'venue', in: 'query' }, description: 'Default: the only venue, else composite, else the most recently updated.', example: 'deribit' }),
});

export const ErrorBody = z.object({
  error: z.enum(['bad_request', 'not_found', 'internal']),
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
  atmVol: z.number(),
  rr25: z.number(),
  bf25: z.number(),
  rr10: z.number().nullable(),
  bf10: z.number().nullable(),
  skew: z.number().nullable(),
  rmse: z.number().openapi({ description: 'Vega-weighted RMSE of fit vs mid, in vol points' }),
  maxError: z.number().openapi({ description: 'In vol points' }),
  inSpread: z.number().openapi({ description: 'Share (0..1) of two-sided quotes whose fitted vol is inside bid/ask' }),
  minG: z.number().openapi({ description: 'Minimum Gatheral-Jacquier g(k); >= 0 means no butterfly arbitrage' }),
  iterations: z.number().int(),
  fitMs: z.number(),
  used: z.number().int(),
  dropped: z.record(z.string(), z.number().int()),
  calendarRepaired: z.boolean().optional(),
  points: z.number().int(),
}).openapi('ExpiryFit');
export type ExpiryFit = z.infer<typeof ExpiryFit>;

/** Latest vol point of one option, with the fitted vol at its log-moneyness. */
export const Quote = z.object({
  instrument: z.string(),
  venue: z.string(),
  optionType: OptionType,
  strike: z.number(),
  k: z.number().openapi({ description: 'ln(K/F) with the forward the vol stage used' }),
  bidIv: z.number().nullable(),
  askIv: z.number().nullable(),
  midIv: z.number().nullable(),
  markIv: z.number().nullable(),
  fitIv: z.number().nullable().openapi({ description: 'Fitted vol at k: √(w(k)/t)' }),
  residual: z.number().nullable().openapi({ description: 'midIv − fitIv (fraction)' }),
  delta: z.number().nullable(),
  vega: z.number().nullable(),
  reasons: z.object({ bid: IvReason.optional(), ask: IvReason.optional(), mid: IvReason.optional(), mark: IvReason.optional() }),
  ts: z.number().int(),
}).openapi('Quote');
export type Quote = z.infer<typeof Quote>;

const Tenor = z.object({ days: z.number().int(), atmVol: z.number().nullable(), rr25: z.number().nullable(), bf25: z.number().nullable() });

const SurfaceHeader = {
  underlying: z.string(),
  venue: z.string(),
  /** Exchange time of the data the fit used. */
  ts: z.number().int(),
  recvTs: z.number().int(),
  id: z.string(),
  fitter: FitterRef,
  /** Changes of this (venue, underlying) surface seen by this gateway; restarts at 1 with the gateway. */
  seq: z.number().int(),
};

export const SurfaceBody = z.object({
  ...SurfaceHeader,
  expiries: z.array(ExpiryFit),
  tenors: z.array(Tenor).optional(),
  index30d: z.number().nullable().optional(),
}).openapi('Surface');
export type SurfaceBody = z.infer<typeof SurfaceBody>;

/** A surface with each expiry's current quotes: the payload of the websocket `surface` channel. */
export const LiveSurface = SurfaceBody.extend({
  expiries: z.array(ExpiryFit.extend({ quotes: z.array(Quote).optional() })),
}).openapi('LiveSurface');
export type LiveSurface = z.infer<typeof LiveSurface>;

export const SmileBody = z.object({
  ...SurfaceHeader,
  /** `smile` when a per-expiry fit newer than the surface exists, else `surface`. */
  source: z.enum(['surface', 'smile']),
  fit: ExpiryFit,
  quotes: z.array(Quote),
}).openapi('Smile');
export type SmileBody = z.infer<typeof SmileBody>;

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
}).openapi('Health');
export type HealthBody = z.infer<typeof HealthBody>;

export const StatusBody = z.object({ seq: z.number().int(), events: z.array(Status) }).openapi('StatusEvents');
