import { freePort, startNatsServer } from '@volstream/runtime/testing';
import { Emulator, binanceProtocol, bybitProtocol, deribitProtocol, okxProtocol } from '@volstream/connector/testing';
import { superviseApp } from '../apps/cli/src/supervisor.ts';
import { connectNats } from '@volstream/runtime';
import { jetstreamManager } from '@nats-io/jetstream';
const nats = await startNatsServer();
const model = { seed: 7, underlyings: ['BTC' as const], instrumentsPerUnderlying: 120, listedPerUnderlying: 48 };
const emus = { deribit: await Emulator.start(deribitProtocol, model), okx: await Emulator.start(okxProtocol, model), bybit: await Emulator.start(bybitProtocol, model), binance: await Emulator.start(binanceProtocol, model) };
const port = await freePort();
const env = {
  NATS_URL: nats.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', FIT_INTERVAL_MS: '1000', VENUES: 'deribit,okx,bybit,binance',
  DERIBIT_WS_URL: emus.deribit.wsUrl('/ws/api/v2'), DERIBIT_CURRENCIES: 'BTC',
  OKX_WS_URL: emus.okx.wsUrl('/ws/v5/public'), OKX_REST_URL: emus.okx.httpUrl, OKX_INST_FAMILIES: 'BTC-USD',
  BYBIT_WS_URL: emus.bybit.wsUrl('/v5/public/option'), BYBIT_REST_URL: emus.bybit.httpUrl, BYBIT_BASE_COINS: 'BTC',
  BINANCE_WS_URL: emus.binance.wsUrl('/public/stream'), BINANCE_MARKET_WS_URL: emus.binance.wsUrl('/market/stream'), BINANCE_REST_URL: emus.binance.httpUrl, BINANCE_UNDERLYINGS: 'BTCUSDT',
};
const apps = (['gateway', 'surface', 'vol', 'book', 'connector'] as const).map((n) => superviseApp(n, { env, color: false }));
const nc = await connectNats({ url: nats.url, name: 'dbg' });
for (let i = 0; i < 12; i++) {
  await new Promise((r) => setTimeout(r, 6000));
  const jsm = await jetstreamManager(nc);
  const counts: Record<string, number> = {};
  for await (const s of jsm.streams.list()) counts[s.config.name] = s.state.messages;
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/surfaces/BTC?venue=binance`).then(async (r) => `${r.status} ${(await r.text()).slice(0, 200)}`).catch((e) => String(e));
  console.log(JSON.stringify(counts), r);
  for (const [st, f] of [['VS_BOOK', 'book.*.*.*._fwd'], ['VS_SURFACE', 'surface.>'], ['VS_VOL', 'vol.>'], ['VS_MD', 'md.>']] as const) {
    const subj = (await jsm.streams.info(st, { subjects_filter: f })).state.subjects ?? {};
    const byVenue: Record<string, number> = {};
    for (const [k, n] of Object.entries(subj)) { const key = st === 'VS_BOOK' || st === 'VS_SURFACE' ? k : k.split('.')[1]!; byVenue[key] = (byVenue[key] ?? 0) + (n as number); }
    console.log(st, JSON.stringify(byVenue).slice(0, 900));
  }
}
for (const a of apps.reverse()) await a.stop();
for (const e of Object.values(emus)) await e.close();
await nc.close(); await nats.stop();
