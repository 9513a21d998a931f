import { z } from 'zod';
import { Finite, ForwardSource, Level, Millis, OptionTerms } from '@volstream/events';

/** One book in a checkpoint: levels best first, as [price, amount]. */
export const BookEntryState = z.object({
  venue: z.string(),
  instrument: z.string(),
  underlying: z.string(),
  expiryTs: Millis.optional(),
  seq: z.number().int(),
  inSync: z.boolean(),
  bids: z.array(Level),
  asks: z.array(Level),
  lastTop: z.tuple([Finite.nullable(), Finite.nullable(), Finite.nullable(), Finite.nullable()]).nullable(),
});
export type BookEntryState = z.infer<typeof BookEntryState>;

/** The book core's checkpoint: plain data (msgpack-encodable), validated on restore. */
export const BookCoreState = z.object({
  v: z.literal(1),
  terms: z.array(OptionTerms.extend({ venue: z.string() })),
  nonOptions: z.array(z.object({ venue: z.string(), instrument: z.string() })),
  books: z.array(BookEntryState),
  forwards: z.array(z.object({
    venue: z.string(), underlying: z.string(), expiryTs: Millis, forward: Finite, source: ForwardSource, sourceName: z.string().optional(), ts: Millis,
  })),
  marks: z.array(z.object({ venue: z.string(), instrument: z.string(), markPrice: Finite })),
  counters: z.object({ gaps: z.number().int(), droppedDeltas: z.number().int(), crossedLevelsRemoved: z.number().int() }),
  /** Derived-forward groups (optional: checkpoints from before derived forwards have none). */
  derived: z.array(z.object({
    venue: z.string(), underlying: z.string(), expiryTs: Millis, window: z.number().int().nullable(), dirty: z.boolean(), options: z.array(z.string()),
  })).default([]),
  indexes: z.array(z.object({ venue: z.string(), underlying: z.string(), price: Finite })).default([]),
  tickerForwards: z.array(z.object({ venue: z.string(), underlying: z.string() })).default([]),
});
export type BookCoreState = z.infer<typeof BookCoreState>;
