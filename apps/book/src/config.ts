import { z } from 'zod';
import { CommonEnv, env, parseEnv } from '@volstream/runtime';
import { parseShare, type ShareFilter } from '@volstream/events';

/** Environment of the book worker (NATS_URL, SHARE, CHECKPOINT_MS from CommonEnv). */
export const BookEnv = CommonEnv.extend({
  /** Commit (wait for output acks, ack input) at least every this many MD events. */
  BOOK_BATCH_SIZE: env.int(1_000, 1, 100_000),
});

export type BookConfig = {
  natsUrl: string;
  share: ShareFilter;
  checkpointMs: number;
  batchSize: number;
};

/** Parse once at start; throws ConfigError naming each bad variable. */
export function parseBookConfig(source: Record<string, string | undefined>): BookConfig {
  const e: z.infer<typeof BookEnv> = parseEnv(BookEnv, source);
  return { natsUrl: e.NATS_URL, share: parseShare(e.SHARE), checkpointMs: e.CHECKPOINT_MS, batchSize: e.BOOK_BATCH_SIZE };
}
