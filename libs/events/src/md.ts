import { z } from 'zod';
import { EventBase, Finite, Level, Millis, OptionType, Settlement, TOKEN_RE } from './common.ts';

/** Instrument definition as listed by the venue. Options carry strike and type; futures only expiry. */
export const InstrumentDef = EventBase.extend({
  type: z.literal('md.instrument'),
  instrument: z.string().min(1),
  underlying: z.string().regex(TOKEN_RE),
  kind: z.enum(['option', 'future', 'perpetual']),
  expiryTs: Millis.optional(),
  strike: Finite.positive().optional(),
  optionType: OptionType.optional(),
  settlement: Settlement,
  contractSize: Finite.positive(),
  /** Currency the premium is quoted in: 'BTC'/'ETH' for inverse, 'USDC'/'USDT'/'USD' for linear. */
  quoteCurrency: z.string().min(1),
  tickSize: Finite.positive().optional(),
  active: z.boolean(),
});
export type InstrumentDef = z.infer<typeof InstrumentDef>;

const BookFields = {
  instrument: z.string().min(1),
  underlying: z.string().regex(TOKEN_RE),
  expiryTs: Millis.optional(),
  /** The venue's sequence number of this message (Deribit change_id, OKX seqId, Bybit u). */
  seq: z.number().int(),
  bids: z.array(Level),
  asks: z.array(Level),
};

/** Full book: replaces both sides. */
export const BookSnapshot = EventBase.extend({ type: z.literal('md.book.snapshot'), ...BookFields });
export type BookSnapshot = z.infer<typeof BookSnapshot>;

/** Incremental change; continuity holds iff prevSeq equals the seq of the previous message for
 * the instrument. A level with amount 0 is deleted. */
export const BookDelta = EventBase.extend({
  type: z.literal('md.book.delta'),
  ...BookFields,
  prevSeq: z.number().int(),
});
export type BookDelta = z.infer<typeof BookDelta>;

/** Spot index price of an underlying (Deribit deribit_price_index). */
export const IndexPrice = EventBase.extend({
  type: z.literal('md.index'),
  underlying: z.string().regex(TOKEN_RE),
  indexName: z.string().min(1),
  price: Finite.positive(),
});
export type IndexPrice = z.infer<typeof IndexPrice>;

/** Futures / perpetual price (mark, and last trade when known). */
export const FuturePrice = EventBase.extend({
  type: z.literal('md.future'),
  instrument: z.string().min(1),
  underlying: z.string().regex(TOKEN_RE),
  /** Absent for perpetuals. */
  expiryTs: Millis.optional(),
  markPrice: Finite.positive(),
  lastPrice: Finite.positive().optional(),
  indexPrice: Finite.positive().optional(),
});
export type FuturePrice = z.infer<typeof FuturePrice>;

/** Venue's option ticker. IVs are FRACTIONS here whatever the venue sends (Deribit: percent). */
export const OptionTicker = EventBase.extend({
  type: z.literal('md.ticker'),
  instrument: z.string().min(1),
  underlying: z.string().regex(TOKEN_RE),
  expiryTs: Millis,
  /** Price the venue uses as the forward for this option's IV (Deribit underlying_price). */
  underlyingPrice: Finite.positive().optional(),
  /** Name of that underlying: a future, a synthetic `SYN.…`, or `index_price`. */
  underlyingIndex: z.string().optional(),
  indexPrice: Finite.positive().optional(),
  /** Premium-currency prices (coin for inverse options). */
  markPrice: Finite.nonnegative().optional(),
  bestBid: Finite.nonnegative().optional(),
  bestAsk: Finite.nonnegative().optional(),
  markIv: Finite.nonnegative().optional(),
  bidIv: Finite.nonnegative().optional(),
  askIv: Finite.nonnegative().optional(),
});
export type OptionTicker = z.infer<typeof OptionTicker>;
