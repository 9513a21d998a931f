import { parseArgs } from 'node:util';
import { z } from 'zod';
import { jetstreamManager } from '@nats-io/jetstream';
import { ConfigError, connectNats, ensureStreams, env, parseEnv, streamLimitsFromEnv } from '@volstream/runtime';
import { natsAnswers, startLocalNats } from '../nats-server.ts';
import { superviseApp, type AppProcess } from '../supervisor.ts';
import type { AppName } from '../paths.ts';
import type { Io } from '../io.ts';

export const START_HELP = `Usage: volstream start [--venues LIST]

Runs the whole system on this machine: nats-server (started with nats.conf when none answers at
NATS_URL), the JetStream streams, the venue connector, book, vol, surface and gateway, each as
its own process with prefixed logs, restarted when it crashes. Ctrl-C stops everything.

Options:
  --venues LIST   sim (default: the built-in simulated Deribit venue, no internet needed) or
                  live venues, comma-separated: deribit, okx, bybit, binance (e.g.
                  --venues deribit,okx); the surface stage then also fits the composite surface
                  of each underlying from all of them (venue "composite")
  -h, --help      this text

Environment (validated at start; a bad value stops start-up naming the variable):
  NATS_URL        nats://127.0.0.1:4222
  PORT            gateway HTTP port, 8080
  SIM_PORT        simulated venue port, 8090
  DATA_DIR        JetStream store of a nats-server started here, .data (sim data apart in .data/sim)
  VENUES          as --venues (the option wins)
  DERIBIT_WS_URL  Deribit websocket for a live run, wss://www.deribit.com/ws/api/v2
  OKX_WS_URL, BYBIT_WS_URL, BINANCE_WS_URL
                  the other venues' websockets, passed to the connector when set (else its defaults)
  Every app reads its own variables too; see README.md.`;

/** Live venues the connector runs, each with the variable of its websocket URL. */
const LIVE_VENUES = { deribit: 'DERIBIT_WS_URL', okx: 'OKX_WS_URL', bybit: 'BYBIT_WS_URL', binance: 'BINANCE_WS_URL' } as const;
type LiveVenue = keyof typeof LIVE_VENUES;

/** An optional websocket URL: unset lets the connector apply its own default. */
const wsUrl = z.string().refine((s) => {
  try { return ['ws:', 'wss:'].includes(new URL(s).protocol); } catch { return false; }
}, 'must be a URL with scheme ws or wss');

const StartEnv = z.object({
  NATS_URL: env.url('nats://127.0.0.1:4222', ['nats']),
  PORT: env.port(8080),
  SIM_PORT: env.port(8090),
  DATA_DIR: z.string().default('.data'),
  VENUES: env.list(['sim']),
  // The connector's own default is the simulated venue: a live start names the real one.
  DERIBIT_WS_URL: env.url('wss://www.deribit.com/ws/api/v2', ['ws', 'wss']),
  OKX_WS_URL: wsUrl.optional(),
  BYBIT_WS_URL: wsUrl.optional(),
  BINANCE_WS_URL: wsUrl.optional(),
});
type StartConfig = z.infer<typeof StartEnv>;

/**
 * What the connector is told for the chosen venues: VENUES, and each live venue's URL variable
 * (Deribit's always, the others' when set). `sim` is the simulated venue on SIM_PORT standing in
 * for deribit.
 * @throws ConfigError for an unknown venue, or sim mixed with live venues
 */
