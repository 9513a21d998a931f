import { impliedVolFromCoin, sviTotalVariance } from '@volstream/svi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookData, LevelChange, TickerData, Truth } from './model/types.ts';
import { startSimVenue, type SimVenue } from './server.ts';
import { TestClient } from './test-client.ts';

type InstrumentRow = { instrument_name: string; kind: string; strike?: number; option_type?: string; expiration_timestamp: number; [k: string]: unknown };

let venue: SimVenue;
const clients: TestClient[] = [];
const connect = async () => {
  const c = await TestClient.connect(venue.url);
  clients.push(c);
  return c;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  venue = await startSimVenue({ port: 0, seed: 42, instrumentsPerUnderlying: 400, minHeartbeatIntervalS: 0.2, subscribeBurst: 10, subscribePerSecond: 3.3 });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await venue.close();
});

async function options(c: TestClient, currency = 'BTC'): Promise<InstrumentRow[]> {
  const r = await c.call('public/get_instruments', { currency, kind: 'option', expired: false });
  return r.result as InstrumentRow[];
}

describe('sim venue over a real websocket', () => {
  it('answers with the Deribit envelope and instrument fields', async () => {
    const c = await connect();
    const r = await c.call('public/get_instruments', { currency: 'BTC', kind: 'option' });
    expect(r).toMatchObject({ jsonrpc: '2.0', testnet: false });
    expect(typeof r.usIn).toBe('number');
    expect(r.usDiff).toBe(r.usOut! - r.usIn!);
    const rows = r.result as InstrumentRow[];
    expect(rows.length).toBeGreaterThan(300);
    expect(rows[0]).toMatchObject({
      kind: 'option',
      instrument_type: 'reversed',
      contract_size: 1,
      tick_size: 0.0001,
      tick_size_steps: [{ above_price: 0.005, tick_size: 0.0005 }],
      counter_currency: 'USD',
      quote_currency: 'BTC',
      base_currency: 'BTC',
      settlement_currency: 'BTC',
      price_index: 'btc_usd',
      is_active: true,
      min_trade_amount: 0.1,
    });
    for (const row of rows) {
      expect(new Date(row.expiration_timestamp).getUTCHours()).toBe(8);
      expect(['call', 'put']).toContain(row.option_type);
      expect(['day', 'week', 'month']).toContain(row.settlement_period);
    }
    const futs = (await c.call('public/get_instruments', { currency: 'ETH', kind: 'future' })).result as InstrumentRow[];
    expect(futs.map((f) => f.instrument_name)).toContain('ETH-PERPETUAL');
    expect(((await c.call('public/test')).result as { version: string }).version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof (await c.call('public/get_time')).result).toBe('number');
    expect((await c.call('public/nope')).error?.code).toBe(-32601);
  });

  it('sends a snapshot first, then changes with continuous change ids', async () => {
    const c = await connect();
    const rows = await options(c);
    const channels = rows.slice(0, 200).map((r) => `book.${r.instrument_name}.100ms`);
    const sub = await c.call('public/subscribe', { channels });
    expect(sub.result).toEqual(channels);
    await sleep(3000);
    let changes = 0;
    for (const ch of channels) {
      const frames = c.channel(ch).map((f) => f.params!.data as BookData);
      expect(frames.length).toBeGreaterThan(0);
      expect(frames[0]!.type).toBe('snapshot');
      expect(frames[0]!.prev_change_id).toBeUndefined();
      for (let i = 1; i < frames.length; i++) {
        expect(frames[i]!.type).toBe('change');
        expect(frames[i]!.prev_change_id).toBe(frames[i - 1]!.change_id);
        expect(frames[i]!.change_id).toBeGreaterThan(frames[i - 1]!.change_id);
        changes++;
      }
      // the response precedes the snapshot on the wire
      expect(c.frames.indexOf(sub)).toBeLessThan(c.frames.indexOf(c.channel(ch)[0]!));
    }
    expect(changes).toBeGreaterThan(50);
    // re-subscribing gives a fresh snapshot that continues the chain
    const one = channels[0]!;
    const before = c.channel(one).length;
    await c.call('public/subscribe', { channels: [one] });
    const snap = (await c.waitFor((f) => f.params?.channel === one && c.channel(one).length > before)).params!.data as BookData;
    expect(snap.type).toBe('snapshot');
    const unsub = await c.call('public/unsubscribe', { channels });
    expect(unsub.result).toEqual(channels);
  });

  it('streams tickers with percent IVs, forward and greeks, and the price index', async () => {
    const c = await connect();
    const rows = await options(c);
    const name = rows[Math.floor(rows.length / 2)]!.instrument_name;
    await c.call('public/subscribe', { channels: [`ticker.${name}.100ms`, 'ticker.BTC-PERPETUAL.100ms', 'deribit_price_index.btc_usd'] });
    const t = (await c.waitFor((f) => f.params?.channel === `ticker.${name}.100ms`)).params!.data as TickerData;
    expect(t).toMatchObject({ instrument_name: name, state: 'open', interest_rate: 0 });
    expect(t.mark_iv).toBeGreaterThan(20);
    expect(t.mark_iv).toBeLessThan(200);
    expect(t.underlying_index).toMatch(/^(SYN\.)?BTC-\d{1,2}[A-Z]{3}\d{2}$/);
    expect(Object.keys(t.greeks!).sort()).toEqual(['delta', 'gamma', 'rho', 'theta', 'vega']);
    await sleep(500);
    expect(c.channel('ticker.BTC-PERPETUAL.100ms').length).toBeGreaterThan(2);
    const idx = c.channel('deribit_price_index.btc_usd').at(-1)!.params!.data as { index_name: string; price: number };
    expect(idx.index_name).toBe('btc_usd');
    expect(idx.price).toBeGreaterThan(1000);
  });

  it('rejects 501 channels, unknown channels and raw channels', async () => {
    const c = await connect();
    const many = Array.from({ length: 501 }, (_, i) => `book.BTC-PERPETUAL.${i}.100ms`);
    const r = await c.call('public/subscribe', { channels: many });
    expect(r.error).toMatchObject({ code: -32602, data: { param: 'channels' } });
    const bad = await c.call('public/subscribe', { channels: ['book.BTC-1JAN99-1-C.100ms'] });
    expect(bad.error).toMatchObject({ code: -32602, data: { reason: 'invalid channel', channels: ['book.BTC-1JAN99-1-C.100ms'] } });
    const raw = await c.call('public/subscribe', { channels: ['book.BTC-PERPETUAL.raw'] });
    expect(raw.error?.code).toBe(13778);
    const notList = await c.call('public/subscribe', { channels: 'x' });
    expect(notList.error).toMatchObject({ code: -32602, data: { reason: 'value must be a list', param: 'channels' } });
  });

  it('rate-limits subscribe with too_many_requests (10028)', async () => {
    const c = await connect();
    const codes: (number | undefined)[] = [];
    for (let i = 0; i < 14; i++) codes.push((await c.call('public/subscribe', { channels: ['deribit_price_index.eth_usd'] })).error?.code);
    expect(codes.slice(0, 10).every((x) => x === undefined)).toBe(true);
    expect(codes).toContain(10028);
  });

  it('heartbeat: rejects a short interval, keeps a client that answers, closes a silent one', async () => {
    const strict = await startSimVenue({ port: 0, instrumentsPerUnderlying: 40, underlyings: ['ETH'] });
    try {
      const c = await TestClient.connect(strict.url);
      const r = await c.call('public/set_heartbeat', { interval: 5 });
      expect(r.error).toMatchObject({ code: -32602, data: { param: 'interval' } });
      expect((await c.call('public/set_heartbeat', { interval: 10 })).result).toBe('ok');
      c.close();
    } finally {
      await strict.close();
    }

    const silent = await connect();
    const polite = await connect();
    polite.ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      if (f.method === 'heartbeat' && f.params.type === 'test_request') polite.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 9999, method: 'public/test', params: {} }));
    });
    expect((await silent.call('public/set_heartbeat', { interval: 0.3 })).result).toBe('ok');
    expect((await polite.call('public/set_heartbeat', { interval: 0.3 })).result).toBe('ok');
    const closed = await Promise.race([silent.closed, sleep(3000).then(() => null)]);
    expect(closed).not.toBeNull();
    await sleep(1000); // several more intervals for the polite client
    expect(silent.frames.some((f) => f.method === 'heartbeat' && f.params?.type === 'heartbeat')).toBe(true);
    expect(silent.frames.some((f) => f.method === 'heartbeat' && f.params?.type === 'test_request')).toBe(true);
    expect(polite.ws.readyState).toBe(polite.ws.OPEN);
    expect(polite.frames.filter((f) => f.params?.type === 'test_request').length).toBeGreaterThanOrEqual(3);
    await polite.call('public/disable_heartbeat');
  });

  it('serves /truth, /health and REST, and the books match the truth near ATM', async () => {
    const res = await fetch(`${venue.httpUrl}/truth/BTC`);
    expect(res.status).toBe(200);
    const truth = (await res.json()) as Truth;
    expect(truth.underlying).toBe('BTC');
    expect(truth.expiries.length).toBeGreaterThanOrEqual(12);
    for (const e of truth.expiries) {
      expect(Object.keys(e).sort()).toEqual(['atmVol', 'expiry', 'expiryTs', 'forward', 'params', 't']);
      expect(Object.keys(e.params).sort()).toEqual(['a', 'b', 'm', 'rho', 'sigma']);
      expect(e.t).toBeCloseTo((e.expiryTs - truth.ts) / (365 * 86_400_000), 10);
    }
    const missing = await fetch(`${venue.httpUrl}/truth/SOL`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toContain('SOL');
    const health = (await (await fetch(`${venue.httpUrl}/health`)).json()) as { status: string; steps: number };
    expect(health.status).toBe('ok');
    expect(health.steps).toBeGreaterThan(0);
    const rest = (await (await fetch(`${venue.httpUrl}/api/v2/public/get_instruments?currency=ETH&kind=option&expired=false`)).json()) as { result: InstrumentRow[] };
    expect(rest.result.length).toBeGreaterThan(300);

    // Near-ATM books: the Black-76 IV of the mid (on the ticker's forward) is within the IV
    // half-spread of the truth vol at that strike.
    const c = await connect();
    const rows = await options(c);
    let checked = 0;
    for (const row of rows) {
      const e = truth.expiries.find((x) => x.expiryTs === row.expiration_timestamp);
      if (!e || e.t < 7 / 365) continue;
      const k = Math.log(row.strike! / e.forward);
      if (Math.abs(k) > 0.25 * e.atmVol * Math.sqrt(e.t)) continue;
      const ob = (await c.call('public/get_order_book', { instrument_name: row.instrument_name })).result as {
        bids: [number, number][];
        asks: [number, number][];
        underlying_price: number;
        timestamp: number;
        change_id: number;
      };
      const bid = ob.bids[0]?.[0];
      const ask = ob.asks[0]?.[0];
      if (bid === undefined || ask === undefined) continue;
      const tNow = (row.expiration_timestamp - ob.timestamp) / (365 * 86_400_000);
      const isCall = row.option_type === 'call';
      const iv = (p: number) => {
        const r = impliedVolFromCoin({ coinPrice: p, forward: ob.underlying_price, strike: row.strike!, t: tNow, isCall });
        if (!r.ok) throw new Error(r.reason);
        return r.iv;
      };
      const truthVol = Math.sqrt(sviTotalVariance(e.params, k) / e.t);
      const half = (iv(ask) - iv(bid)) / 2;
      // small allowance: the book was quoted up to a few seconds before /truth was read
      expect(Math.abs(iv((bid + ask) / 2) - truthVol), row.instrument_name).toBeLessThanOrEqual(half + 0.003);
      checked++;
    }
    expect(checked).toBeGreaterThan(4);
  });

  it('returns 404 for other websocket paths', async () => {
    await expect(TestClient.connect(venue.url.replace('/ws/api/v2', '/ws/other'))).rejects.toThrow();
  });
});
