import {
  SCHEMA_VERSION, TOKEN_RE, eventId,
  type BookDelta, type BookSnapshot, type IndexPrice, type InstrumentDef, type Level, type MdEvent, type OptionTicker,
} from '@volstream/events';
import type { MapResult } from '../../venue.ts';
import type { RegistryContext } from '../../session/pipeline.ts';
import type { StreamControl } from '../../session/stream-control.ts';
import { ivFraction, nonNegative, positive, type StrLevel } from '../common/numbers.ts';
import { compact, issues, parseJson, reject, neverThrows } from '../common/result.ts';
import { eventInstrument } from '../common/expiry.ts';
import { baseOfUnderlying, parseBinanceSymbol } from './names.ts';
import {
  AnswerRaw, BookTickerRaw, CombinedRaw, DepthRaw, EventTypeRaw, ExchangeInfoRaw, IndexRaw, MarkPriceRaw, OptionPairRaw, OptionSymbolRaw, TickerRaw,
} from './raw.ts';

/**
 * Binance European-options frames (2023 and 2025 stream formats) -> normalised MD events.
 * Pure, never throws; rules and units in MAPPING_RULES.md beside this file.
 */

export const VENUE = 'binance';

export type BinanceContext = RegistryContext;
export type BinanceMapResult = MapResult<StreamControl>;

/** Event types we know and do not map. */
const IGNORED_EVENTS = new Set(['trade', 'trade_all', 'openInterest', 'kline']);
const RATE_LIMIT_RE = /too many (requests|visits)|rate limit|too frequent/i;

export const mapBinanceMessage: (frame: string, recvTs: number, ctx: BinanceContext) => BinanceMapResult = neverThrows(mapFrame);

function mapFrame(frame: string, recvTs: number, ctx: BinanceContext): BinanceMapResult {
  const json = parseJson(frame);
  if (!json.ok) return reject('malformed JSON');
  const o = json.value;
  if (typeof o !== 'object' || o === null) return reject('not a Binance frame: not a JSON object or array');
  if (!Array.isArray(o)) {
    if ('stream' in o) {
      const c = CombinedRaw.safeParse(o);
      if (!c.success) return reject(`combined stream: ${issues(c.error)}`);
      const r = mapPayload(c.data.data, c.data.stream, recvTs, ctx);
      const control: StreamControl = { kind: 'data', channel: c.data.stream };
      return { ...r, control };
    }
    if ('optionSymbols' in o) return mapExchangeInfo(o, recvTs);
    if ('result' in o || 'error' in o) return mapAnswer(o);
  }
  // A raw `/ws/<stream>` connection sends the payload without the wrapper.
  return mapPayload(o, undefined, recvTs, ctx);
}

function mapAnswer(o: object): BinanceMapResult {
  const r = AnswerRaw.safeParse(o);
  if (!r.success) return reject(`answer: ${issues(r.error)}`);
  const reqId = r.data.id != null ? { reqId: String(r.data.id) } : {};
  if (r.data.error) {
    const { code, msg } = r.data.error;
    return { events: [], ignored: 'error answer', control: { kind: 'error', ...reqId, code: String(code), message: msg, rateLimited: RATE_LIMIT_RE.test(msg) } };
  }
  // SUBSCRIBE and UNSUBSCRIBE both answer `result: null`: the session knows which by the id.
  return { events: [], ignored: 'request answer', control: { kind: 'ack', op: 'subscribe', ...reqId } };
}

type Mapped = { events: MdEvent[]; reason?: string; ignored?: string };

function mapPayload(data: unknown, stream: string | undefined, recvTs: number, ctx: BinanceContext): BinanceMapResult {
  const rows = Array.isArray(data) ? data : [data];
  const events: MdEvent[] = [];
  const bad: string[] = [];
  let ignored: string | undefined;
  rows.forEach((row, i) => {
    const m = mapRow(row, stream, recvTs, ctx);
    events.push(...m.events);
    if (m.reason) bad.push(rows.length > 1 ? `#${i}: ${m.reason}` : m.reason);
    if (m.ignored) ignored ??= m.ignored;
  });
  const where = stream ?? 'payload';
  if (bad.length) return { events, rejected: { reason: `${where}: ${bad.length > 1 ? `${bad.length} of ${rows.length} rows invalid: ` : ''}${bad.slice(0, 3).join('; ')}` } };
  if (!events.length) return { events, ignored: ignored ?? 'empty payload' };
  return { events };
}

function mapRow(row: unknown, stream: string | undefined, recvTs: number, ctx: BinanceContext): Mapped {
  const t = EventTypeRaw.safeParse(row);
  if (!t.success) return { events: [], reason: `no event type: ${issues(t.error)}` };
  switch (t.data.e) {
    case 'depth':
    case 'depthUpdate':
      return depth(row, stream, recvTs, ctx);
    case '24hrTicker':
      return ticker(row, recvTs, ctx);
    case 'markPrice':
      return markPrice(row, recvTs, ctx);
    case 'bookTicker':
      return bookTicker(row, recvTs, ctx);
    case 'index':
      return index(row, recvTs);
    case 'OPTION_PAIR':
      return optionPair(row, recvTs);
    default:
      if (IGNORED_EVENTS.has(t.data.e)) return { events: [], ignored: `event ${t.data.e} not mapped` };
      return { events: [], reason: `unknown event type ${JSON.stringify(t.data.e)}` };
  }
}

