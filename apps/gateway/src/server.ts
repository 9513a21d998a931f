import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { connectNats, createLogger, type Logger } from '@volstream/runtime';
import { createApp, type HealthSource } from './app.ts';
import { loadAssets, type Assets } from './assets.ts';
import type { GatewayConfig, WsLimits } from './config.ts';
import { startFeed } from './feed.ts';
import { watchNats } from './nats-status.ts';
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
  log: Logger;
};

export type ServedGateway = {
  /** Base URL for clients (a wildcard host is reported as 127.0.0.1). */
  url: string;
  port: number;
  hub: StreamHub;
  close(): Promise<void>;
};

/** Serve the app and the websocket over node http, for a store someone else keeps current. */
export async function serveGateway(opts: ServeOptions): Promise<ServedGateway> {
  const hub = new StreamHub(opts.store, { ...opts.ws, heartbeatMs: opts.ws.pingMs }, Date.now, opts.log);
  const app = createApp({ store: opts.store, health: { ...opts.health, websocket: () => ({ ...hub.stats() }) }, assets: opts.assets, log: opts.log });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  });
  const ws = attachWebSocket(server, hub, { pingMs: opts.ws.pingMs, tickMs: Math.min(100, Math.max(10, opts.ws.stallMs / 4)), log: opts.log });
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

/** The whole gateway process: NATS feed -> store -> HTTP API, page and websocket. */
export async function startGateway(config: GatewayConfig, deps: { log?: Logger } = {}): Promise<Gateway> {
  const log = deps.log ?? createLogger('gateway');
  const store = new SurfaceStore();
  const assets = await loadAssets();
  const nc = await connectNats({ url: config.natsUrl, name: 'gateway' });
  const nats = watchNats(nc);
  let served: ServedGateway | undefined;
  const feed = await startFeed({ nc, store, log, onChange: (change) => served?.hub.onChange(change) });
  try {
    served = await serveGateway({ store, health: { nats: nats.get, feed: () => ({ ...feed.stats }) }, host: config.host, port: config.port, ws: config.ws, assets, log });
  } catch (err) {
    await feed.stop();
    await nc.close();
    throw err;
  }
  log.info('serving', { url: served.url, nats: config.natsUrl });

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
      await s.close();
      await feed.stop();
      // Draining needs the server; while disconnected, just close.
      await (nats.get().connected ? nc.drain() : nc.close()).catch(() => nc.close());
      await done.catch(() => undefined);
    },
  };
}
