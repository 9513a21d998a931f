import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { COMPOSITE_VENUE, STREAM_NAMES } from '@volstream/events';
import { connectNats } from '@volstream/runtime';
import { freePort, startNatsServer, type NatsServer } from '@volstream/runtime/testing';
import { truthOf } from '@volstream/sim';
import { Emulator, binanceProtocol, bybitProtocol, deribitProtocol, okxProtocol, type EmulatorOptions } from '@volstream/connector/testing';
import { superviseApp, type AppProcess } from '../apps/cli/src/supervisor.ts';
import { readStream, waitFor } from '@volstream/runtime/testing';

type ApiSurface = { underlying: string; venue?: string; ts: number; expiries: { expiry: string; expiryTs: number; t: number; forward: number; params: Record<'a' | 'b' | 'rho' | 'm' | 'sigma', number>; atmVol: number; rmse: number; points: number }[] };

const DAY = 86_400_000;
const VENUES = ['deribit', 'okx', 'bybit', 'binance'] as const;
type Venue = (typeof VENUES)[number];
const logs: string[] = [];

/**
 * The four venue emulators (each its own copy of the simulator's seeded model, in its venue's
 * protocol and units) -> connector -> book -> vol -> surface -> gateway, each stage a process.
 * Binance publishes no forward: its surface exists only through the book's derived forwards.
 */
