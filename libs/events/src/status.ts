import { z } from 'zod';
import { EventBase, Millis, TOKEN_RE } from './common.ts';

/** Operational conditions that are not failures become typed events, not just log lines. */
export const StatusKind = z.enum([
  'feed_connected',
  'feed_disconnected',
  'feed_stale',
  'book_resync',
  'fit_rejected',
  'frame_rejected',
]);
export type StatusKind = z.infer<typeof StatusKind>;

export const Status = EventBase.extend({
  type: z.literal('status'),
  kind: StatusKind,
  /** Stage that raised it: connector, book, vol, surface. */
  stage: z.string().regex(TOKEN_RE),
  underlying: z.string().regex(TOKEN_RE).optional(),
  instrument: z.string().optional(),
  expiryTs: Millis.optional(),
  reason: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type Status = z.infer<typeof Status>;
