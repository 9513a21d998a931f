import { z } from 'zod';
import { CommonEnv, env, parseEnv } from '@volstream/runtime';

/** Environment of the recorder: CommonEnv (NATS_URL, SHARE) plus where and how often it writes. */
export const RecorderEnv = CommonEnv.extend({
  /** Root of the parquet archive (relative to the working directory). */
  ARCHIVE_DIR: z.string().min(1).default('.data/archive'),
  /** Write buffered rows as parquet parts this often (ms of wall time). */
  RECORDER_FLUSH_MS: env.int(60_000, 100, 3_600_000),
  /** Write early once this many messages of one stream are buffered. */
  RECORDER_MAX_BUFFER: env.int(200_000, 100, 5_000_000),
});
export type RecorderConfig = z.infer<typeof RecorderEnv>;

/** @throws ConfigError naming the variable, what was wrong and the value given */
export function parseRecorderConfig(vars: Record<string, string | undefined>): RecorderConfig {
  return parseEnv(RecorderEnv, vars);
}
