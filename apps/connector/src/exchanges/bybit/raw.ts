import { z } from 'zod';
import { StrLevel, TsRaw } from '../common/numbers.ts';

/** zod schemas of Bybit v5 option frames, with Bybit's field names (numbers as strings). */

/** Answers to op requests: subscribe/unsubscribe/ping. */
export const OpAnswerRaw = z.object({
  op: z.string(),
  success: z.boolean().optional(),
  ret_msg: z.string().optional(),
  req_id: z.string().optional(),
  conn_id: z.string().optional(),
});

export const TopicRaw = z.object({
  topic: z.string().min(1),
  type: z.string().optional(),
  ts: TsRaw,
  data: z.unknown(),
});

/** `orderbook.{depth}.{symbol}` data: `u` update id (consecutive; u = 1 after a service restart). */
export const BookDataRaw = z.object({
  s: z.string().min(1),
  b: z.array(StrLevel),
  a: z.array(StrLevel),
  u: z.number().int().nonnegative(),
  seq: z.number().int().optional(),
});

/** `tickers.{symbol}` data of an option (IVs are fractions). */
export const TickerDataRaw = z.object({
  symbol: z.string().min(1),
  bidPrice: z.string().optional(),
  askPrice: z.string().optional(),
  bidIv: z.string().optional(),
  askIv: z.string().optional(),
  markPrice: z.string().optional(),
  markPriceIv: z.string().optional(),
  indexPrice: z.string().optional(),
  underlyingPrice: z.string().optional(),
});

/** `GET /v5/market/instruments-info?category=option` answer. */
export const InstrumentsAnswerRaw = z.object({
  retCode: z.number().int(),
  retMsg: z.string().optional(),
  result: z.object({ category: z.string().optional(), list: z.array(z.unknown()), nextPageCursor: z.string().optional() }).optional(),
  time: TsRaw.optional(),
});

export const InstrumentRaw = z.object({
  symbol: z.string().min(1),
  optionsType: z.string().optional(),
  status: z.string(),
  baseCoin: z.string().min(1),
  quoteCoin: z.string().optional(),
  settleCoin: z.string().optional(),
  deliveryTime: z.string().optional(),
  priceFilter: z.object({ tickSize: z.string().optional() }).optional(),
});
