/**
 * HTTP routes on the venue's port: `GET /health`, `GET /truth/{underlying}` (the surface the books
 * are generated from) and Deribit's REST form `GET /api/v2/public/{method}?…` for the stateless
 * public methods (EXCHANGES.md §1.12: REST snapshots for bootstrap).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { truthOf } from './model/venue.ts';
import { UNDERLYINGS, type Underlying, type VenueState } from './model/types.ts';
import { callPublicMethod, STATELESS_METHODS } from './protocol/methods.ts';
import { errors, fail, nowMicros, responseFrame } from './protocol/rpc.ts';

export type HttpDeps = {
  getState(): VenueState;
  clock(): number;
  health(): Record<string, unknown>;
};

function json(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function handleHttp(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET') {
    json(res, 405, JSON.stringify({ error: `method ${req.method} not allowed; use GET` }));
    return;
  }
  if (url.pathname === '/health') {
    json(res, 200, JSON.stringify({ status: 'ok', ...deps.health() }));
    return;
  }
  const truth = /^\/truth\/([^/]+)\/?$/.exec(url.pathname);
  if (truth) {
    const name = decodeURIComponent(truth[1] as string).toUpperCase();
    const state = deps.getState();
    const simulated = state.underlyings.map((u) => u.spec.underlying);
    if (!(UNDERLYINGS as readonly string[]).includes(name) || !simulated.includes(name as Underlying)) {
      json(res, 404, JSON.stringify({ error: `unknown underlying "${truth[1]}"; simulated: ${simulated.join(', ')}` }));
      return;
    }
    json(res, 200, JSON.stringify(truthOf(state, name as Underlying)));
    return;
  }
  const rest = /^\/api\/v2\/(public\/[a-z_]+)$/.exec(url.pathname);
  if (rest) {
    const usIn = nowMicros();
    const method = rest[1] as string;
    const outcome = STATELESS_METHODS.has(method)
      ? callPublicMethod({ state: deps.getState(), method, params: Object.fromEntries(url.searchParams), nowMs: deps.clock() })
      : fail(errors.methodNotFound(method));
    json(res, outcome.ok ? 200 : 400, responseFrame({ id: null, outcome, usIn, usOut: nowMicros() }));
    return;
  }
  json(res, 404, JSON.stringify({ error: `no route for ${url.pathname}; try /health, /truth/BTC, /api/v2/public/get_instruments?currency=BTC or the websocket at /ws/api/v2` }));
}
