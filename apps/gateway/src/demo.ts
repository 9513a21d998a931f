import { createLogger, runMain } from '@volstream/runtime';
import { loadAssets } from './assets.ts';
import { parseGatewayConfig } from './config.ts';
import { serveGateway } from './server.ts';
import { SurfaceStore } from './store.ts';
import { MANY_DAYS, exampleQuotes, exampleStatus, exampleSurface } from './testing/fixtures.ts';

// `npm run demo -w @volstream/gateway`: the gateway without NATS, fed with synthetic surfaces
// (13 expiries x 100 strikes, a few spoiled quotes per expiry) updating every second. For
// working on the page and the API; history and pipeline lag are empty here.

const log = createLogger('gateway-demo');
await runMain(log, async () => {
  const config = parseGatewayConfig(process.env);
  const store = new SurfaceStore();
  const every = Number(process.env.DEMO_EVERY_MS ?? 1_000);
  let n = 0;
  const start = Math.floor(Date.now() / every) * every;
  const tick = () => {
    const ts = start + n * every;
    const wobble = 0.02 * Math.sin(n / 7);
    const changes = [];
    for (const [underlying, atm] of [['BTC', 0.5], ['ETH', 0.65]] as const) {
      const s = exampleSurface({ underlying, ts, days: MANY_DAYS, atm: atm + wobble, id: `demo:${underlying}:${n}` });
      for (const p of exampleQuotes(s, { strikes: 100, flawed: true, seed: n + 1 })) store.apply(p);
      changes.push(store.apply(s));
    }
    if (n % 30 === 0) store.apply(exampleStatus({ ts }));
    n++;
    return changes;
  };
  tick();
  const gw = await serveGateway({
    store, host: config.host, port: config.port, ws: config.ws, assets: await loadAssets(), log,
    apiKeys: config.apiKeys, corsOrigins: config.corsOrigins, rateLimit: config.rateLimit,
    health: { nats: () => ({ connected: true, status: 'demo (no NATS)' }), feed: () => ({}) },
  });
  const timer = setInterval(() => { for (const c of tick()) gw.hub.onChange(c); }, every);
  log.info('demo serving', { url: gw.url });
  return { async stop() { clearInterval(timer); await gw.close(); } };
});
