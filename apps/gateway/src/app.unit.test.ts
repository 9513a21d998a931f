import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, type HealthSource } from './app.ts';
import { loadAssets, type Assets } from './assets.ts';
import {
  ErrorBody, HealthBody, HistoryBody, InstrumentsBody, MetricsBody, SmileBody, SurfaceBody, TenorsBody, UnderlyingsBody,
} from './api/schemas.ts';
import { RateLimiter, parseApiKeys } from './auth.ts';
import type { HistorySource } from './history.ts';
import { SurfaceStore } from './store.ts';
import { BASE_TS, exampleQuotes, exampleSmile, exampleStatus, exampleSurface } from './testing/fixtures.ts';
import { checkOpenApi } from './testing/openapi-check.ts';

const up: HealthSource = { nats: () => ({ connected: true, status: 'connected' }), feed: () => ({ surfaceMessages: 3 }) };

function filledStore() {
  const store = new SurfaceStore();
  const btc = exampleSurface();
  store.apply(btc);
  store.apply(exampleSurface({ underlying: 'ETH', venue: 'deribit', atm: 0.65 }));
  store.apply(exampleSurface({ underlying: 'ETH', venue: 'okx', ts: BASE_TS + 60_000, atm: 0.7 }));
  for (const p of exampleQuotes(btc, { flawed: true })) store.apply(p);
  store.apply(exampleStatus());
  return { store, btc };
}

/** A 400 whose issues name exactly these parameters, each with a reason. */
async function expectBadParams(res: Response, params: string[]) {
  expect(res.status).toBe(400);
  const body = ErrorBody.parse(await res.json());
  expect(body.error).toBe('bad_request');
  expect(body.issues?.map((i) => i.param)).toEqual(params);
  for (const i of body.issues ?? []) expect(i.message.length).toBeGreaterThan(5);
  return body;
}

