import { MdEvent } from '@volstream/events';
import { connectNats, createLogger, ensureStreams, jetstreamManager, runWorker, type Logger, type WorkerStats } from '@volstream/runtime';
import type { BookConfig } from './config.ts';
import { createBookCore } from './core.ts';

export type BookHandle = {
  readonly durable: string;
  readonly stats: WorkerStats;
  stop(): Promise<void>;
  readonly done: Promise<void>;
};

/**
 * Run the book core over this worker's share of the MD stream into the BOOK stream (the
 * runtime's checkpointed worker: ack after publish, restart from the last checkpoint).
 */
export async function startBook(config: BookConfig, opts: { log?: Logger } = {}): Promise<BookHandle> {
  const log = opts.log ?? createLogger('book');
  const nc = await connectNats({ url: config.natsUrl, name: 'volstream-book' });
  await ensureStreams(await jetstreamManager(nc));
  const worker = await runWorker({
    name: 'book', nc, log,
    input: { stage: 'md', schema: MdEvent, share: config.share },
    output: 'book',
    core: createBookCore,
    batchSize: config.batchSize,
    checkpointEveryMs: config.checkpointMs,
  });
  let stopping: Promise<void> | undefined;
  return {
    durable: worker.durable,
    stats: worker.stats,
    done: worker.done,
    stop: () => (stopping ??= (async () => {
      await worker.stop();
      await nc.drain().catch(() => undefined);
    })()),
  };
}
