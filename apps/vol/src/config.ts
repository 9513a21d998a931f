import type { z } from 'zod';
import { CommonEnv, env, parseEnv } from '@volstream/runtime';
import { DEFAULT_REPRICE_MS } from './core.ts';

/** Environment of the vol stage: CommonEnv (NATS_URL, SHARE, CHECKPOINT_MS) plus
 * VOL_REPRICE_MS, the window (ms of event time) in which forward moves are coalesced. */
export const VolEnv = CommonEnv.extend({
  VOL_REPRICE_MS: env.int(DEFAULT_REPRICE_MS, 1, 3_600_000),
});
export type VolConfig = z.infer<typeof VolEnv>;

/** @throws ConfigError naming the variable, what was wrong and the value given */
export function parseVolConfig(vars: Record<string, string | undefined>): VolConfig {
  return parseEnv(VolEnv, vars);
}