describe('createApp routes', () => {
  const { store, btc } = filledStore();
  let assets: Assets;
  beforeAll(async () => { assets = await loadAssets(); });
  const app = () => createApp({ store, health: up, assets, now: () => BASE_TS + 10_000 });

  it('GET /api/v1/surfaces/BTC returns the latest surface with flattened expiries', async () => {
    const res = await app().request('/api/v1/surfaces/BTC');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = SurfaceBody.parse(await res.json());
    expect(body).toMatchObject({ underlying: 'BTC', venue: 'deribit', ts: BASE_TS, fitter: { name: 'svi-qe', version: '1' }, seq: 1, index30d: btc.index30d });
    expect(body.expiries).toHaveLength(btc.expiries.length);
    const [x, s] = [body.expiries[0]!, btc.expiries[0]!];
    expect(x).toMatchObject({
      expiry: new Date(s.expiryTs).toISOString(), expiryTs: s.expiryTs, t: s.t, forward: s.forward, params: s.params,
      atmVol: s.atmVol, rr25: s.rr25, bf25: s.bf25, rmse: s.diagnostics.rmse, inSpread: s.diagnostics.inSpread, minG: s.diagnostics.minG, points: s.points,
    });
    expect(x.expiry).toMatch(/T08:00:00\.000Z$/);
    expect(x.atmVol).toBeGreaterThan(0.3); // a fraction, not percent
    expect(x.atmVol).toBeLessThan(1);
  });

  it('picks the venue from ?venue= or the most recently updated one', async () => {
    const def = SurfaceBody.parse(await (await app().request('/api/v1/surfaces/ETH')).json());
    expect(def.venue).toBe('okx');
    const chosen = SurfaceBody.parse(await (await app().request('/api/v1/surfaces/ETH?venue=deribit')).json());
    expect(chosen.venue).toBe('deribit');
  });

  it('404s with a JSON message for an unknown underlying or venue', async () => {
    const res = await app().request('/api/v1/surfaces/SOL');
    expect(res.status).toBe(404);
    const body = ErrorBody.parse(await res.json());
    expect(body.error).toBe('not_found');
    expect(body.message).toContain('SOL');
    expect(body.message).toContain('BTC, ETH');

    const venue = await app().request('/api/v1/surfaces/BTC?venue=bybit');
    expect(venue.status).toBe(404);
    expect((await venue.json()).message).toMatch(/bybit.*deribit/);
  });

  it('400s naming the parameter for a bad underlying, venue or expiry', async () => {
    for (const [path, param] of [
      ['/api/v1/surfaces/BT.C', 'underlying'],
      ['/api/v1/surfaces/BTC%20X', 'underlying'],
      ['/api/v1/surfaces/BTC?venue=de*ribit', 'venue'],
      ['/api/v1/surfaces/BTC/expiries/next-friday', 'expiry'],
    ] as const) {
      const res = await app().request(path);
      expect(res.status, path).toBe(400);
      const body = ErrorBody.parse(await res.json());
      expect(body.error).toBe('bad_request');
      expect(body.issues?.map((i) => i.param)).toEqual([param]);
      expect(body.message).toContain(`${param}:`);
    }
  });

  it('GET /api/v1/underlyings lists underlyings and venues with their latest fit time', async () => {
    const body = UnderlyingsBody.parse(await (await app().request('/api/v1/underlyings')).json());
    expect(body.venues).toEqual(['deribit', 'okx']);
    expect(body.underlyings.map((u) => u.underlying)).toEqual(['BTC', 'ETH']);
    const eth = body.underlyings[1]!;
    expect(eth.defaultVenue).toBe('okx');
    expect(eth.venues).toEqual([
      { venue: 'deribit', ts: BASE_TS, seq: 1, expiries: 6, fitter: { name: 'svi-qe', version: '1' } },
      { venue: 'okx', ts: BASE_TS + 60_000, seq: 1, expiries: 6, fitter: { name: 'svi-qe', version: '1' } },
    ]);
  });

  it('GET an expiry returns its fit and current quotes with fitted vol and residual', async () => {
    const s = btc.expiries[2]!;
    const key = new Date(s.expiryTs).toISOString().slice(0, 10);
    for (const token of [key.replaceAll('-', ''), key, new Date(s.expiryTs).toISOString(), String(s.expiryTs)]) {
      const res = await app().request(`/api/v1/surfaces/BTC/expiries/${token}`);
      expect(res.status, token).toBe(200);
      const body = SmileBody.parse(await res.json());
      expect(body.source).toBe('surface');
      expect(body.fit.expiryTs).toBe(s.expiryTs);
      expect(body.quotes.length).toBeGreaterThan(10);
      for (const q of body.quotes) {
        const w = s.params.a + s.params.b * (s.params.rho * (q.k - s.params.m) + Math.hypot(q.k - s.params.m, s.params.sigma));
        expect(q.fitIv).toBeCloseTo(Math.sqrt(w / s.t), 12);
        if (q.midIv === null) expect(q.residual).toBeNull();
        else expect(q.residual).toBeCloseTo(q.midIv - q.fitIv!, 12);
        if (q.excluded === null) expect(Math.abs(q.residual!)).toBeLessThan(0.005);
      }
    }
  });

  it('serves a newer per-expiry fit over the surface slice', async () => {
    const { store: st, btc: b } = filledStore();
    st.apply(exampleSmile(b, 0, { ts: BASE_TS + 5_000, atmShift: 0.02 }));
    const res = await createApp({ store: st, health: up }).request(`/api/v1/surfaces/BTC/expiries/${b.expiries[0]!.expiryTs}`);
    const body = SmileBody.parse(await res.json());
    expect(body.source).toBe('smile');
    expect(body.ts).toBe(BASE_TS + 5_000);
    expect(body.fit.atmVol).toBeCloseTo(b.expiries[0]!.atmVol + 0.02, 12);
  });

  it('404s for an expiry the surface does not have', async () => {
    const res = await app().request('/api/v1/surfaces/BTC/expiries/20300101');
    expect(res.status).toBe(404);
    expect((await res.json()).message).toMatch(/no expiry 20300101 .*expiries: 2026-05-19/);
  });

  it('GET /health is 200 with ages while NATS is up and 503 when it is down', async () => {
    const ok = await app().request('/health');
    expect(ok.status).toBe(200);
    const body = HealthBody.parse(await ok.json());
    expect(body.status).toBe('ok');
    expect(body.surfaces).toEqual([
      { underlying: 'BTC', venue: 'deribit', ts: BASE_TS, ageMs: 10_000 },
      { underlying: 'ETH', venue: 'okx', ts: BASE_TS + 60_000, ageMs: -50_000 },
    ]);
    const down = createApp({ store, health: { ...up, nats: () => ({ connected: false, status: 'reconnecting' }) } });
    const res = await down.request('/health');
    expect(res.status).toBe(503);
    expect(HealthBody.parse(await res.json())).toMatchObject({ status: 'unavailable', nats: { connected: false, status: 'reconnecting' } });
  });

  it('GET /api/v1/status lists recent status events', async () => {
    const body = await (await app().request('/api/v1/status')).json();
    expect(body.seq).toBe(1);
    expect(body.events[0]).toMatchObject({ type: 'status', kind: 'fit_rejected' });
  });

  it('serves the page, its script and uPlot from the project', async () => {
    const page = await app().request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('/static/uplot.iife.min.js');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // no CDN
    const uplot = await app().request('/static/uplot.iife.min.js');
    expect(uplot.headers.get('content-type')).toMatch(/javascript/);
    expect(await uplot.text()).toContain('uPlot');
    expect((await app().request('/static/uplot.min.css')).status).toBe(200);
    expect((await app().request('/static/app.js')).status).toBe(200);
    expect((await app().request('/static/nope.js')).status).toBe(404);
  });

  it('documents the API and answers unknown routes with JSON', async () => {
    const doc = await (await app().request('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/surfaces/{underlying}', '/api/v1/surfaces/{underlying}/expiries/{expiry}', '/api/v1/underlyings', '/health']));
    const res = await app().request('/api/v2/whatever');
    expect(res.status).toBe(404);
    expect(ErrorBody.parse(await res.json()).error).toBe('not_found');
  });

  it('serves a valid OpenAPI 3.1 document at /openapi.json that documents every API route', async () => {
    const a = app();
    const doc = await (await a.request('/openapi.json')).json();
    expect(checkOpenApi(doc)).toEqual([]);
    expect(doc.openapi).toBe('3.1.0');
    expect(await (await a.request('/api/v1/openapi.json')).json()).toEqual(doc);
    // Every route the app answers, except the page, its files and the documents themselves.
    const undocumented = ['/', '/docs', '/static/:file', '/openapi.json', '/api/v1/openapi.json'];
    const routes = new Set(a.routes.filter((r) => r.method === 'GET' && !undocumented.includes(r.path)).map((r) => r.path.replace(/:(\w+)/g, '{$1}')));
    expect([...routes].sort()).toEqual(Object.keys(doc.paths).sort());
    // The error and smile schemas say what callers need.
    expect(JSON.stringify(doc.paths['/api/v1/surfaces/{underlying}/expiries/{expiry}'].get.description)).toContain('vol_cliff');
    expect(doc.components.schemas.Error).toBeDefined();
    // The checker itself catches what it should.
    expect(checkOpenApi({ ...doc, openapi: '2.0' })).toEqual([expect.stringContaining('openapi')]);
    expect(checkOpenApi({ ...doc, paths: { ...doc.paths, '/x/{id}': { get: { responses: { 200: { $ref: '#/components/responses/Nope' } } } } } }))
      .toEqual(expect.arrayContaining([expect.stringContaining('{id} is not declared'), expect.stringContaining('does not resolve')]));
  });

  it('serves a browsable API page from the project', async () => {
    const res = await app().request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/static/docs.js');
    expect(html).not.toMatch(/https?:\/\//);
    expect((await app().request('/static/docs.js')).status).toBe(200);
  });

  it('answers every surface route with 404 for an unknown underlying, and rejects unknown query parameters', async () => {
    for (const path of ['/api/v1/surfaces/SOL', '/api/v1/surfaces/SOL/expiries/20260519', '/api/v1/surfaces/SOL/tenors', '/api/v1/surfaces/SOL/metrics', '/api/v1/surfaces/SOL/history']) {
      const res = await app().request(path);
      expect(res.status, path).toBe(404);
      expect(ErrorBody.parse(await res.json()).message).toContain('SOL');
    }
    await expectBadParams(await app().request('/api/v1/surfaces/BTC?venu=okx'), ['venu']);
    await expectBadParams(await app().request('/api/v1/underlyings?x=1&y=2'), ['x', 'y']);
    // The API key may ride along on any route.
    expect((await app().request('/api/v1/surfaces/BTC?api_key=whatever')).status).toBe(200);
  });
});

