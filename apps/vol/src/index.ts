import { BookEvent, parseShare } from '@volstream/events';
import { connectNats, createLogger, ensureStreams, jetstreamManager, runWorker, type NatsConnection, type WorkerHandle } from '@volstream/runtime';
import { createVolCore } from './core.ts';
import type { VolConfig } from './config.ts';

export { createVolCore, DEFAULT_REPRICE_MS, type VolCoreOptions } from './core.ts';
export { CheckpointStateError } from './errors.ts';
export { parseVolConfig, VolEnv, type VolConfig } from './config.ts';
export { priceQuote, type PricedQuote, type QuoteToPrice } from './price-quote.ts';
export { MIN_VISIBLE_IV_MOVE, movedVisibly } from './visible-change.ts';
export { YEAR_MS, yearsToExpiry } from '@volstream/svi';

export type VolHandle = {
  /** The stage's own connection (tests close it to simulate a crash). */
  readonly nc: NatsConnection;
  readonly worker: WorkerHandle;
  readonly done: Promise<void>;
  /** Stop consuming, checkpoint, close the connection. */
  stop(): Promise<void>;
};

/** Run the vol stage: BOOK stream (this process's SHARE of it) -> vol core -> VOL stream. */
export async function startVol(config: VolConfig): Promise<VolHandle> {
  const log = createLogger('vol');
  const share = parseShare(config.SHARE);
  const nc = await connectNats({ url: config.NATS_URL, name: 'vol' });
  await ensureStreams(await jetstreamManager(nc));
  const worker = await runWorker({
    name: 'vol',
    nc,
    input: { stage: 'book', schema: BookEvent, share },
    output: 'vol',
    core: (state) => createVolCore(state, { repriceMs: config.VOL_REPRICE_MS }),
    checkpointEveryMs: config.CHECKPOINT_MS,
    log,
  });
  return {
    nc,
    worker,
    done: worker.done,
    async stop() {
      await worker.stop();
      await nc.close();
    },
  };
}
