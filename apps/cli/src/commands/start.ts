import { parseArgs } from 'node:util';
import { z } from 'zod';
import { jetstreamManager } from '@nats-io/jetstream';
import { ConfigError, connectNats, ensureStreams, env, parseEnv } from '@volstream/runtime';
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
                  live venues, comma-separated: deribit
  -h, --help      this text

Environment (validated at start; a bad value stops start-up naming the variable):
  NATS_URL        nats://127.0.0.1:4222
  PORT            gateway HTTP port, 8080
  SIM_PORT        simulated venue port, 8090
  DATA_DIR        JetStream store of a nats-server started here, .data (sim data apart in .data/sim)
  Every app reads its own variables too; see README.md.`;

const StartEnv = z.object({
  NATS_URL: env.url('nats://127.0.0.1:4222', ['nats']),
  PORT: env.port(8080),
  SIM_PORT: env.port(8090),
  DATA_DIR: z.string().default('.data'),
  VENUES: env.list(['sim']),
  DERIBIT_WS_URL: env.url('wss://www.deribit.com/ws/api/v2', ['ws', 'wss']),
});

const LIVE_VENUES = ['deribit'];

export async function startCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { venues: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) { io.stdout(START_HELP); return 0; }
  const cfg = parseEnv(StartEnv, { ...process.env, ...(values.venues ? { VENUES: values.venues } : {}) });
  const sim = cfg.VENUES.includes('sim');
  const live = cfg.VENUES.filter((v) => v !== 'sim');
  const unknown = live.filter((v) => !LIVE_VENUES.includes(v));
  if (unknown.length) throw new ConfigError(`Invalid configuration:\n  VENUES (--venues): unknown venue ${unknown.join(', ')}; known: sim, ${LIVE_VENUES.join(', ')}`);
  if (sim && live.length) throw new ConfigError('Invalid configuration:\n  VENUES (--venues): the simulated venue stands in for deribit; run either sim or live venues');

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
  await ensureStreams(await jetstreamManager(nc));
  await nc.close();

  const childEnv = {
    NATS_URL: cfg.NATS_URL,
    PORT: String(cfg.PORT),
    SIM_PORT: String(cfg.SIM_PORT),
    VENUES: sim ? 'deribit' : live.join(','),
    DERIBIT_WS_URL: sim ? `ws://127.0.0.1:${cfg.SIM_PORT}/ws/api/v2` : cfg.DERIBIT_WS_URL,
  };
  const order: AppName[] = [...(sim ? (['sim'] as const) : []), 'gateway', 'surface', 'vol', 'book', 'connector'];
  const apps: AppProcess[] = order.map((name) => superviseApp(name, { env: childEnv, write: log }));

  const url = `http://localhost:${cfg.PORT}/`;
  void (async () => {
    for (let i = 0; i < 120; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${cfg.PORT}/health`)).status < 500) break;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 500));
    }
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
