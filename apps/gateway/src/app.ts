import { OpenAPIHono, createRoute, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Logger } from '@volstream/runtime';
import { ErrorBody, ExpiryParams, HealthBody, SmileBody, StatusBody, SurfaceBody, UnderlyingParams, UnderlyingsBody, VenueQuery } from './api/schemas.ts';
import type { Assets } from './assets.ts';
import type { SurfaceStore, VenueEntry } from './store.ts';
import { expiryMatcher, smileBody, surfaceBody, underlyingsBody } from './views.ts';

/** What /health reports besides the store; supplied by the process that owns the connections. */
export type HealthSource = {
  nats(): { connected: boolean; status: string };
  feed(): Record<string, number>;
  websocket?(): Record<string, number>;
};

export type AppDeps = {
  store: SurfaceStore;
  health: HealthSource;
  /** Page and static files; without them only the API is served. */
  assets?: Assets;
  /** Clock for ages in /health only. */
  now?: () => number;
  log?: Logger;
};

const json = <S extends z.ZodType>(schema: S, description: string) => ({ content: { 'application/json': { schema } }, description });
const badRequest = json(ErrorBody, 'A parameter is invalid; `issues` names it');
const notFound = json(ErrorBody, 'Nothing known for this underlying, venue or expiry');

const surfaceRoute = createRoute({
  method: 'get', path: '/api/v1/surfaces/{underlying}', summary: 'Latest fitted surface of an underlying',
  request: { params: UnderlyingParams, query: VenueQuery },
  responses: { 200: json(SurfaceBody, 'The latest surface'), 400: badRequest, 404: notFound },
});

const smileRoute = createRoute({
  method: 'get', path: '/api/v1/surfaces/{underlying}/expiries/{expiry}', summary: 'One smile: the fit and the current quotes of one expiry',
  request: { params: ExpiryParams, query: VenueQuery },
  responses: { 200: json(SmileBody, 'Fit and quotes'), 400: badRequest, 404: notFound },
});

const underlyingsRoute = createRoute({
  method: 'get', path: '/api/v1/underlyings', summary: 'Underlyings and venues with the time of their latest fit',
  responses: { 200: json(UnderlyingsBody, 'Underlyings') },
});

const statusRoute = createRoute({
  method: 'get', path: '/api/v1/status', summary: 'Recent status events of the pipeline (newest last)',
  responses: { 200: json(StatusBody, 'Status events') },
});

const healthRoute = createRoute({
  method: 'get', path: '/health', summary: 'Liveness: NATS connection and age of the newest surfaces',
  responses: { 200: json(HealthBody, 'Serving'), 503: json(HealthBody, 'NATS is down') },
});

type NotFound = { error: 'not_found'; message: string };
const missing = (message: string): NotFound => ({ error: 'not_found', message });

/**
 * The gateway's HTTP app: REST API, health and the page. No I/O of its own: it reads the store
 * it is given, so tests call `app.request()` without a port or NATS.
 */
export function createApp(deps: AppDeps) {
  const { store, health } = deps;
  const now = deps.now ?? Date.now;
  const app = new OpenAPIHono({
    // zod failures on path/query become a 400 that names each bad parameter.
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map((i) => ({ param: String(i.path[0] ?? result.target), message: i.message }));
      return c.json({ error: 'bad_request', message: issues.map((i) => `${i.param}: ${i.message}`).join('; '), issues } satisfies ErrorBody, 400);
    },
  });

  app.onError(function onError(err, c) {
    deps.log?.error('request failed', { path: c.req.path, err: err.stack ?? err.message });
    return c.json({ error: 'internal', message: 'internal error' } satisfies ErrorBody, 500);
  });
  app.notFound((c) => c.json(missing(`no route ${c.req.method} ${c.req.path}`), 404));

  /** The entry for underlying + optional venue, or the 404 body explaining what is missing. */
  const lookup = (underlying: string, venue: string | undefined): VenueEntry | NotFound => {
    const e = store.surface(underlying, venue);
    if (e) return e;
    const venues = store.venues(underlying);
    if (venues.length === 0) return missing(`no surface for underlying ${underlying} (known: ${store.underlyings().join(', ') || 'none yet'})`);
    return missing(`no surface for ${underlying} on venue ${venue} (venues: ${venues.join(', ')})`);
  };

  app.openapi(surfaceRoute, (c) => {
    const { underlying } = c.req.valid('param');
    const e = lookup(underlying, c.req.valid('query').venue);
    if ('error' in e) return c.json(e, 404);
    return c.json(surfaceBody(e), 200);
  });

  app.openapi(smileRoute, (c) => {
    const { underlying, expiry } = c.req.valid('param');
    const e = lookup(underlying, c.req.valid('query').venue);
    if ('error' in e) return c.json(e, 404);
    const matches = expiryMatcher(expiry);
    const candidates = new Set([...(e.surface?.expiries.map((s) => s.expiryTs) ?? []), ...e.smiles.keys()]);
    const expiryTs = [...candidates].sort((a, b) => a - b).find(matches);
    const body = expiryTs === undefined ? undefined : smileBody(store, e, expiryTs);
    if (!body) {
      const known = [...candidates].sort((a, b) => a - b).map((ts) => new Date(ts).toISOString().slice(0, 10)).join(', ');
      return c.json(missing(`no expiry ${expiry} for ${underlying} on ${e.venue} (expiries: ${known || 'none'})`), 404);
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
    };
    return nats.connected ? c.json(body, 200) : c.json(body, 503);
  });

  app.doc('/api/v1/openapi.json', { openapi: '3.0.0', info: { title: 'volstream gateway', version: '1' } });

  if (deps.assets) mountAssets(app, deps.assets);
  return app;
}

function mountAssets(app: OpenAPIHono, assets: Assets) {
  const serve = (c: Context, path: string) => {
    const f = assets.get(path);
    if (!f) return c.json(missing(`no file ${path}`), 404);
    return c.body(f.body, 200, { 'content-type': f.type, 'cache-control': 'no-cache' });
  };
  app.get('/', (c) => serve(c, '/index.html'));
  app.get('/static/:file', (c) => serve(c, `/static/${c.req.param('file')}`));
}

export type GatewayApp = ReturnType<typeof createApp>;
