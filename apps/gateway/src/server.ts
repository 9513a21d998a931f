import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { jetstreamManager } from '@nats-io/jetstream';
import type { Context } from 'hono';
import { connectNats, createLogger, type Logger } from '@volstream/runtime';
import { createApp, type HealthSource } from './app.ts';
import { loadAssets, type Assets } from './assets.ts';
import { RateLimiter, type ApiKeys } from './auth.ts';
import type { GatewayConfig, RateLimit, WsLimits } from './config.ts';
import { startFeed } from './feed.ts';
import { natsHistory, type HistorySource } from './history.ts';
import { watchNats } from './nats-status.ts';
import { watchPipeline } from './pipeline.ts';
import { SurfaceStore } from './store.ts';
import { StreamHub } from './ws/hub.ts';
import { attachWebSocket } from './ws/server.ts';

export type ServeOptions = {
  store: SurfaceStore;
  health: HealthSource;
  host: string;
  port: number;
  ws: WsLimits;
  assets?: Assets;
  history?: HistorySource;
  historyMaxPoints?: number;
  apiKeys?: ApiKeys | undefined;
  corsOrigins?: '*' | string[] | undefined;
  rateLimit?: RateLimit;
  log: Logger;
};

export type ServedGateway = {
  /** Base URL for clients (a wildcard host is reported as 127.0.0.1). */
  url: string;
  port: number;
  hub: StreamHub;
  close(): Promise<void>;
};

/** The caller's address for rate limits without API keys. */
function address(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Serve the app and the websocket over node http, for a store someone else keeps current. */
export async function serveGateway(opts: ServeOptions): Promise<ServedGateway> {
  const hub = new StreamHub(opts.store, { ...opts.ws, heartbeatMs: opts.ws.pingMs }, Date.now, opts.log);
  const limiter = new RateLimiter(opts.rateLimit?.rps ?? 0, opts.rateLimit?.burst ?? 1);
  let wsRefused: Record<string, number> = {};
  const app = createApp({
    store: opts.store,
    health: { ...opts.health, websocket: () => ({ ...hub.stats(), ...Object.fromEntries(Object.entries(wsRefused).map(([k, v]) => [`refused_${k}`, v])) }) },
    assets: opts.assets, log: opts.log,
    history: opts.history, historyMaxPoints: opts.historyMaxPoints,
    apiKeys: opts.apiKeys, corsOrigins: opts.corsOrigins, limiter, address,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  });
  const ws = attachWebSocket(server, hub, {
    pingMs: opts.ws.pingMs, tickMs: Math.min(100, Math.max(10, opts.ws.stallMs / 4)), apiKeys: opts.apiKeys, limiter, log: opts.log,
  });
  wsRefused = ws.refused;
  const { port } = server.address() as AddressInfo;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    port,
    hub,
    async close() {
      ws.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type Gateway = {
  url: string;
  port: number;
  store: SurfaceStore;
  /** Stop serving, stop the consumers, close NATS. */
  stop(): Promise<void>;
  /** Settles when the gateway stopped; rejects if the NATS connection closed with an error. */
  done: Promise<void>;
};

/** The whole gateway process: NATS feed -> store -> HTTP API, page and websocket; history and pipeline stats from JetStream. */
export async function startGateway(config: GatewayConfig, deps: { log?: Logger } = {}): Promise<Gateway> {
  const log = deps.log ?? createLogger('gateway');
  const store = new SurfaceStore();
  const assets = await loadAssets();
  const nc = await connectNats({ url: config.natsUrl, name: 'gateway' });
  const nats = watchNats(nc);
  const jsm = await jetstreamManager(nc);
  const pipeline = watchPipeline(jsm, { everyMs: config.pipelinePollMs, log });
  let served: ServedGateway | undefined;
  const feed = await startFeed({ nc, store, log, onChange: (change) => served?.hub.onChange(change) });
  try {
    served = await serveGateway({
      store,
      health: { nats: nats.get, feed: () => ({ ...feed.stats }), pipeline: pipeline.get },
      host: config.host, port: config.port, ws: config.ws, assets, log,
      history: natsHistory(jsm), historyMaxPoints: config.historyMaxPoints,
      apiKeys: config.apiKeys, corsOrigins: config.corsOrigins, rateLimit: config.rateLimit,
    });
  } catch (err) {
    pipeline.stop();
    await feed.stop();
    await nc.close();
    throw err;
  }
  log.info('serving', { url: served.url, nats: config.natsUrl, apiKeys: config.apiKeys ? config.apiKeys.size : 'off', cors: config.corsOrigins ?? 'off', rateLimit: config.rateLimit.rps || 'off' });

  let stopped = false;
  const done = nc.closed().then((err) => {
    if (err && !stopped) throw err;
  });
  const s = served;
  return {
    url: s.url,
    port: s.port,
    store,
    done,
    async stop() {
      if (stopped) return;
      stopped = true;
      pipeline.stop();
      await s.close();
      await feed.stop();
      // Draining needs the server; while disconnected, just close.
      await (nats.get().connected ? nc.drain() : nc.close()).catch(() => nc.close());
      await done.catch(() => undefined);
    },
  };
}
