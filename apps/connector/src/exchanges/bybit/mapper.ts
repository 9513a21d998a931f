import {
  SCHEMA_VERSION, TOKEN_RE, eventId,
  type BookDelta, type BookSnapshot, type InstrumentDef, type Level, type MdEvent, type OptionTicker,
} from '@volstream/events';
import type { MapResult } from '../../venue.ts';
import type { RegistryContext } from '../../session/pipeline.ts';
import type { StreamControl } from '../../session/stream-control.ts';
import { dec, ivFraction, nonNegative, positive, type StrLevel } from '../common/numbers.ts';
import { compact, issues, parseJson, reject, neverThrows } from '../common/result.ts';
import { parseBybitSymbol } from './names.ts';
import { eventInstrument } from '../common/expiry.ts';
import { BookDataRaw, InstrumentRaw, InstrumentsAnswerRaw, OpAnswerRaw, TickerDataRaw, TopicRaw } from './raw.ts';

/**
 * Bybit v5 option frames -> normalised MD events. Pure, never throws; rules and units in
 * MAPPING_RULES.md beside this file.
 */

export const VENUE = 'bybit';

export type BybitContext = RegistryContext;
export type BybitMapResult = MapResult<StreamControl>;

const IGNORED_TOPICS = new Set(['publicTrade', 'kline', 'liquidation', 'allLiquidation']);
/** Wording of Bybit's rate-limit answers is not documented for websockets (UNVERIFIED): match loosely. */
const RATE_LIMIT_RE = /too many (requests|visits)|rate limit|too frequent/i;

export const mapBybitMessage: (frame: string, recvTs: number, ctx: BybitContext) => BybitMapResult = neverThrows(mapFrame);

function mapFrame(frame: string, recvTs: number, ctx: BybitContext): BybitMapResult {
  const json = parseJson(frame);
  if (!json.ok) return reject('malformed JSON');
  const o = json.value;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return reject('not a Bybit frame: not a JSON object');
  if ('topic' in o) return mapTopic(o, recvTs, ctx);
  if ('op' in o) return mapOp(o);
  if ('retCode' in o) return mapInstruments(o, recvTs);
  return reject('not a Bybit frame: no topic, op or retCode');
}

function mapOp(o: object): BybitMapResult {
  const r = OpAnswerRaw.safeParse(o);
  if (!r.success) return reject(`op answer: ${issues(r.error)}`);
  const a = r.data;
  const reqId = a.req_id ? { reqId: a.req_id } : {};
  // tardis-node treats ret_msg "pong" or op "pong" as the keep-alive answer (EXCHANGES.md §3).
  if (a.op === 'pong' || (a.op === 'ping' && a.ret_msg === 'pong')) return { events: [], ignored: 'pong', control: { kind: 'pong' } };
  if (a.success === false) {
    const message = a.ret_msg ?? '';
    return { events: [], ignored: `${a.op} failed`, control: { kind: 'error', ...reqId, code: message.slice(0, 60), message, rateLimited: RATE_LIMIT_RE.test(message) } };
  }
  if (a.op === 'subscribe' || a.op === 'unsubscribe') return { events: [], ignored: `${a.op} answer`, control: { kind: 'ack', op: a.op, ...reqId } };
  return { events: [], ignored: `op ${JSON.stringify(a.op)} answer` };
}

function mapTopic(o: object, recvTs: number, ctx: BybitContext): BybitMapResult {
  const r = TopicRaw.safeParse(o);
  if (!r.success) return reject(`push: ${issues(r.error)}`);
  const { topic, type, ts, data } = r.data;
  const control: StreamControl = { kind: 'data', channel: topic };
  const kind = topic.slice(0, topic.indexOf('.'));
  const out = (m: { events: MdEvent[] } | { reason: string } | { ignored: string }): BybitMapResult =>
    'reason' in m ? { events: [], rejected: { reason: `${topic}: ${m.reason}` }, control } : 'ignored' in m ? { events: [], ignored: m.ignored, control } : { events: m.events, control };
  if (kind === 'orderbook') return out(mapBook(type, ts, data, recvTs, ctx));
  if (kind === 'tickers') return out(mapTicker(ts, data, recvTs, ctx));
  if (IGNORED_TOPICS.has(kind)) return out({ ignored: `topic ${kind} not mapped` });
  return reject(`unknown topic ${JSON.stringify(topic)}`);
}

type Option = { underlying: string; expiryTs: number };

function option(symbol: string, ctx: BybitContext): Option | { reason: string } {
  const known = ctx.instruments.get(eventInstrument(symbol));
  if (known?.expiryTs !== undefined) return { underlying: known.underlying, expiryTs: known.expiryTs };
  const p = parseBybitSymbol(symbol);
  if (!p) return { reason: `unrecognised option symbol ${JSON.stringify(symbol)}` };
  if (!TOKEN_RE.test(p.base)) return { reason: `base ${JSON.stringify(p.base)} is not a subject token` };
  return { underlying: p.base, expiryTs: p.expiryTs };
}

