import { z } from 'zod';
import { env } from './config.ts';

/** Variables every pipeline app reads. SHARE selects the app's share of its input:
 * `venue[.underlying[.expiry]]` (e.g. `deribit.BTC`), default all. */
export const CommonEnv = z.object({
  NATS_URL: env.url('nats://127.0.0.1:4222', ['nats', 'tls']),
  SHARE: z.string().regex(/^(>|[A-Za-z0-9_\-*]+(\.[A-Za-z0-9_\-*]+){0,2})$/, 'must be venue[.underlying[.expiry]] with * for any').optional(),
  CHECKPOINT_MS: env.int(1_000, 100, 600_000),
});
