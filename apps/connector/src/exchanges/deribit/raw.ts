import { z } from 'zod';
import { MAX_TS, MIN_TS } from '../common/numbers.ts';

/**
 * zod schemas of Deribit's JSON-RPC frames, with Deribit's own field names (STYLE.md habit 5).
 * Only the fields we map are declared; zod drops the rest. zod 4's `z.number()` rejects
 * Infinity (JSON `1e999`), so every number here is finite.
 */

export { MIN_TS, MAX_TS };
const Ts = z.number().int().min(MIN_TS).max(MAX_TS);
const Num = z.number();
/** Optional numeric field that Deribit sends as null when there is no value. */
const OptNum = Num.nullable().optional();

export const RpcErrorRaw = z.object({
  code: z.number().int(),
  message: z.string(),
  /** e.g. `{ param, reason }` for -32602 Invalid params. */
  data: z.unknown().optional(),
});

/** Every frame: a response (id + result | error) or a notification (method + params). */
export const EnvelopeRaw = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.number().int().optional(),
  method: z.string().optional(),
  params: z.unknown().optional(),
  result: z.unknown().optional(),
  error: RpcErrorRaw.optional(),
  /** Server times in µs (response only). */
  usIn: z.number().int().nonnegative().optional(),
  usOut: z.number().int().nonnegative().optional(),
});
export type EnvelopeRaw = z.infer<typeof EnvelopeRaw>;

export const HeartbeatParamsRaw = z.object({ type: z.enum(['heartbeat', 'test_request']) });

export const SubscriptionParamsRaw = z.object({ channel: z.string().min(1), data: z.unknown() });

/** `book.{instrument}.{interval}`: levels are [action, price, amount]; delete carries 0. */
const ActionLevel = z.tuple([z.enum(['new', 'change', 'delete']), Num, Num.nonnegative()]);
export const BookDataRaw = z.object({
  type: z.enum(['snapshot', 'change']).optional(),
  timestamp: Ts,
  instrument_name: z.string().min(1),
  change_id: z.number().int(),
  prev_change_id: z.number().int().optional(),
  bids: z.array(ActionLevel),
  asks: z.array(ActionLevel),
});
export type BookDataRaw = z.infer<typeof BookDataRaw>;

/** `book.{instrument}.{group}.{depth}.{interval}` and REST order books: [price, amount] pairs. */
const PlainLevel = z.tuple([Num, Num.nonnegative()]);
export const GroupedBookDataRaw = z.object({
  timestamp: Ts,
  instrument_name: z.string().min(1),
  change_id: z.number().int(),
  bids: z.array(PlainLevel),
  asks: z.array(PlainLevel),
});

/** `ticker.{instrument}.{interval}` data (also the ticker half of `public/get_order_book`). */
export const TickerDataRaw = z.object({
  timestamp: Ts,
  instrument_name: z.string().min(1),
  state: z.string().optional(),
  mark_price: OptNum,
  last_price: OptNum,
  index_price: OptNum,
  best_bid_price: OptNum,
  best_ask_price: OptNum,
  /** Options only: the forward Deribit's IVs use, and its name (future, SYN.…, index_price). */
  underlying_price: OptNum,
  underlying_index: z.string().nullable().optional(),
  /** Options only, in PERCENT. */
  mark_iv: OptNum,
  bid_iv: OptNum,
  ask_iv: OptNum,
  /** Present on combination instruments only. */
  combo_state: z.string().optional(),
});
export type TickerDataRaw = z.infer<typeof TickerDataRaw>;

/** `public/get_order_book` result: ticker fields plus a [price, amount] book. */
export const OrderBookResultRaw = TickerDataRaw.extend({
  change_id: z.number().int(),
  bids: z.array(PlainLevel),
  asks: z.array(PlainLevel),
});

/** `deribit_price_index.{index_name}` data. */
export const IndexDataRaw = z.object({
  index_name: z.string().regex(/^[a-z0-9]+_[a-z0-9]+$/),
  price: Num,
  timestamp: Ts,
});

/** One element of a `public/get_instruments` result. */
export const InstrumentRaw = z.object({
  kind: z.string(),
  instrument_name: z.string().min(1),
  is_active: z.boolean(),
  expiration_timestamp: z.number().int().nonnegative(),
  strike: Num.positive().optional(),
  option_type: z.enum(['call', 'put']).optional(),
  /** `reversed` = inverse (premium and payoff in coin), `linear` = quote currency. */
  instrument_type: z.enum(['reversed', 'linear']).optional(),
  settlement_period: z.string().optional(),
  contract_size: Num.positive(),
  tick_size: Num.positive().optional(),
  base_currency: z.string().min(1),
  quote_currency: z.string().min(1),
  /** e.g. `btc_usd` (inverse BTC options), `sol_usdc` (linear): the index channel to watch. */
  price_index: z.string().regex(/^[a-z0-9]+_[a-z0-9]+$/).optional(),
});
export type InstrumentRaw = z.infer<typeof InstrumentRaw>;

/** `instrument.state.{kind}.{currency}` data: a listing's lifecycle (created, started, settled, closed, terminated…). */
export const InstrumentStateRaw = z.object({ instrument_name: z.string().min(1), state: z.string().min(1), timestamp: Ts });

/** An element of get_instruments vs. of get_book_summary_*: the former always has `kind`. */
export const LooksLikeInstrument = z.object({ kind: z.string(), instrument_name: z.string() });