export function connectorEnv(cfg: Pick<StartConfig, 'VENUES' | 'SIM_PORT' | `${Uppercase<LiveVenue>}_WS_URL`>): Record<string, string> {
  const sim = cfg.VENUES.includes('sim');
  const live = cfg.VENUES.filter((v) => v !== 'sim');
  const unknown = live.filter((v) => !(v in LIVE_VENUES));
  if (unknown.length) throw new ConfigError(`Invalid configuration:\n  VENUES (--venues): unknown venue ${unknown.join(', ')}; known: sim, ${Object.keys(LIVE_VENUES).join(', ')}`);
  if (sim && live.length) throw new ConfigError('Invalid configuration:\n  VENUES (--venues): the simulated venue stands in for deribit; run either sim or live venues');
  if (sim) return { VENUES: 'deribit', DERIBIT_WS_URL: `ws://127.0.0.1:${cfg.SIM_PORT}/ws/api/v2` };
  const out: Record<string, string> = { VENUES: [...new Set(live)].join(',') };
  for (const v of live as LiveVenue[]) {
    const name = LIVE_VENUES[v];
    const url = cfg[name];
    if (url !== undefined) out[name] = url;
  }
  return out;
}

export async function startCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { venues: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) { io.stdout(START_HELP); return 0; }
  const cfg = parseEnv(StartEnv, { ...process.env, ...(values.venues ? { VENUES: values.venues } : {}) });
  const venues = connectorEnv(cfg);
  const sim = cfg.VENUES.includes('sim');
  const live = cfg.VENUES.filter((v) => v !== 'sim');

  const log = (l: string) => io.stdout(l);
  let nats: Awaited<ReturnType<typeof startLocalNats>> | undefined;
  if (await natsAnswers(cfg.NATS_URL)) {
    log(`[start] using the NATS server at ${cfg.NATS_URL}`);
  } else {
    const host = new URL(cfg.NATS_URL).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '0.0.0.0'].includes(host)) throw new Error(`no NATS server answers at ${cfg.NATS_URL}`);
    // Simulated and live data go to different stores so a day of research data is never mixed with the simulator's.
    const storeDir = `${cfg.DATA_DIR}/${sim ? 'sim' : 'live'}/jetstream`;
    log(`[start] starting nats-server (nats.conf, store ${storeDir})`);
    nats = await startLocalNats(cfg.NATS_URL, log, storeDir);
  }
  const nc = await connectNats({ url: cfg.NATS_URL, name: 'volstream-start' });
  await ensureStreams(await jetstreamManager(nc), streamLimitsFromEnv(process.env));
  await nc.close();

  const childEnv = {
    NATS_URL: cfg.NATS_URL,
    PORT: String(cfg.PORT),
    SIM_PORT: String(cfg.SIM_PORT),
    // The analysts' parquet archive, kept apart for simulated and live data like the JetStream store.
    ARCHIVE_DIR: process.env.ARCHIVE_DIR ?? `${cfg.DATA_DIR}/${sim ? 'sim' : 'live'}/archive`,
    ...venues,
  };
  const apps: AppProcess[] = [];
  if (sim) {
    // The venue first, so the connector's first connection finds it listening.
    apps.push(superviseApp('sim', { env: childEnv, write: log }));
    await waitForHttp(`http://127.0.0.1:${cfg.SIM_PORT}/health`, 60_000);
  }
  const order: AppName[] = ['gateway', 'recorder', 'surface', 'vol', 'book', 'connector'];
  for (const name of order) apps.push(superviseApp(name, { env: childEnv, write: log }));

  const url = `http://localhost:${cfg.PORT}/`;
  void (async () => {
    await waitForHttp(`http://127.0.0.1:${cfg.PORT}/health`, 60_000);
    log(`\n  volstream is running${sim ? ' on the simulated venue' : ` on ${live.join(', ')}`}.\n  Dashboard:  ${url}\n  Surface:    http://localhost:${cfg.PORT}/api/v1/surfaces/BTC\n  Ctrl-C stops everything.\n`);
  })();

  await new Promise<void>((resolve) => {
    const onSignal = () => { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); resolve(); };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  log('[start] stopping');
  for (const app of [...apps].reverse()) await app.stop();
  await nats?.stop();
  return 0;
}

/** Resolves once `url` answers below 500, or after `timeoutMs` (the apps log their own errors). */
async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
}
