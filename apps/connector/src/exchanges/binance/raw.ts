import { z } from 'zod';
import { StrLevel, TsRaw } from '../common/numbers.ts';

/** zod schemas of Binance European-options frames, with Binance's one-letter field names. */

export const CombinedRaw = z.object({ stream: z.string().min(1), data: z.unknown() });

/** Answers to SUBSCRIBE/UNSUBSCRIBE: `{"result":null,"id":1}` or `{"error":{code,msg},"id":1}`. */
export const AnswerRaw = z.object({
  id: z.union([z.number(), z.string()]).nullable().optional(),
  result: z.unknown().optional(),
  error: z.object({ code: z.number(), msg: z.string() }).optional(),
});

export const EventTypeRaw = z.object({ e: z.string() });

/** 2023 `@depth100@100ms` (e `depth`, u == pu) and 2025 `@depth20@100ms` / diff `@depth@100ms` (e `depthUpdate`, U/u/pu). */
export const DepthRaw = z.object({
  e: z.enum(['depth', 'depthUpdate']),
  E: TsRaw,
  T: TsRaw.optional(),
  s: z.string().min(1),
  U: z.number().int().optional(),
  u: z.number().int(),
  pu: z.number().int().optional(),
  b: z.array(StrLevel),
  a: z.array(StrLevel),
});

/** `24hrTicker`: the 2023 option ticker has best prices and IVs; the 2025 one only statistics. */
export const TickerRaw = z.object({
  e: z.literal('24hrTicker'),
  E: TsRaw,
  s: z.string().min(1),
  bo: z.string().optional(),
  ao: z.string().optional(),
  b: z.string().optional(),
  a: z.string().optional(),
  vo: z.string().optional(),
  mp: z.string().optional(),
});

/** `markPrice` rows: 2023 `{s, mp}`; 2025 optionMarkPrice adds index, best prices and IVs. */
export const MarkPriceRaw = z.object({
  e: z.literal('markPrice'),
  E: TsRaw,
  s: z.string().min(1),
  mp: z.string(),
  i: z.string().optional(),
  bo: z.string().optional(),
  ao: z.string().optional(),
  b: z.string().optional(),
  a: z.string().optional(),
  vo: z.string().optional(),
});

export const BookTickerRaw = z.object({ e: z.literal('bookTicker'), E: TsRaw, s: z.string().min(1), u: z.number().int().optional(), b: z.string(), a: z.string() });

export const IndexRaw = z.object({ e: z.literal('index'), E: TsRaw, s: z.string().min(1), p: z.string() });

/** `option_pair` new listing (EXCHANGES-linked Binance docs "New Symbol Info"). */
export const OptionPairRaw = z.object({
  e: z.literal('OPTION_PAIR'),
  E: TsRaw,
  u: z.string().min(1),
  qa: z.string().min(1),
  s: z.string().min(1),
  unit: z.number().positive(),
  d: z.enum(['CALL', 'PUT']),
  sp: z.string(),
  ed: z.number().int(),
});

/** `GET /eapi/v1/exchangeInfo`: `optionSymbols`. */
export const ExchangeInfoRaw = z.object({ serverTime: TsRaw.optional(), optionSymbols: z.array(z.unknown()) });
export const OptionSymbolRaw = z.object({
  symbol: z.string().min(1),
  side: z.enum(['CALL', 'PUT']),
  strikePrice: z.union([z.string(), z.number()]),
  underlying: z.string().min(1),
  unit: z.number().positive(),
  expiryDate: z.number().int(),
  quoteAsset: z.string().min(1),
  status: z.string().optional(),
  filters: z.array(z.object({ filterType: z.string(), tickSize: z.string().optional() })).optional(),
});
