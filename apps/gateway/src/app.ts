import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Logger } from '@volstream/runtime';
import {
  ErrorBody, ExpiryParams, HealthBody, HistoryBody, HistoryQuery, InstrumentsBody, InstrumentsQuery, MetricsBody, SmileBody, SmileQuery,
  StatusBody, SurfaceBody, TIME_RE, TenorsBody, UnderlyingParams, UnderlyingsBody, VenueQuery,
} from './api/schemas.ts';
import type { Assets } from './assets.ts';
import { access, RateLimiter, type ApiKeys } from './auth.ts';
import { NotFoundError, ParamError, UnavailableError, type ParamIssue } from './errors.ts';
import { EXCLUSIONS } from './fit-filter.ts';
import type { HistorySource } from './history.ts';
import type { PipelineSnapshot } from './pipeline.ts';
import { gatewayFamilies, renderPrometheus } from './prometheus.ts';
import type { SurfaceStore, VenueEntry } from './store.ts';
import {
  DEFAULT_CURVE_POINTS, entryExpiries, expiryMatcher, findExpiry, historyPoint, instrumentsBody, metricsBody, smileBody, surfaceBody, tenorsBody, underlyingsBody,
} from './views.ts';

/** What /health and /metrics report besides the store; supplied by the process that owns the connections. */
export type HealthSource = {
  nats(): { connected: boolean; status: string };
  feed(): Record<string, number>;
  websocket?(): Record<string, number>;
  /** Latest consumer lag and stream rates (undefined before the first poll or without NATS). */
  pipeline?(): PipelineSnapshot | undefined;
};

export type AppDeps = {
  store: SurfaceStore;
  health: HealthSource;
  /** Page and static files; without them only the API is served. */
  assets?: Assets;
  /** Clock for ages in /health, /metrics and history defaults. */
  now?: () => number;
  log?: Logger;
  /** Stored surfaces over a time range (NATS); without it history answers 503. */
  history?: HistorySource;
  /** Largest `maxPoints` of a history request (default 2000). */
  historyMaxPoints?: number;
  /** When set, every API route needs one of these keys. */
  apiKeys?: ApiKeys | undefined;
  /** Per-key (or per-address) limit; default none. Shared with the websocket upgrade. */
  limiter?: RateLimiter;
  /** `*` or the origins allowed by CORS; undefined sends no CORS headers. */
  corsOrigins?: '*' | string[] | undefined;
  /** Client address for rate limits without keys (`anonymous` when unknown). */
  address?: (c: Context) => string;
};

const HOUR = 3_600_000;
const DEFAULT_HISTORY_MS = 6 * HOUR;
const MAX_HISTORY_MS = 31 * 24 * HOUR;
const DEFAULT_HISTORY_POINTS = 500;

const json = <S extends z.ZodType>(schema: S, description: string) => ({ content: { 'application/json': { schema } }, description });
const badRequest = json(ErrorBody, 'A parameter is invalid; `issues` names each one and says why');
const notFound = json(ErrorBody, 'Nothing known for this underlying, venue or expiry');
const refused = {
  401: json(ErrorBody, 'API key missing or unknown (only when the gateway runs with API_KEYS)'),
  429: json(ErrorBody, 'Rate limit of the key (or address) exceeded; see Retry-After'),
};

/** Reject query parameters a route does not know (a typo such as `venu=` must not be ignored). */
function knownQuery(schema: z.ZodObject): MiddlewareHandler {
  const known = Object.keys(schema.shape);
  const allowed = new Set([...known, 'api_key']);
  return async function knownQuery(c, next) {
    const unknown = Object.keys(c.req.queries()).filter((k) => !allowed.has(k));
    if (unknown.length > 0) throw new ParamError(unknown.map((param) => ({ param, message: `unknown parameter (this route takes: ${known.join(', ') || 'none'})` })));
    await next();
  };
}

const TAG = { surfaces: 'Surfaces', reference: 'Reference', ops: 'Operations' };

const surfaceRoute = createRoute({
  method: 'get', path: '/api/v1/surfaces/{underlying}', tags: [TAG.surfaces], operationId: 'getSurface',
  summary: 'Latest fitted surface of an underlying',
  description: 'Every fitted expiry: raw SVI parameters, desk metrics, fit diagnostics, and fitted vols on a fixed delta grid; fixed tenors and the 30-day index.',
  middleware: [knownQuery(VenueQuery)] as const,
  request: { params: UnderlyingParams, query: VenueQuery },
  responses: { 200: json(SurfaceBody, 'The latest surface'), 400: badRequest, 404: notFound, ...refused },
});

