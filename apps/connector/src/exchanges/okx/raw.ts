import { z } from 'zod';
import { StrLevel, TsRaw } from '../common/numbers.ts';

/**
 * zod schemas of OKX v5 public frames, with OKX's own field names (STYLE.md habit 5). Numbers
 * arrive as strings; only fields we map are declared (zod drops the rest).
 */

export const ArgRaw = z.object({
  channel: z.string().min(1),
  instId: z.string().optional(),
  instFamily: z.string().optional(),
  uly: z.string().optional(),
  instType: z.string().optional(),
});
export type ArgRaw = z.infer<typeof ArgRaw>;

/** `{"event":"subscribe"|"unsubscribe"|"error"|"notice", …}` answers. */
export const EventRaw = z.object({
  event: z.string(),
  id: z.string().optional(),
  arg: ArgRaw.optional(),
  code: z.string().optional(),
  msg: z.string().optional(),
});

/** A channel push: `{arg, action?, data: [...]}`. */
export const PushRaw = z.object({
  arg: ArgRaw,
  action: z.enum(['snapshot', 'update']).optional(),
  data: z.array(z.unknown()),
});

/** `books`, `books5`, `bbo-tbt`, `books-l2-tbt`, `books50-l2-tbt` data element. */
export const BookDataRaw = z.object({
  asks: z.array(StrLevel),
  bids: z.array(StrLevel),
  ts: TsRaw,
  checksum: z.number().int().optional(),
  seqId: z.number().int().optional(),
  prevSeqId: z.number().int().optional(),
});
export type BookDataRaw = z.infer<typeof BookDataRaw>;

/** `opt-summary` element: greeks and IVs (fractions) of one option. */
export const OptSummaryRaw = z.object({
  instId: z.string().min(1),
  markVol: z.string().optional(),
  bidVol: z.string().optional(),
  askVol: z.string().optional(),
  /** Forward price (added after 2021; absent in the real 2021 captures). */
  fwdPx: z.string().optional(),
  ts: TsRaw,
});

export const IndexTickerRaw = z.object({ instId: z.string().min(1), idxPx: z.string(), ts: TsRaw });

export const MarkPriceRaw = z.object({ instId: z.string().min(1), instType: z.string(), markPx: z.string(), ts: TsRaw });

export const TickerRaw = z.object({
  instType: z.string(),
  instId: z.string().min(1),
  bidPx: z.string().optional(),
  askPx: z.string().optional(),
  last: z.string().optional(),
  ts: TsRaw,
});

/** An instrument of `instruments` (websocket channel) or `GET /api/v5/public/instruments`. */
export const InstrumentRaw = z.object({
  instType: z.string(),
  instId: z.string().min(1),
  uly: z.string().optional(),
  instFamily: z.string().optional(),
  settleCcy: z.string().optional(),
  ctVal: z.string(),
  ctMult: z.string(),
  ctValCcy: z.string().optional(),
  optType: z.string().optional(),
  stk: z.string().optional(),
  listTime: z.string().optional(),
  expTime: z.string().optional(),
  tickSz: z.string().optional(),
  state: z.string(),
});
export type InstrumentRaw = z.infer<typeof InstrumentRaw>;

/** A REST answer `{"code":"0","msg":"","data":[…]}`. */
export const RestRaw = z.object({ code: z.string(), msg: z.string().optional(), data: z.array(z.unknown()).optional() });