type Option = { underlying: string; expiryTs: number };

function option(symbol: string, ctx: BinanceContext): Option | string {
  const known = ctx.instruments.get(eventInstrument(symbol));
  if (known?.expiryTs !== undefined) return { underlying: known.underlying, expiryTs: known.expiryTs };
  const p = parseBinanceSymbol(symbol);
  if (!p) return `unrecognised option symbol ${JSON.stringify(symbol)}`;
  if (!TOKEN_RE.test(p.base)) return `base ${JSON.stringify(p.base)} is not a subject token`;
  return { underlying: p.base, expiryTs: p.expiryTs };
}

/** A diff-depth stream (`<symbol>@depth@100ms`, no level count) carries deltas; partial-depth ones full books. */
function isDiffStream(stream: string | undefined): boolean {
  return stream !== undefined && /@depth(@|$)/.test(stream);
}

function depth(row: unknown, stream: string | undefined, recvTs: number, ctx: BinanceContext): Mapped {
  const r = DepthRaw.safeParse(row);
  if (!r.success) return { events: [], reason: issues(r.error) };
  const d = r.data;
  const o = option(d.s, ctx);
  if (typeof o === 'string') return { events: [], reason: o };
  const name = eventInstrument(d.s);
  const base = { v: SCHEMA_VERSION, venue: VENUE, ts: d.E, recvTs, instrument: name, underlying: o.underlying, expiryTs: o.expiryTs } as const;
  if (isDiffStream(stream)) {
    if (d.pu === undefined) return { events: [], reason: 'diff depth without pu' };
    // Continuity: each event's pu equals the previous event's u (Binance depth rules).
    const ev: BookDelta = { type: 'md.book.delta', id: eventId(VENUE, 'book', name, d.u), ...base, seq: d.u, prevSeq: d.pu, bids: levels(d.b, false), asks: levels(d.a, false) };
    return { events: [ev] };
  }
  // Partial depth (`@depth10/20/50/100`): the top N levels in full, every push (tardis-node too).
  const ev: BookSnapshot = { type: 'md.book.snapshot', id: eventId(VENUE, 'book', name, d.u, 'snapshot'), ...base, seq: d.u, bids: levels(d.b, true), asks: levels(d.a, true) };
  return { events: [ev] };
}

function levels(raw: readonly StrLevel[], snapshot: boolean): Level[] {
  const out: Level[] = [];
  for (const l of raw) {
    const size = Number(l[1]);
    if (size < 0) throw new RangeError(`negative size ${l[1]}`);
    if (snapshot && size === 0) continue;
    out.push([Number(l[0]), size]);
  }
  return out;
}

function ticker(row: unknown, recvTs: number, ctx: BinanceContext): Mapped {
  const r = TickerRaw.safeParse(row);
  if (!r.success) return { events: [], reason: issues(r.error) };
  const d = r.data;
  // The 2025 optionTicker carries 24 h statistics only (no best prices, no IVs): nothing to map.
  if (d.bo === undefined && d.vo === undefined && d.mp === undefined) return { events: [], ignored: '24h statistics without quotes (2025 optionTicker)' };
  const o = option(d.s, ctx);
  if (typeof o === 'string') return { events: [], reason: o };
  return {
    events: [compact<OptionTicker>({
      type: 'md.ticker', v: SCHEMA_VERSION, id: eventId(VENUE, 'ticker', eventInstrument(d.s), d.E), venue: VENUE, ts: d.E, recvTs,
      instrument: eventInstrument(d.s), underlying: o.underlying, expiryTs: o.expiryTs,
      markPrice: nonNegative(d.mp), bestBid: positive(d.bo), bestAsk: positive(d.ao),
      markIv: ivFraction(d.vo), bidIv: ivFraction(d.b), askIv: ivFraction(d.a),
    })],
  };
}

function markPrice(row: unknown, recvTs: number, ctx: BinanceContext): Mapped {
  const r = MarkPriceRaw.safeParse(row);
  if (!r.success) return { events: [], reason: issues(r.error) };
  const d = r.data;
  const o = option(d.s, ctx);
  if (typeof o === 'string') return { events: [], reason: o };
  return {
    events: [compact<OptionTicker>({
      type: 'md.ticker', v: SCHEMA_VERSION, id: eventId(VENUE, 'mark', eventInstrument(d.s), d.E), venue: VENUE, ts: d.E, recvTs,
      instrument: eventInstrument(d.s), underlying: o.underlying, expiryTs: o.expiryTs,
      // `i` is the spot index (EXCHANGES.md §4), not a forward: indexPrice, never underlyingPrice.
      indexPrice: positive(d.i), markPrice: nonNegative(d.mp), bestBid: positive(d.bo), bestAsk: positive(d.ao),
      markIv: ivFraction(d.vo), bidIv: ivFraction(d.b), askIv: ivFraction(d.a),
    })],
  };
}

