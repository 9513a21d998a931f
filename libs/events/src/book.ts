import { z } from 'zod';
import { EventBase, Finite, Millis, OptionTerms, TOKEN_RE } from './common.ts';

/** Top of book of one option, emitted when it changes. Self-contained: it carries the option's
 * terms so the vol stage needs no other state to price it. Prices in the premium currency. */
export const TopOfBook = EventBase.extend({
  type: z.literal('book.top'),
  ...OptionTerms.shape,
  bid: Finite.nonnegative().nullable(),
  bidSize: Finite.nonnegative().nullable(),
  ask: Finite.nonnegative().nullable(),
  askSize: Finite.nonnegative().nullable(),
  /** Venue sequence of the book message that produced this top. */
  seq: z.number().int(),
  /** Re-sent unchanged after a resubscribe/reconnect snapshot; consumers treat it as fresh. */
  refresh: z.boolean().optional(),
});
export type TopOfBook = z.infer<typeof TopOfBook>;

export const ForwardSource = z.enum(['underlying_price', 'future', 'index', 'parity']);
export type ForwardSource = z.infer<typeof ForwardSource>;

/** Forward price for one expiry of an underlying, as the book stage last saw it. */
export const Forward = EventBase.extend({
  type: z.literal('book.forward'),
  underlying: z.string().regex(TOKEN_RE),
  expiryTs: Millis,
  forward: Finite.positive(),
  source: ForwardSource,
  /** e.g. `BTC-27NOV26` or `SYN.BTC-22MAY20`. */
  sourceName: z.string().optional(),
});
export type Forward = z.infer<typeof Forward>;

/** Venue mark price of an option (premium currency), forwarded for mark IVs. */
export const Mark = EventBase.extend({
  type: z.literal('book.mark'),
  instrument: z.string().min(1),
  underlying: z.string().regex(TOKEN_RE),
  expiryTs: Millis,
  markPrice: Finite.nonnegative(),
  /** Venue's own mark IV (fraction), for comparison. */
  venueMarkIv: Finite.nonnegative().optional(),
});
export type Mark = z.infer<typeof Mark>;