describe('smile, tenors, metrics, instruments and history routes', () => {
  const { store, btc } = filledStore();
  const history: HistorySource = async (q) => ({
    sampled: false, fetches: 1,
    points: [0, 1, 2].map((i) => ({ seq: 10 + i, ts: q.from + i * 1_000, surface: exampleSurface({ ts: q.from + i * 1_000, atm: 0.5 + i / 100 }) })),
  });
  const app = (o: Partial<Parameters<typeof createApp>[0]> = {}) => createApp({ store, health: up, now: () => BASE_TS + 10_000, history, historyMaxPoints: 1_000, ...o });
  const s = btc.expiries[3]!;
  const key = new Date(s.expiryTs).toISOString().slice(0, 10).replaceAll('-', '');

  it('gives every quote of a smile its log-moneyness, IVs, fitted IV, residual, call delta and why it is left out', async () => {
    const body = SmileBody.parse(await (await app().request(`/api/v1/surfaces/BTC/expiries/${key}`)).json());
    const counts: Record<string, number> = {};
    for (const q of body.quotes) counts[String(q.excluded)] = (counts[String(q.excluded)] ?? 0) + 1;
    expect(counts).toMatchObject({ itm: expect.any(Number), crossed: 1, too_wide: 1, one_sided: 1, no_iv: 1, vol_cliff: 1 });
    const noIv = body.quotes.find((q) => q.excluded === 'no_iv')!;
    expect(noIv).toMatchObject({ bidIv: null, askIv: null, midIv: null, residual: null, reasons: { bid: 'no_quote' } });
    for (const q of body.quotes) {
      expect(q.k).toBeCloseTo(Math.log(q.strike / s.forward), 12);
      if (q.callDelta !== null) expect(q.callDelta).toBeGreaterThan(0);
    }
    // Call deltas fall as strikes rise.
    const calls = body.quotes.filter((q) => q.optionType === 'call');
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.callDelta!).toBeLessThan(calls[i - 1]!.callDelta!);
    // The fitted curve on a grid, as long as asked.
    expect(body.curve.k).toHaveLength(101);
    const short = SmileBody.parse(await (await app().request(`/api/v1/surfaces/BTC/expiries/${key}?points=11`)).json());
    expect(short.curve.iv).toHaveLength(11);
    expect(short.curve.k[0]!).toBeLessThan(Math.min(...body.quotes.filter((q) => q.excluded !== 'itm').map((q) => q.k)));
    await expectBadParams(await app().request(`/api/v1/surfaces/BTC/expiries/${key}?points=3`), ['points']);
    await expectBadParams(await app().request(`/api/v1/surfaces/BTC/expiries/${key}?points=lots`), ['points']);
  });

  it('serves fixed tenors and desk metrics with their conventions', async () => {
    const t = TenorsBody.parse(await (await app().request('/api/v1/surfaces/BTC/tenors')).json());
    expect(t.tenors[0]).toMatchObject({ days: 30, atmVol: btc.tenors![0]!.atmVol, rr25: -0.03, bf25: 0.01 });
    expect(t.index30d).toBe(btc.index30d);
    const m = MetricsBody.parse(await (await app().request('/api/v1/surfaces/BTC/metrics?venue=deribit')).json());
    expect(m.expiries).toHaveLength(btc.expiries.length);
    expect(m.expiries[0]).toMatchObject({ atmVol: btc.expiries[0]!.atmVol, rr25: btc.expiries[0]!.rr25, rr10: btc.expiries[0]!.rr10 });
    expect(m.expiries[0]!.totalVariance).toBeCloseTo(btc.expiries[0]!.atmVol ** 2 * btc.expiries[0]!.t, 14);
    expect(m.atmCalendarOk).toBe(true);
    expect(m.conventions.bf).toContain('FX');
    expect(m.conventions.atm).toContain('k = ln(K/F) = 0');
  });

  it('lists instruments, filtered, and 404s or 400s for unknown or bad filters', async () => {
    const all = InstrumentsBody.parse(await (await app().request('/api/v1/instruments')).json());
    expect(all.count).toBe(exampleQuotes(btc).length);
    expect(all.instruments[0]).toMatchObject({ underlying: 'BTC', venue: 'deribit', settlement: 'inverse', optionType: 'call' });
    const one = InstrumentsBody.parse(await (await app().request(`/api/v1/instruments?underlying=BTC&expiry=${key}`)).json());
    expect(one.instruments.every((i) => i.expiryTs === s.expiryTs)).toBe(true);
    expect(one.count).toBeGreaterThan(10);
    expect((await app().request('/api/v1/instruments?underlying=DOGE')).status).toBe(404);
    expect((await app().request('/api/v1/instruments?underlying=BTC&expiry=20300101')).status).toBe(404);
    await expectBadParams(await app().request('/api/v1/instruments?expiry=soon'), ['expiry']);
  });

  it('reads history over a range, with defaults, and names the parameter of a bad range', async () => {
    const res = await app().request('/api/v1/surfaces/BTC/history?from=2026-05-17T00:00:00Z&to=2026-05-17T06:00:00Z&maxPoints=50');
    expect(res.status).toBe(200);
    const h = HistoryBody.parse(await res.json());
    expect(h).toMatchObject({ underlying: 'BTC', venue: 'deribit', from: Date.UTC(2026, 4, 17), to: Date.UTC(2026, 4, 17, 6), maxPoints: 50, sampled: false });
    expect(h.points.map((p) => p.seq)).toEqual([10, 11, 12]);
    expect(h.points[2]!.tenors[0]!.atmVol).toBeCloseTo(0.52 + 0.02, 12);
    expect(h.points[0]!.expiries).toHaveLength(btc.expiries.length);
    // Defaults: the last 6 hours to now, 500 points.
    const d = HistoryBody.parse(await (await app().request('/api/v1/surfaces/BTC/history')).json());
    expect([d.to - d.from, d.to, d.maxPoints]).toEqual([6 * 3_600_000, BASE_TS + 10_000, 500]);
    await expectBadParams(await app().request('/api/v1/surfaces/BTC/history?from=2026-05-17T06:00:00Z&to=2026-05-17T00:00:00Z'), ['from']);
    await expectBadParams(await app().request('/api/v1/surfaces/BTC/history?from=2026-01-01&to=2026-05-01'), ['to']);
    await expectBadParams(await app().request('/api/v1/surfaces/BTC/history?from=yesterday'), ['from']);
    await expectBadParams(await app().request('/api/v1/surfaces/BTC/history?maxPoints=5000'), ['maxPoints']);
    await expectBadParams(await app().request('/api/v1/surfaces/BTC/history?maxPoints=0'), ['maxPoints']);
    expect((await app().request('/api/v1/surfaces/BTC/history?venue=okx')).status).toBe(404);
  });

  it('answers 503 when history cannot be read', async () => {
    const none = await app({ history: undefined }).request('/api/v1/surfaces/BTC/history');
    expect(none.status).toBe(503);
    const failing = await app({ history: async () => { throw new Error('timeout'); } }).request('/api/v1/surfaces/BTC/history');
    expect(failing.status).toBe(503);
    expect(ErrorBody.parse(await failing.json())).toMatchObject({ error: 'unavailable', message: expect.stringContaining('timeout') });
  });
});

