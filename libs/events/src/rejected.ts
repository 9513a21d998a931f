import { z } from 'zod';
import { EventBase } from './common.ts';

/** Input set aside with its reason instead of crashing a worker (dead letter). `raw` is the
 * original frame or message, base64 for bytes, truncated to `MAX_RAW` characters. */
export const Rejected = EventBase.extend({
  type: z.literal('rejected'),
  stage: z.string(),
  reason: z.string(),
  raw: z.string(),
  truncated: z.boolean(),
});
export type Rejected = z.infer<typeof Rejected>;

export const MAX_RAW = 64 * 1024;