describe('all four venues through the whole pipeline', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  const emus = {} as Record<Venue, Emulator>;
  let apps: AppProcess[] = [];
  let api: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats({ url: nats.url, name: 'venues-test' });
    // Same seed: the same chain on every venue; enough near-the-money options for >= 3 expiries of >= 6 quotes.
    const model: EmulatorOptions = { seed: 7, underlyings: ['BTC'], instrumentsPerUnderlying: 300, listedPerUnderlying: 240 };
    emus.deribit = await Emulator.start(deribitProtocol, model);
    emus.okx = await Emulator.start(okxProtocol, model);
    emus.bybit = await Emulator.start(bybitProtocol, model);
    emus.binance = await Emulator.start(binanceProtocol, model);
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    const env = {
      NATS_URL: nats.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', FIT_INTERVAL_MS: '1000',
      VENUES: VENUES.join(','),
      DERIBIT_WS_URL: emus.deribit.wsUrl('/ws/api/v2'), DERIBIT_CURRENCIES: 'BTC',
      OKX_WS_URL: emus.okx.wsUrl('/ws/v5/public'), OKX_REST_URL: emus.okx.httpUrl, OKX_INST_FAMILIES: 'BTC-USD',
      BYBIT_WS_URL: emus.bybit.wsUrl('/v5/public/option'), BYBIT_REST_URL: emus.bybit.httpUrl, BYBIT_BASE_COINS: 'BTC',
      BINANCE_WS_URL: emus.binance.wsUrl('/public/stream'), BINANCE_MARKET_WS_URL: emus.binance.wsUrl('/market/stream'), BINANCE_REST_URL: emus.binance.httpUrl,
      BINANCE_UNDERLYINGS: 'BTCUSDT',
    };
    const write = (l: string) => { logs.push(l); if (logs.length > 400) logs.shift(); };
    apps = (['gateway', 'surface', 'vol', 'book', 'connector'] as const).map((name) => superviseApp(name, { env, write, color: false }));
  });

  afterAll(async () => {
    for (const a of [...apps].reverse()) await a.stop();
    for (const e of Object.values(emus)) await e.close();
    await nc?.close();
    await nats?.stop();
  });

  const surface = async (venue: string): Promise<ApiSurface | undefined> => {
    const r = await fetch(`${api}/api/v1/surfaces/BTC?venue=${venue}`);
    return r.ok ? ((await r.json()) as ApiSurface) : undefined;
  };
  const ready = (s: ApiSurface | undefined) => (s && s.expiries.length >= 3 ? s : undefined);

  it('serves a surface per venue and a composite one, ATM vols within 1 vol point of the truth', async () => {
    const started = Date.now();
    let seen = '';
    const all = await waitFor('a surface with >= 3 expiries on every venue and the composite', async () => {
      const got = await Promise.all([...VENUES, COMPOSITE_VENUE].map(async (v) => [v, await surface(v)] as const));
      seen = got.map(([v, s]) => `${v}: ${s ? s.expiries.map((e) => `${e.expiry.slice(0, 10)}(${e.points})`).join(' ') : '-'}`).join('; ');
      return got.every(([, s]) => ready(s)) ? new Map(got as (readonly [string, ApiSurface])[]) : undefined;
    }, { timeoutMs: 90_000, everyMs: 500 }).catch((err) => { throw new Error(`${err}\nexpiries (points) seen: ${seen}\n--- last logs ---\n${logs.slice(-60).join('\n')}`); });
    console.log(`every venue's surface after ${((Date.now() - started) / 1000).toFixed(1)} s: ${seen}`);

    // Let a few more fits pass so every expiry has fresh quotes, then compare at the same moment.
    await new Promise((r) => setTimeout(r, 3_000));
    const atm = new Map<string, Map<number, number>>();
    for (const v of [...VENUES, COMPOSITE_VENUE]) {
      const s = ready(await surface(v)) ?? all.get(v)!;
      expect(s.expiries.length, v).toBeGreaterThanOrEqual(3);
      atm.set(v, new Map());
      for (const e of s.expiries) {
        for (const x of [e.forward, e.t, e.atmVol, e.rmse, ...Object.values(e.params)]) expect(Number.isFinite(x), `${v} ${e.expiry}`).toBe(true);
        if (e.expiryTs - s.ts >= 2 * DAY) atm.get(v)!.set(e.expiryTs, e.atmVol);
      }
    }

    // Each venue against its own emulator's truth (the models share the seed but not the clock).
    const truthAtm = (v: Venue, expiryTs: number) => truthOf(emus[v].model.state, 'BTC').expiries.find((x) => x.expiryTs === expiryTs)?.atmVol;
    for (const v of VENUES) {
      let compared = 0;
      for (const [expiryTs, vol] of atm.get(v)!) {
        const truth = truthAtm(v, expiryTs);
        if (truth === undefined) continue;
        console.log(`${v.padEnd(9)} ${new Date(expiryTs).toISOString().slice(0, 10)} fitted ${(vol * 100).toFixed(2)} truth ${(truth * 100).toFixed(2)} diff ${((vol - truth) * 100).toFixed(3)} vp`);
        expect(Math.abs(vol - truth) * 100, `${v} ${new Date(expiryTs).toISOString()}`).toBeLessThan(1);
        compared++;
      }
      expect(compared, v).toBeGreaterThanOrEqual(1);
    }
    // The composite against the mean of the venues' truths.
    let compared = 0;
    for (const [expiryTs, vol] of atm.get(COMPOSITE_VENUE)!) {
      const truths = VENUES.map((v) => truthAtm(v, expiryTs)).filter((x): x is number => x !== undefined);
      if (truths.length === 0) continue;
      const mean = truths.reduce((a, b) => a + b, 0) / truths.length;
      console.log(`composite ${new Date(expiryTs).toISOString().slice(0, 10)} fitted ${(vol * 100).toFixed(2)} truth ${(mean * 100).toFixed(2)} diff ${((vol - mean) * 100).toFixed(3)} vp`);
      expect(Math.abs(vol - mean) * 100, `composite ${new Date(expiryTs).toISOString()}`).toBeLessThan(1);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(1);
  });

  it("Binance's forwards are the book's derived ones (parity, else index); the other venues' latest are their own", async () => {
    /** Source of the latest book.forward of each expiry. */
    const latest = async (venue: Venue) => {
      const last = new Map<string, string>();
      for (const m of (await readStream(nc, STREAM_NAMES.book, { filterSubject: `book.${venue}.BTC.*._fwd` })).stored) last.set(m.subject, (m.event as { source: string }).source);
      return [...last.values()];
    };
    const binance = await latest('binance');
    expect(binance.length).toBeGreaterThanOrEqual(3);
    expect(binance.filter((x) => x !== 'parity' && x !== 'index')).toEqual([]);
    expect(binance).toContain('parity');
    for (const v of ['deribit', 'okx', 'bybit'] as const) {
      const got = await latest(v);
      expect(got.length, v).toBeGreaterThanOrEqual(3);
      expect(got.filter((x) => x !== 'underlying_price' && x !== 'future'), v).toEqual([]);
    }
  });
});
