import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { expiryToken } from '@volstream/events';
import { Publisher, connectNats, createLogger, ensureStreams, type NatsConnection } from '@volstream/runtime';
import { startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { HealthBody, HistoryBody, SmileBody, SurfaceBody } from './api/schemas.ts';
import { parseGatewayConfig } from './config.ts';
import { startGateway, type Gateway } from './server.ts';
import { BASE_TS, exampleQuotes, exampleSurface } from './testing/fixtures.ts';
import { TestClient } from './testing/ws-client.ts';

const log = createLogger('gateway-test', 'warn');

describe('gateway against a real nats-server', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let pub: Publisher;
  const gateways: Gateway[] = [];
  const start = async (env: Record<string, string> = {}) => {
    // No rate limit unless a test sets one: polling loops must not trip it on a slow machine.
    const g = await startGateway(parseGatewayConfig({ NATS_URL: nats.url, PORT: '0', HOST: '127.0.0.1', RATE_LIMIT_RPS: '0', ...env }), { log });
    gateways.push(g);
    return g;
  };
  const iso = (ts: number) => new Date(ts).toISOString();

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats({ url: nats.url, name: 'test-publisher' });
    await ensureStreams(await jetstreamManager(nc));
    pub = new Publisher(jetstream(nc));
  });
  afterAll(async () => {
    for (const g of gateways) await g.stop();
    await nc?.close();
    await nats?.stop();
  });

  it('serves the latest surface at start, streams updates with seq + 1, and has it again after a restart', async () => {
    const first = exampleSurface({ ts: BASE_TS, id: 'S:1' });
    await pub.publish('surface', exampleSurface({ ts: BASE_TS - 60_000, id: 'S:0', atm: 0.4 })); // superseded on the same subject
    await pub.publish('surface', first);
    for (const p of exampleQuotes(first)) await pub.publish('vol', p);
    await pub.flush();
    // An undecodable message on another subject is counted and skipped.
    await jetstream(nc).publish('surface.deribit.XRP._._surface', new TextEncoder().encode('garbage'));

    const g = await start();
    const res = await waitFor('the surface', async () => {
      const r = await fetch(`${g.url}/api/v1/surfaces/BTC`);
      return r.status === 200 ? r : undefined;
    }, { timeoutMs: 15_000 });
    const body = SurfaceBody.parse(await res.json());
    expect(body).toMatchObject({ underlying: 'BTC', venue: 'deribit', id: 'S:1', ts: BASE_TS, seq: 1 });
    expect(body.expiries.map((e) => e.expiryTs)).toEqual(first.expiries.map((e) => e.expiryTs));

    // last_per_subject: the older surface on the same subject was never delivered.
    const health = HealthBody.parse(await (await fetch(`${g.url}/health`)).json());
    expect(health).toMatchObject({ status: 'ok', nats: { connected: true } });
    expect(health.feed).toMatchObject({ surfaceMessages: 2, decodeErrors: 1 });
    expect((await fetch(`${g.url}/api/v1/openapi.json`)).status).toBe(200);

    const expiry = first.expiries[1]!;
    const smile = SmileBody.parse(await (await fetch(`${g.url}/api/v1/surfaces/BTC/expiries/${new Date(expiry.expiryTs).toISOString().slice(0, 10)}`)).json());
    expect(smile.quotes).toHaveLength(exampleQuotes(first).filter((p) => p.expiryTs === expiry.expiryTs).length);
    expect(smile.quotes.every((q) => q.residual !== null && Math.abs(q.residual) < 0.005)).toBe(true);

    const client = await TestClient.open(`${g.url.replace('http', 'ws')}/ws`);
    client.send({ op: 'subscribe', channel: 'surface', underlying: 'BTC' });
    const snap = await client.next((m) => m.type === 'snapshot');
    expect(snap).toMatchObject({ channel: 'surface', underlying: 'BTC', venue: 'deribit', seq: 1, data: { id: 'S:1' } });
    expect(snap.data.expiries[1].quotes.length).toBe(smile.quotes.length);

    const second = exampleSurface({ ts: BASE_TS + 1_000, id: 'S:2', atm: 0.55 });
    await pub.publish('surface', second);
    await pub.flush();
    const update = await client.next((m) => m.type === 'update');
    expect(update).toMatchObject({ venue: 'deribit', seq: snap.seq + 1, data: { id: 'S:2', ts: BASE_TS + 1_000 } });
    expect(update.data.expiries[3].atmVol).toBeCloseTo(second.expiries[3]!.atmVol, 12);
    client.close();

    // A restarted (or another) replica has the latest surface from the stream at once.
    await g.stop();
    const g2 = await start();
    const again = await waitFor('the surface after restart', async () => {
      const r = await fetch(`${g2.url}/api/v1/surfaces/BTC`);
      return r.status === 200 ? SurfaceBody.parse(await r.json()) : undefined;
    }, { timeoutMs: 15_000 });
    expect(again).toMatchObject({ id: 'S:2', seq: 1 });
  });

  it('reads metric history from the stored surfaces over a time range, sampled past maxPoints', async () => {
    const N = 300;
    for (let i = 0; i < N; i++) await pub.publish('surface', exampleSurface({ underlying: 'HIST', ts: BASE_TS + i * 1_000, atm: 0.5 + i / 10_000, id: `H:${i}`, days: [9, 30, 58] }));
    await pub.flush();
    const g = await start();
    await waitFor('the HIST surface', async () => ((await fetch(`${g.url}/api/v1/surfaces/HIST`)).status === 200 ? true : undefined), { timeoutMs: 15_000 });

    const some = HistoryBody.parse(await (await fetch(`${g.url}/api/v1/surfaces/HIST/history?from=${iso(BASE_TS + 100_000)}&to=${iso(BASE_TS + 149_000)}`)).json());
    expect(some.sampled).toBe(false);
    expect(some.points.map((p) => p.ts)).toEqual(Array.from({ length: 50 }, (_, i) => BASE_TS + (100 + i) * 1_000));
    expect(some.points[10]!.tenors.find((t) => t.days === 30)!.atmVol).toBeCloseTo(0.5 + 110 / 10_000 + 0.02, 12);
    expect(some.points[0]!.expiries).toHaveLength(3);

    const sampled = HistoryBody.parse(await (await fetch(`${g.url}/api/v1/surfaces/HIST/history?from=${BASE_TS}&to=${BASE_TS + N * 1_000}&maxPoints=40`)).json());
    expect(sampled.sampled).toBe(true);
    expect(sampled.points.length).toBeLessThanOrEqual(40);
    expect(sampled.points.length).toBeGreaterThan(30);
    const ts = sampled.points.map((p) => p.ts);
    expect(ts[0]).toBe(BASE_TS);
    expect(ts.at(-1)!).toBeGreaterThan(BASE_TS + (N - 20) * 1_000);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);

    const bad = await fetch(`${g.url}/api/v1/surfaces/HIST/history?from=${iso(BASE_TS + 1_000)}&to=${iso(BASE_TS)}`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues).toEqual([{ param: 'from', message: expect.stringContaining('before to') }]);
  });

  it('reports the lag of every pipeline consumer and the stream rates in /health and /metrics', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add('VS_SURFACE', { durable_name: 'lagtest_all', ack_policy: AckPolicy.Explicit, filter_subject: 'surface.>' });
    const g = await start({ PIPELINE_POLL_MS: '250' });
    const lag = await waitFor('the consumer in /health', async () => {
      const h = HealthBody.parse(await (await fetch(`${g.url}/health`)).json());
      return h.consumers?.find((c) => c.consumer === 'lagtest_all');
    }, { timeoutMs: 10_000 });
    expect(lag).toMatchObject({ stream: 'VS_SURFACE', pending: (await jsm.consumers.info('VS_SURFACE', 'lagtest_all')).num_pending });
    expect(lag.pending).toBeGreaterThan(300);
    // A message rate appears once a poll sees the stream grow.
    await pub.publish('surface', exampleSurface({ underlying: 'HIST', ts: BASE_TS + 400_000, id: 'H:rate' }));
    await pub.flush();
    await waitFor('a VS_SURFACE rate', async () => {
      const h = HealthBody.parse(await (await fetch(`${g.url}/health`)).json());
      return (h.streams?.find((x) => x.stream === 'VS_SURFACE')?.ratePerSec ?? 0) > 0 ? true : undefined;
    }, { timeoutMs: 10_000 });
    const metrics = await (await fetch(`${g.url}/metrics`)).text();
    expect(metrics).toMatch(/volstream_consumer_pending\{stream="VS_SURFACE",consumer="lagtest_all"\} \d+/);
    expect(metrics).toMatch(/volstream_stream_messages_total\{stream="VS_SURFACE"\} \d+/);
  });

  it('guards REST and the websocket with API keys, and streams a smile as msgpack', async () => {
    const key = '0123456789abcdef0123';
    const g = await start({ API_KEYS: `desk:${key}` });
    const auth = { headers: { Authorization: `Bearer ${key}` } };
    await waitFor('the surface', async () => ((await fetch(`${g.url}/api/v1/surfaces/BTC`, auth)).status === 200 ? true : undefined), { timeoutMs: 15_000 });
    expect((await fetch(`${g.url}/api/v1/surfaces/BTC`)).status).toBe(401);
    expect((await fetch(`${g.url}/health`)).status).toBe(200);
    const ws = `${g.url.replace('http', 'ws')}/ws`;
    await expect(TestClient.open(ws)).rejects.toThrow('HTTP 401');
    await expect(TestClient.open(`${ws}?api_key=wrong-wrong-wrong-wrong`)).rejects.toThrow('HTTP 401');
    await expect(TestClient.open(`${ws}?api_key=${key}&format=xml`)).rejects.toThrow('HTTP 400');

    const body = SurfaceBody.parse(await (await fetch(`${g.url}/api/v1/surfaces/BTC`, auth)).json());
    const expiry = body.expiries[2]!;
    const c = await TestClient.open(`${ws}?format=msgpack`, { 'X-API-Key': key });
    c.send({ op: 'subscribe', channel: 'smile', underlying: 'BTC', expiry: expiry.key });
    const snap = await c.next((m) => m.type === 'snapshot');
    expect(snap).toMatchObject({ channel: 'smile', underlying: 'BTC', venue: 'deribit', expiry: expiryToken(expiry.expiryTs), data: { fit: { expiryTs: expiry.expiryTs } } });
    expect(snap.data.quotes.length).toBeGreaterThan(0);
    expect(snap.data.curve.iv.length).toBe(101);
    await pub.publish('surface', exampleSurface({ ts: BASE_TS + 5_000, id: 'S:5', atm: 0.52 }));
    await pub.flush();
    const update = await c.next((m) => m.type === 'update');
    expect(update.seq).toBe(snap.seq + 1);
    expect(update.data.ts).toBe(BASE_TS + 5_000);
    expect(c.binaryFrames).toBe(c.messages.length);
    c.close();
  });

  it('rate-limits websocket upgrades like requests, per client address without keys', async () => {
    const g = await start({ RATE_LIMIT_RPS: '0.1', RATE_LIMIT_BURST: '2' });
    const ws = `${g.url.replace('http', 'ws')}/ws`;
    const a = await TestClient.open(ws);
    expect((await fetch(`${g.url}/api/v1/underlyings`)).status).toBe(200);
    await expect(TestClient.open(ws)).rejects.toThrow('HTTP 429');
    const refused = await fetch(`${g.url}/api/v1/underlyings`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${g.url}/health`)).status).toBe(200); // liveness is never limited
    a.close();
  });

  it('reports 503 on /health while NATS is down', async () => {
    const g = await start();
    expect((await fetch(`${g.url}/health`)).status).toBe(200);
    await nats.stop();
    await waitFor('503', async () => ((await fetch(`${g.url}/health`)).status === 503 ? true : undefined), { timeoutMs: 15_000 });
    const body = HealthBody.parse(await (await fetch(`${g.url}/health`)).json());
    expect(body.nats.connected).toBe(false);
    // Still serving what it has.
    expect((await fetch(`${g.url}/api/v1/surfaces/BTC`)).status).toBe(200);
  });
});
