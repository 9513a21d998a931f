/**
 * Adapter of the simulated venue (STYLE.md habit 1): an HTTP server with the websocket at
 * `/ws/api/v2`, a drift-free timer stepping the pure model every `stepMs` of wall time, and
 * fan-out of the model's notifications to subscribers. Wall time and the seeded generator are
 * the only inputs the model gets from here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { DEFAULT_SIM_CONFIG, type SimConfig } from './config.ts';
import { handleHttp } from './http.ts';
import { SubscriptionHub } from './hub.ts';
import { createRng } from './rng.ts';
import { Session } from './session.ts';
import { initVenue, stepVenue, truthOf } from './model/venue.ts';
import type { Notification, Truth, Underlying, VenueState } from './model/types.ts';

export const WS_PATH = '/ws/api/v2';

export type SimStats = {
  steps: number;
  /** mean and max wall time of one model step + fan-out, ms */
  stepMsMean: number;
  stepMsMax: number;
  /** notifications produced by the model, by kind */
  produced: Record<Notification['kind'], number>;
  /** frames and bytes handed to sockets */
  framesSent: number;
  bytesSent: number;
  clients: number;
  subscribedChannels: number;
  instruments: number;
  startedAtMs: number;
};

export type SimVenue = {
  /** websocket URL, e.g. ws://127.0.0.1:8090/ws/api/v2 */
  url: string;
  /** e.g. http://127.0.0.1:8090 */
  httpUrl: string;
  port: number;
  close(): Promise<void>;
  /** current true surface; throws for an underlying that is not simulated */
  truth(underlying: Underlying): Truth;
  state(): VenueState;
  stats(): SimStats;
};

export type StartOptions = {
  /** wall clock (ms); tests may inject one. Default Date.now. */
  clock?: () => number;
  log?: (msg: string) => void;
};

/**
 * Start the simulated Deribit venue. `config` fields default to DEFAULT_SIM_CONFIG (port 0 for a
 * free port in tests).
 * @example const venue = await startSimVenue({ port: 0 }); console.log(venue.url); await venue.close();
 */
export async function startSimVenue(config: Partial<SimConfig> = {}, options: StartOptions = {}): Promise<SimVenue> {
  const cfg: SimConfig = { ...DEFAULT_SIM_CONFIG, ...config };
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => {});
  const rng = createRng(cfg.seed);
  let state = initVenue({
    nowMs: clock(),
    rng,
    underlyings: cfg.underlyings,
    instrumentsPerUnderlying: cfg.instrumentsPerUnderlying,
    settings: {
      updatesPerSecond: cfg.updatesPerSecond,
      speed: cfg.speed,
      tickerIntervalMs: cfg.tickerIntervalMs,
      maxStepMs: Math.max(1000, 10 * cfg.stepMs),
    },
  });
  const getState = () => state;
  const hub = new SubscriptionHub<Session>();
  const sessions = new Set<Session>();
  const startedAtMs = clock();
  const stats = {
    steps: 0,
    stepMsTotal: 0,
    stepMsMax: 0,
    produced: { book: 0, ticker: 0, index: 0 } as Record<Notification['kind'], number>,
    framesSent: 0,
    bytesSent: 0,
  };
  const snapshotStats = (): SimStats => ({
    steps: stats.steps,
    stepMsMean: stats.steps ? stats.stepMsTotal / stats.steps : 0,
    stepMsMax: stats.stepMsMax,
    produced: { ...stats.produced },
    framesSent: stats.framesSent,
    bytesSent: stats.bytesSent,
    clients: sessions.size,
    subscribedChannels: hub.channelCount,
    instruments: state.underlyings.reduce((n, u) => n + u.instruments.length, 0),
    startedAtMs,
  });

  const server: Server = createServer((req, res) =>
    handleHttp(req, res, {
      getState,
      clock,
      health: () => ({ ...snapshotStats(), underlyings: state.underlyings.map((u) => u.spec.underlying), config: cfg }),
    }),
  );
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '');
    if (path !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, { config: cfg, hub, getState, clock, log });
      sessions.add(session);
      ws.on('close', () => sessions.delete(session));
    });
  });

  // Drift-free schedule: step k runs at start + k·stepMs; after a stall, resynchronise instead of bursting.
  let timer: NodeJS.Timeout | undefined;
  let nextAt = clock() + cfg.stepMs;
  const tick = () => {
    const t0 = performance.now();
    const r = stepVenue(state, { nowMs: clock(), rng });
    state = r.state;
    for (const n of r.notifications) stats.produced[n.kind]++;
    const sent = hub.publish(r.notifications);
    stats.framesSent += sent.frames;
    stats.bytesSent += sent.bytes;
    const took = performance.now() - t0;
    stats.steps++;
    stats.stepMsTotal += took;
    stats.stepMsMax = Math.max(stats.stepMsMax, took);
    nextAt += cfg.stepMs;
    const now = clock();
    if (nextAt < now - 10 * cfg.stepMs) nextAt = now + cfg.stepMs;
    timer = setTimeout(tick, Math.max(0, nextAt - now));
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  timer = setTimeout(tick, cfg.stepMs);
  const port = (server.address() as AddressInfo).port;
  const host = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;

  return {
    url: `ws://${host}:${port}${WS_PATH}`,
    httpUrl: `http://${host}:${port}`,
    port,
    truth: (underlying) => truthOf(state, underlying),
    state: getState,
    stats: snapshotStats,
    close: async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      for (const s of sessions) s.terminate(1001, 'server shutting down');
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
