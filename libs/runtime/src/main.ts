import { ConfigError } from './config.ts';
import type { Logger } from './log.ts';

/**
 * Entry point wrapper for an app process: runs `start`, stops cleanly on SIGINT/SIGTERM, and
 * turns a configuration error into one clear message and exit code 2 (no stack trace).
 */
export async function runMain(log: Logger, start: () => Promise<{ stop(): Promise<void>; done?: Promise<void> }>): Promise<void> {
  let app: { stop(): Promise<void>; done?: Promise<void> };
  try {
    app = await start();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    log.error('failed to start', { err: err instanceof Error ? err.stack ?? err.message : String(err) });
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.stop().catch((err) => log.error('stop failed', { err: String(err) }));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  app.done?.catch((err) => {
    log.error('failed', { err: err instanceof Error ? err.stack ?? err.message : String(err) });
    process.exit(1);
  });
}
