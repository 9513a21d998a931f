import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, type HealthSource } from './app.ts';
import { loadAssets, type Assets } from './assets.ts';
import { ErrorBody, HealthBody, SmileBody, SurfaceBody, UnderlyingsBody } from './api/schemas.ts';
import { SurfaceStore } from './store.ts';
import { BASE_TS, exampleQuotes, exampleSmile, exampleStatus, exampleSurface } from './testing/fixtures.ts';

const up: HealthSource = { nats: () => ({ connected: true, status: 'connected' }), feed: () => ({ surfaceMessages: 3 }) };

function filledStore() {
  const store = new SurfaceStore();
  const btc = exampleSurface();
  store.apply(btc);
  store.apply(exampleSurface({ underlying: 'ETH', venue: 'deribit', atm: 0.65 }));
  store.apply(exampleSurface({ underlying: 'ETH', venue: 'okx', ts: BASE_TS + 60_000, atm: 0.7 }));
  for (const p of exampleQuotes(btc)) store.apply(p);
  store.apply(exampleStatus());
  return { store, btc };
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
        expect(q.residual).toBeCloseTo(q.midIv! - q.fitIv!, 12);
        expect(Math.abs(q.residual!)).toBeLessThan(0.005);
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
});
