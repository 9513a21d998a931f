import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Publisher, connectNats, createLogger, ensureStreams, type NatsConnection } from '@volstream/runtime';
import { startNatsServer, type NatsServer } from '@volstream/runtime/testing';
import { HealthBody, SmileBody, SurfaceBody } from './api/schemas.ts';
import { parseGatewayConfig } from './config.ts';
import { startGateway, type Gateway } from './server.ts';
import { BASE_TS, exampleQuotes, exampleSurface } from './testing/fixtures.ts';
import { TestClient, waitFor } from './testing/ws-client.ts';

const log = createLogger('gateway-test', 'warn');

describe('gateway against a real nats-server', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let pub: Publisher;
  const gateways: Gateway[] = [];
  const start = async () => {
    const g = await startGateway(parseGatewayConfig({ NATS_URL: nats.url, PORT: '0', HOST: '127.0.0.1' }), { log });
    gateways.push(g);
    return g;
  };

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
    const res = await waitFor(async () => {
      const r = await fetch(`${g.url}/api/v1/surfaces/BTC`);
      return r.status === 200 ? r : undefined;
    }, 15_000, 'the surface');
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
    const again = await waitFor(async () => {
      const r = await fetch(`${g2.url}/api/v1/surfaces/BTC`);
      return r.status === 200 ? SurfaceBody.parse(await r.json()) : undefined;
    }, 15_000, 'the surface after restart');
    expect(again).toMatchObject({ id: 'S:2', seq: 1 });
  });

  it('reports 503 on /health while NATS is down', async () => {
    const g = await start();
    expect((await fetch(`${g.url}/health`)).status).toBe(200);
    await nats.stop();
    await waitFor(async () => ((await fetch(`${g.url}/health`)).status === 503 ? true : undefined), 15_000, '503');
    const body = HealthBody.parse(await (await fetch(`${g.url}/health`)).json());
    expect(body.nats.connected).toBe(false);
    // Still serving what it has.
    expect((await fetch(`${g.url}/api/v1/surfaces/BTC`)).status).toBe(200);
  });
});