function mapBook(type: string | undefined, ts: number, data: unknown, recvTs: number, ctx: BybitContext): { events: MdEvent[] } | { reason: string } {
  const r = BookDataRaw.safeParse(data);
  if (!r.success) return { reason: issues(r.error) };
  const d = r.data;
  const o = option(d.s, ctx);
  if ('reason' in o) return o;
  const name = eventInstrument(d.s);
  const base = { v: SCHEMA_VERSION, venue: VENUE, ts, recvTs, instrument: name, underlying: o.underlying, expiryTs: o.expiryTs } as const;
  // A snapshot resets the book; u = 1 is a service restart: overwrite the book too (Bybit docs,
  // orderbook.mdx). u restarts at 1, so ids carry the push time to stay unique.
  if (type === 'snapshot' || d.u === 1) {
    const ev: BookSnapshot = { type: 'md.book.snapshot', id: eventId(VENUE, 'book', name, d.u, ts, 'snapshot'), ...base, seq: d.u, bids: levels(d.b, true), asks: levels(d.a, true) };
    return { events: [ev] };
  }
  if (type !== 'delta') return { reason: `book type ${JSON.stringify(type)} is neither snapshot nor delta` };
  // "u: update id, normally consecutive" (Bybit docs): each delta follows u - 1.
  const ev: BookDelta = { type: 'md.book.delta', id: eventId(VENUE, 'book', name, d.u, ts), ...base, seq: d.u, prevSeq: d.u - 1, bids: levels(d.b, false), asks: levels(d.a, false) };
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

function mapTicker(ts: number, data: unknown, recvTs: number, ctx: BybitContext): { events: MdEvent[] } | { reason: string } {
  const r = TickerDataRaw.safeParse(data);
  if (!r.success) return { reason: issues(r.error) };
  const d = r.data;
  const o = option(d.symbol, ctx);
  if ('reason' in o) return o;
  const ev = compact<OptionTicker>({
    type: 'md.ticker', v: SCHEMA_VERSION, id: eventId(VENUE, 'ticker', eventInstrument(d.symbol), ts), venue: VENUE, ts, recvTs,
    instrument: eventInstrument(d.symbol), underlying: o.underlying, expiryTs: o.expiryTs,
    underlyingPrice: positive(d.underlyingPrice), indexPrice: positive(d.indexPrice), markPrice: nonNegative(d.markPrice),
    bestBid: positive(d.bidPrice), bestAsk: positive(d.askPrice),
    markIv: ivFraction(d.markPriceIv), bidIv: ivFraction(d.bidIv), askIv: ivFraction(d.askIv),
  });
  return { events: [ev] };
}

/**
 * `GET /v5/market/instruments-info?category=option` (the session records the REST body as a
 * frame). Options are linear, premium in the settle coin (USDC; USDT for suffixed symbols),
 * one contract = one unit of the base coin.
 */
function mapInstruments(o: object, recvTs: number): BybitMapResult {
  const r = InstrumentsAnswerRaw.safeParse(o);
  if (!r.success) return reject(`instruments answer: ${issues(r.error)}`);
  if (r.data.retCode !== 0) return reject(`REST error ${r.data.retCode}: ${r.data.retMsg ?? ''}`);
  const ts = r.data.time ?? recvTs;
  const events: MdEvent[] = [];
  const bad: string[] = [];
  const list = r.data.result?.list ?? [];
  list.forEach((el, i) => {
    const e = InstrumentRaw.safeParse(el);
    if (!e.success) return void bad.push(`#${i}: ${issues(e.error)}`);
    const d = e.data;
    const p = parseBybitSymbol(d.symbol);
    if (!p) return void bad.push(`#${i}: unrecognised option symbol ${JSON.stringify(d.symbol)}`);
    if (!TOKEN_RE.test(d.baseCoin)) return void bad.push(`#${i}: baseCoin not a subject token`);
    const expiryTs = dec(d.deliveryTime) ?? p.expiryTs;
    events.push(compact<InstrumentDef>({
      type: 'md.instrument', v: SCHEMA_VERSION, id: eventId(VENUE, 'instrument', eventInstrument(d.symbol), d.status), venue: VENUE, ts, recvTs,
      instrument: eventInstrument(d.symbol), underlying: d.baseCoin, kind: 'option', expiryTs, strike: p.strike, optionType: p.optionType,
      settlement: 'linear', contractSize: 1, quoteCurrency: d.settleCoin ?? p.settle ?? 'USDC', tickSize: positive(d.priceFilter?.tickSize),
      active: d.status === 'Trading',
    }));
  });
  if (bad.length) return { events, rejected: { reason: `instruments: ${bad.length} of ${list.length} invalid: ${bad.slice(0, 3).join('; ')}` } };
  return events.length ? { events } : { events, ignored: 'empty instrument list' };
}