describe('access: API keys, rate limits, CORS, /metrics', () => {
  const { store } = filledStore();
  const parsed = parseApiKeys('desk:0123456789abcdef0123,bots:fedcba9876543210fedc');
  const keys = parsed.ok ? parsed.keys : undefined;

  it('needs a key on the API when API_KEYS is set, but not on the page, docs or health', async () => {
    const app = createApp({ store, health: up, apiKeys: keys });
    const res = await app.request('/api/v1/surfaces/BTC');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(ErrorBody.parse(await res.json()).error).toBe('unauthorized');
    expect((await app.request('/api/v1/surfaces/BTC', { headers: { Authorization: 'Bearer nope-nope-nope-nope' } })).status).toBe(401);
    expect((await app.request('/api/v1/surfaces/BTC', { headers: { Authorization: 'Bearer 0123456789abcdef0123' } })).status).toBe(200);
    expect((await app.request('/api/v1/surfaces/BTC', { headers: { 'X-API-Key': 'fedcba9876543210fedc' } })).status).toBe(200);
    expect((await app.request('/api/v1/underlyings?api_key=0123456789abcdef0123')).status).toBe(200);
    expect((await app.request('/metrics')).status).toBe(401);
    for (const open of ['/health', '/openapi.json', '/api/v1/openapi.json']) expect((await app.request(open)).status, open).toBe(200);
    const doc = await (await app.request('/openapi.json')).json();
    expect(doc.security).toEqual([{ bearer: [] }, { apiKeyHeader: [] }, { apiKeyQuery: [] }]);
    expect(doc.paths['/health'].get.security).toEqual([]);
  });

  it('limits requests per key with 429 and Retry-After, each key on its own bucket', async () => {
    let t = 0;
    const app = createApp({ store, health: up, apiKeys: keys, limiter: new RateLimiter(1, 2, () => t) });
    const desk = { headers: { Authorization: 'Bearer 0123456789abcdef0123' } };
    const bots = { headers: { Authorization: 'Bearer fedcba9876543210fedc' } };
    expect((await app.request('/api/v1/underlyings', desk)).status).toBe(200);
    const second = await app.request('/api/v1/underlyings', desk);
    expect(second.headers.get('ratelimit-remaining')).toBe('0');
    const third = await app.request('/api/v1/underlyings', desk);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(ErrorBody.parse(await third.json())).toMatchObject({ error: 'rate_limited', message: expect.stringContaining('key desk') });
    expect((await app.request('/api/v1/underlyings', bots)).status).toBe(200);
    t += 1_000;
    expect((await app.request('/api/v1/underlyings', desk)).status).toBe(200);
    // Without keys the limit is per client address.
    const open = createApp({ store, health: up, limiter: new RateLimiter(1, 1, () => t), address: () => '10.0.0.1' });
    expect((await open.request('/api/v1/underlyings')).status).toBe(200);
    expect((await open.request('/api/v1/underlyings')).status).toBe(429);
    const m = await (await app.request('/metrics', bots)).text();
    expect(m).toContain('volstream_http_refused_total{reason="rate_limited"} 1');
  });

  it('sends CORS headers for configured origins only', async () => {
    const app = createApp({ store, health: up, corsOrigins: ['https://desk.example'] });
    const ok = await app.request('/api/v1/underlyings', { headers: { Origin: 'https://desk.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://desk.example');
    const other = await app.request('/api/v1/underlyings', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await app.request('/api/v1/underlyings', { method: 'OPTIONS', headers: { Origin: 'https://desk.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const none = await createApp({ store, health: up }).request('/api/v1/underlyings', { headers: { Origin: 'https://desk.example' } });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
    const any = await createApp({ store, health: up, corsOrigins: '*' }).request('/health', { headers: { Origin: 'https://x.example' } });
    expect(any.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('exposes Prometheus metrics with consumer lag and stream rates', async () => {
    const pipeline = { ts: BASE_TS, consumers: [{ stream: 'VS_BOOK', consumer: 'vol_all', pending: 42, ackPending: 1, redelivered: 0 }], streams: [{ stream: 'VS_BOOK', messages: 9, bytes: 99, lastSeq: 999, ratePerSec: 12.5 }] };
    const app = createApp({ store, health: { ...up, pipeline: () => pipeline }, now: () => BASE_TS + 3_000 });
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('volstream_consumer_pending{stream="VS_BOOK",consumer="vol_all"} 42');
    expect(text).toContain('volstream_surface_age_seconds{underlying="BTC",venue="deribit"} 3');
    const h = HealthBody.parse(await (await app.request('/health')).json());
    expect(h.consumers).toEqual(pipeline.consumers);
    expect(h.streams![0]!.ratePerSec).toBe(12.5);
  });
});
