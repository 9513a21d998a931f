/**
 * Entry point: `npx tsx apps/sim/src/main.ts`. Parses SIM_* from the environment, starts the
 * simulated Deribit venue, logs its URL, stops on SIGINT/SIGTERM.
 */
import { parseSimConfig, SimConfigError } from './config.ts';
import { startSimVenue } from './server.ts';

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} [sim] ${msg}\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = parseSimConfig(process.env);
  } catch (err) {
    if (err instanceof SimConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const venue = await startSimVenue(config, { log });
  const s = venue.stats();
  log(`simulated Deribit venue at ${venue.url} (http ${venue.httpUrl}, ${s.instruments} instruments, seed ${config.seed}, underlyings ${config.underlyings.join(',')})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    venue.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`sim failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