function bookTicker(row: unknown, recvTs: number, ctx: BinanceContext): Mapped {
  const r = BookTickerRaw.safeParse(row);
  if (!r.success) return { events: [], reason: issues(r.error) };
  const d = r.data;
  const o = option(d.s, ctx);
  if (typeof o === 'string') return { events: [], reason: o };
  return {
    events: [compact<OptionTicker>({
      type: 'md.ticker', v: SCHEMA_VERSION, id: eventId(VENUE, 'bbo', eventInstrument(d.s), d.u ?? d.E), venue: VENUE, ts: d.E, recvTs,
      instrument: eventInstrument(d.s), underlying: o.underlying, expiryTs: o.expiryTs, bestBid: positive(d.b), bestAsk: positive(d.a),
    })],
  };
}

function index(row: unknown, recvTs: number): Mapped {
  const r = IndexRaw.safeParse(row);
  if (!r.success) return { events: [], reason: issues(r.error) };
  const d = r.data;
  const underlying = baseOfUnderlying(d.s);
  if (underlying === undefined) return { events: [], reason: `index symbol ${JSON.stringify(d.s)} is not <BASE>USDT` };
  const price = positive(d.p);
  if (price === undefined) return { events: [], reason: `index price ${JSON.stringify(d.p)} is not positive` };
  const ev: IndexPrice = { type: 'md.index', v: SCHEMA_VERSION, id: eventId(VENUE, 'index', d.s, d.E), venue: VENUE, ts: d.E, recvTs, underlying, indexName: d.s, price };
  return { events: [ev] };
}

/** Listings are linear, premium in the quote asset per contract of `unit` underlying. */
function listing(p: { symbol: string; underlying: string; quote: string; unit: number; side: 'CALL' | 'PUT'; strike: string | number; expiryTs: number; status: string; tickSize?: string | undefined; ts: number; recvTs: number }): InstrumentDef | string {
  const name = parseBinanceSymbol(p.symbol);
  if (!name) return `unrecognised option symbol ${JSON.stringify(p.symbol)}`;
  const underlying = baseOfUnderlying(p.underlying) ?? name.base;
  if (!TOKEN_RE.test(underlying)) return `underlying ${JSON.stringify(underlying)} is not a subject token`;
  const strike = positive(p.strike);
  if (strike === undefined) return `strike ${JSON.stringify(p.strike)} is not positive`;
  return compact<InstrumentDef>({
    type: 'md.instrument', v: SCHEMA_VERSION, id: eventId(VENUE, 'instrument', eventInstrument(p.symbol), p.status), venue: VENUE, ts: p.ts, recvTs: p.recvTs,
    instrument: eventInstrument(p.symbol), underlying, kind: 'option', expiryTs: p.expiryTs, strike, optionType: p.side === 'CALL' ? 'call' : 'put',
    settlement: 'linear', contractSize: p.unit, quoteCurrency: p.quote, tickSize: positive(p.tickSize), active: p.status === 'TRADING',
  });
}

function optionPair(row: unknown, recvTs: number): Mapped {
  const r = OptionPairRaw.safeParse(row);
  if (!r.success) return { events: [], reason: issues(r.error) };
  const d = r.data;
  const ev = listing({ symbol: d.s, underlying: d.u, quote: d.qa, unit: d.unit, side: d.d, strike: d.sp, expiryTs: d.ed, status: 'TRADING', ts: d.E, recvTs });
  return typeof ev === 'string' ? { events: [], reason: ev } : { events: [ev] };
}

function mapExchangeInfo(o: object, recvTs: number): BinanceMapResult {
  const r = ExchangeInfoRaw.safeParse(o);
  if (!r.success) return reject(`exchangeInfo: ${issues(r.error)}`);
  const ts = r.data.serverTime ?? recvTs;
  const events: MdEvent[] = [];
  const bad: string[] = [];
  r.data.optionSymbols.forEach((el, i) => {
    const s = OptionSymbolRaw.safeParse(el);
    if (!s.success) return void bad.push(`#${i}: ${issues(s.error)}`);
    const d = s.data;
    const tickSize = d.filters?.find((f) => f.filterType === 'PRICE_FILTER')?.tickSize;
    const ev = listing({ symbol: d.symbol, underlying: d.underlying, quote: d.quoteAsset, unit: d.unit, side: d.side, strike: d.strikePrice, expiryTs: d.expiryDate, status: d.status ?? 'TRADING', tickSize, ts, recvTs });
    if (typeof ev === 'string') bad.push(`#${i}: ${ev}`);
    else events.push(ev);
  });
  if (bad.length) return { events, rejected: { reason: `exchangeInfo: ${bad.length} of ${r.data.optionSymbols.length} symbols invalid: ${bad.slice(0, 3).join('; ')}` } };
  return events.length ? { events } : { events, ignored: 'no option symbols' };
}