const smileRoute = createRoute({
  method: 'get', path: '/api/v1/surfaces/{underlying}/expiries/{expiry}', tags: [TAG.surfaces], operationId: 'getSmile',
  summary: 'One smile: the fit, every current quote and the fitted curve',
  description: `Every quote of the expiry with strike, log-moneyness, bid/ask/mark prices, bid/ask/mark/mid IV, fitted IV, residual, call delta at the fitted vol, and why it is not in the fit:\n\n${Object.entries(EXCLUSIONS).map(([k, v]) => `- \`${k}\`: ${v}`).join('\n')}\n\nThe fitted curve is sampled uniformly in log-moneyness over the quoted range (at least the 5Δ put to the 5Δ call).`,
  middleware: [knownQuery(SmileQuery)] as const,
  request: { params: ExpiryParams, query: SmileQuery },
  responses: { 200: json(SmileBody, 'Fit, quotes and curve'), 400: badRequest, 404: notFound, ...refused },
});

const tenorsRoute = createRoute({
  method: 'get', path: '/api/v1/surfaces/{underlying}/tenors', tags: [TAG.surfaces], operationId: 'getTenors',
  summary: 'Fixed tenors: ATM vol, 25Δ and 10Δ risk reversal and butterfly at 7, 30, 60, 90, 180 days',
  middleware: [knownQuery(VenueQuery)] as const,
  request: { params: UnderlyingParams, query: VenueQuery },
  responses: { 200: json(TenorsBody, 'Fixed-tenor metrics'), 400: badRequest, 404: notFound, ...refused },
});

const metricsRoute = createRoute({
  method: 'get', path: '/api/v1/surfaces/{underlying}/metrics', tags: [TAG.surfaces], operationId: 'getMetrics',
  summary: 'Desk metrics: ATM, 25Δ/10Δ RR and BF, skew per expiry, term structure, fixed tenors, 30-day index',
  description: 'Conventions are stated in the body (`conventions`): ATM-forward, forward Black deltas, RR = σ(ΔC) − σ(ΔP), BF = (σ(ΔC) + σ(ΔP))/2 − σ_ATM.',
  middleware: [knownQuery(VenueQuery)] as const,
  request: { params: UnderlyingParams, query: VenueQuery },
  responses: { 200: json(MetricsBody, 'Desk metrics'), 400: badRequest, 404: notFound, ...refused },
});

const historyRoute = createRoute({
  method: 'get', path: '/api/v1/surfaces/{underlying}/history', tags: [TAG.surfaces], operationId: 'getHistory',
  summary: 'Desk metrics over a time range, from the stored surfaces',
  description: 'Per stored surface with fit time in [from, to]: the 30-day index, fixed tenors and per-expiry ATM, RR, BF, skew and RMSE. A range holding more than `maxPoints` surfaces is sampled evenly along the stream. 400 when from ≥ to, the range exceeds 31 days or maxPoints exceeds the server’s bound; 503 while NATS is unreachable.',
  middleware: [knownQuery(HistoryQuery)] as const,
  request: { params: UnderlyingParams, query: HistoryQuery },
  responses: { 200: json(HistoryBody, 'Points, oldest first'), 400: badRequest, 404: notFound, 503: json(ErrorBody, 'History is unavailable (NATS)'), ...refused },
});

const instrumentsRoute = createRoute({
  method: 'get', path: '/api/v1/instruments', tags: [TAG.reference], operationId: 'listInstruments',
  summary: 'Options with a current vol point, by underlying, expiry and strike',
  middleware: [knownQuery(InstrumentsQuery)] as const,
  request: { query: InstrumentsQuery },
  responses: { 200: json(InstrumentsBody, 'Instruments'), 400: badRequest, 404: notFound, ...refused },
});

const underlyingsRoute = createRoute({
  method: 'get', path: '/api/v1/underlyings', tags: [TAG.reference], operationId: 'listUnderlyings',
  summary: 'Underlyings and venues with the time of their latest fit',
  middleware: [knownQuery(z.object({}))] as const,
  responses: { 200: json(UnderlyingsBody, 'Underlyings'), 400: badRequest, ...refused },
});

const statusRoute = createRoute({
  method: 'get', path: '/api/v1/status', tags: [TAG.ops], operationId: 'listStatus',
  summary: 'Recent status events of the pipeline (newest last): feed connected/disconnected/stale, book resyncs, rejected fits',
  middleware: [knownQuery(z.object({}))] as const,
  responses: { 200: json(StatusBody, 'Status events'), 400: badRequest, ...refused },
});

const healthRoute = createRoute({
  method: 'get', path: '/health', tags: [TAG.ops], operationId: 'health', security: [],
  summary: 'Liveness: NATS connection, lag of every pipeline consumer, stream rates, age of the newest surface per underlying',
  middleware: [knownQuery(z.object({}))] as const,
  responses: { 200: json(HealthBody, 'Serving'), 400: badRequest, 503: json(HealthBody, 'NATS is down') },
});

const prometheusRoute = createRoute({
  method: 'get', path: '/metrics', tags: [TAG.ops], operationId: 'prometheus',
  summary: 'Prometheus metrics (text exposition format 0.0.4)',
  middleware: [knownQuery(z.object({}))] as const,
  responses: { 200: { content: { 'text/plain': { schema: z.string() } }, description: 'Metrics' }, 400: badRequest, ...refused },
});

/** Paths anyone may read: the page, its files, the API documentation and liveness. */
const OPEN_PATHS = new Set(['/', '/docs', '/openapi.json', '/api/v1/openapi.json', '/health', '/favicon.ico']);
const isOpen = (path: string) => OPEN_PATHS.has(path) || path.startsWith('/static/');

/** An epoch-ms time from a validated query value (ISO time, date or epoch ms). */
export function parseTime(value: string, param: string): number {
  if (!TIME_RE.test(value)) throw new ParamError(param, 'must be an ISO 8601 time, a date or epoch milliseconds');
  const ts = /^\d+$/.test(value) ? Number(value) : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ts)) throw new ParamError(param, `not a valid time: ${value}`);
  return ts;
}

/**
 * The gateway's HTTP app: REST API, OpenAPI document and API page, health, Prometheus metrics
 * and the dashboard. No I/O of its own: it reads the store and sources it is given, so tests call
 * `app.request()` without a port or NATS.
 */
export function createApp(deps: AppDeps) {
  const { store, health } = deps;
  const now = deps.now ?? Date.now;
  const limiter = deps.limiter ?? new RateLimiter(0, 1);
  const maxPoints = deps.historyMaxPoints ?? 2_000;
  const http = { requests: {} as Record<string, number>, unauthorized: 0, rateLimited: 0 };

  const app = new OpenAPIHono({
    // zod failures on path/query become a 400 that names each bad parameter.
    defaultHook: (result) => {
      if (result.success) return;
      // One issue per parameter: the first check it failed (a non-number fails the range too).
      const issues = new Map<string, ParamIssue>();
      for (const i of result.error.issues) {
        const param = String(i.path[0] ?? result.target);
        if (!issues.has(param)) issues.set(param, { param, message: i.message });
      }
      throw new ParamError([...issues.values()]);
    },
  });

  app.onError(function onError(err, c) {
    if (err instanceof ParamError) {
      return c.json({ error: 'bad_request', message: err.message, issues: [...err.issues] } satisfies ErrorBody, 400);
    }
    if (err instanceof NotFoundError) return c.json({ error: 'not_found', message: err.message } satisfies ErrorBody, 404);
    if (err instanceof UnavailableError) return c.json({ error: 'unavailable', message: err.message } satisfies ErrorBody, 503);
    deps.log?.error('request failed', { path: c.req.path, err: err.stack ?? err.message });
    return c.json({ error: 'internal', message: 'internal error' } satisfies ErrorBody, 500);
  });
  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } satisfies ErrorBody, 404));

  app.use('*', async function countRequests(c, next) {
    await next();
    const code = `${Math.floor(c.res.status / 100)}xx`;
    http.requests[code] = (http.requests[code] ?? 0) + 1;
  });
  if (deps.corsOrigins) {
    const origin = deps.corsOrigins;
    const policy = cors({
      origin: origin === '*' ? '*' : [...origin],
      allowMethods: ['GET', 'OPTIONS'],
      allowHeaders: ['Authorization', 'X-API-Key', 'Content-Type'],
      exposeHeaders: ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
      maxAge: 600,
    });
    for (const path of ['/api/*', '/health', '/metrics', '/openapi.json']) app.use(path, policy);
  }
  app.use('*', access({
    keys: deps.apiKeys,
    limiter,
    open: isOpen,
    address: deps.address ?? (() => 'anonymous'),
    onRefused: (why) => { if (why === 'unauthorized') http.unauthorized++; else http.rateLimited++; },
  }));

  /** The entry for underlying + optional venue; a 404 explaining what is missing otherwise. */
  const lookup = (underlying: string, venue: string | undefined): VenueEntry => {
    const e = store.surface(underlying, venue);
    if (e) return e;
    const venues = store.venues(underlying);
    if (venues.length === 0) throw new NotFoundError(`no surface for underlying ${underlying} (known: ${store.underlyings().join(', ') || 'none yet'})`);
    throw new NotFoundError(`no surface for ${underlying} on venue ${venue} (venues: ${venues.join(', ')})`);
  };
  const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);

  app.openapi(surfaceRoute, (c) => {
    const e = lookup(c.req.valid('param').underlying, c.req.valid('query').venue);
    return c.json(surfaceBody(e), 200);
  });

  app.openapi(smileRoute, (c) => {
    const { underlying, expiry } = c.req.valid('param');
    const q = c.req.valid('query');
    const e = lookup(underlying, q.venue);
    const expiryTs = findExpiry(e, expiry);
    const body = expiryTs === undefined ? undefined : smileBody(store, e, expiryTs, q.points === undefined ? DEFAULT_CURVE_POINTS : Number(q.points));
    if (!body) throw new NotFoundError(`no expiry ${expiry} for ${underlying} on ${e.venue} (expiries: ${entryExpiries(e).map(day).join(', ') || 'none'})`);
    return c.json(body, 200);
  });

  app.openapi(tenorsRoute, (c) => c.json(tenorsBody(lookup(c.req.valid('param').underlying, c.req.valid('query').venue)), 200));
  app.openapi(metricsRoute, (c) => c.json(metricsBody(lookup(c.req.valid('param').underlying, c.req.valid('query').venue)), 200));

  app.openapi(historyRoute, async (c) => {
    const { underlying } = c.req.valid('param');
    const q = c.req.valid('query');
    const to = q.to === undefined ? now() : parseTime(q.to, 'to');
    const from = q.from === undefined ? to - DEFAULT_HISTORY_MS : parseTime(q.from, 'from');
    if (from >= to) throw new ParamError('from', `must be before to (from ${new Date(from).toISOString()}, to ${new Date(to).toISOString()})`);
    if (to - from > MAX_HISTORY_MS) throw new ParamError('to', `the range is ${((to - from) / 86_400_000).toFixed(1)} days; at most 31 days per request`);
    const points = q.maxPoints === undefined ? Math.min(DEFAULT_HISTORY_POINTS, maxPoints) : Number(q.maxPoints);
    if (points > maxPoints) throw new ParamError('maxPoints', `must be at most ${maxPoints} (HISTORY_MAX_POINTS)`);
    const venue = lookup(underlying, q.venue).venue;
    if (!deps.history) throw new UnavailableError('history is not available: the gateway has no NATS connection');
    let r;
    try {
      r = await deps.history({ underlying, venue, from, to, maxPoints: points });
    } catch (err) {
      throw new UnavailableError(`history could not be read from JetStream: ${(err as Error).message}`, { cause: err });
    }
    const body: HistoryBody = {
      underlying, venue, from, to, maxPoints: points, sampled: r.sampled,
      points: r.points.flatMap((p) => (p.surface ? [historyPoint(p.surface, p.seq)] : [])),
    };
    return c.json(body, 200);
  });

  app.openapi(instrumentsRoute, (c) => {
    const q = c.req.valid('query');
    if (q.underlying !== undefined && !store.quoteUnderlyings().includes(q.underlying) && !store.underlyings().includes(q.underlying)) {
      throw new NotFoundError(`no instruments for underlying ${q.underlying} (known: ${store.quoteUnderlyings().join(', ') || 'none yet'})`);
    }
    const body = instrumentsBody(store, {
      ...(q.underlying ? { underlying: q.underlying } : {}),
      ...(q.venue ? { venue: q.venue } : {}),
      ...(q.expiry ? { expiry: expiryMatcher(q.expiry) } : {}),
    });
    if (body.count === 0 && (q.venue !== undefined || q.expiry !== undefined)) {
      throw new NotFoundError(`no instruments${q.underlying ? ` of ${q.underlying}` : ''}${q.venue ? ` on venue ${q.venue}` : ''}${q.expiry ? ` expiring ${q.expiry}` : ''}`);
    }
    return c.json(body, 200);
  });

  app.openapi(underlyingsRoute, (c) => c.json(underlyingsBody(store), 200));

  app.openapi(statusRoute, (c) => {
    const { seq, events } = store.statuses();
    return c.json({ seq, events: [...events] }, 200);
  });

  app.openapi(healthRoute, (c) => {
    const nats = health.nats();
    const t = now();
    const pipeline = health.pipeline?.();
    const body: HealthBody = {
      status: nats.connected ? 'ok' : 'unavailable',
      nats,
      feed: health.feed(),
      quotes: store.quoteCount(),
      ...(health.websocket ? { websocket: health.websocket() } : {}),
      // The newest surface per underlying, over its venues.
      surfaces: store.underlyings().map((u) => {
        const newest = store.surfaces().filter((e) => e.underlying === u).reduce((a, b) => (b.surface!.ts > a.surface!.ts ? b : a));
        return { underlying: u, venue: newest.venue, ts: newest.surface!.ts, ageMs: t - newest.surface!.ts };
      }),
      ...(health.pipeline ? { consumers: pipeline?.consumers ?? [], streams: pipeline?.streams ?? [], pipelineTs: pipeline?.ts ?? null } : {}),
    };
    return nats.connected ? c.json(body, 200) : c.json(body, 503);
  });

  app.openapi(prometheusRoute, (c) => {
    const text = renderPrometheus(gatewayFamilies({
      store, now: now(), nats: health.nats(), feed: health.feed(), websocket: health.websocket?.(), http, pipeline: health.pipeline?.(),
    }));
    return c.text(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKeyHeader', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKeyQuery', { type: 'apiKey', in: 'query', name: 'api_key', description: 'For clients that cannot set headers (browser websockets)' });
  const docConfig = () => ({
    openapi: '3.1.0',
    info: {
      title: 'volstream gateway',
      version: '1',
      description: [
        'Live implied-volatility surfaces (SVI) of crypto options, as REST and a websocket (`/ws`, protocol in the gateway README).',
        'Vols are fractions (0.55 = 55%). Conventions: ATM-forward, forward Black deltas (r = 0), RR = σ(ΔC) − σ(ΔP), BF = (σ(ΔC) + σ(ΔP))/2 − σ_ATM.',
        deps.apiKeys ? 'This gateway needs an API key on every API route.' : 'This gateway runs without API keys; with API_KEYS set every API route needs one.',
      ].join('\n\n'),
    },
    tags: [
      { name: TAG.surfaces, description: 'Fitted surfaces, smiles, metrics and their history' },
      { name: TAG.reference, description: 'What the gateway holds' },
      { name: TAG.ops, description: 'Health and monitoring' },
    ],
    // With keys, every operation needs one (health overrides with none); without, a key is optional.
    security: (deps.apiKeys ? [] : [{}]).concat([{ bearer: [] }, { apiKeyHeader: [] }, { apiKeyQuery: [] }]) as Record<string, string[]>[],
  });
  app.doc31('/openapi.json', docConfig);
  app.doc31('/api/v1/openapi.json', docConfig);

  if (deps.assets) mountAssets(app, deps.assets);
  return app;
}

function mountAssets(app: OpenAPIHono, assets: Assets) {
  const serve = (c: Context, path: string) => {
    const f = assets.get(path);
    if (!f) throw new NotFoundError(`no file ${path}`);
    return c.body(f.body, 200, { 'content-type': f.type, 'cache-control': 'no-cache' });
  };
  app.get('/', (c) => serve(c, '/index.html'));
  app.get('/docs', (c) => serve(c, '/docs.html'));
  app.get('/static/:file', (c) => serve(c, `/static/${c.req.param('file')}`));
}

export type GatewayApp = ReturnType<typeof createApp>;
