import {
  SCHEMA_VERSION, TOKEN_RE, eventId,
  type BookDelta, type BookSnapshot, type FuturePrice, type IndexPrice, type InstrumentDef, type Level, type MdEvent, type OptionTicker,
} from '@volstream/events';
import type { InstrumentInfo, MapResult } from '../../venue.ts';
import type { RegistryContext } from '../../session/pipeline.ts';
import type { RawStrBook, StreamControl } from '../../session/stream-control.ts';
import { dec, ivFraction, positive, type StrLevel } from '../common/numbers.ts';
import { compact, issues, parseJson, reject, neverThrows } from '../common/result.ts';
import { baseOfPair, okxChannelKey, parseOkxName } from './names.ts';
import { eventInstrument } from '../common/expiry.ts';
import {
  BookDataRaw, EventRaw, IndexTickerRaw, InstrumentRaw, MarkPriceRaw, OptSummaryRaw, PushRaw, RestRaw, TickerRaw,
  type ArgRaw, type BookDataRaw as RawBook, type InstrumentRaw as RawInstrument,
} from './raw.ts';

/**
 * OKX v5 public frames -> normalised MD events. Pure: no clock, no I/O, never throws; the
 * instrument registry is read-only context. Rules and units: MAPPING_RULES.md beside this file.
 */

export const VENUE = 'okx';

export type OkxContext = RegistryContext;
export type OkxMapResult = MapResult<StreamControl>;

/** Book channels: `books` is incremental; the others push a whole (depth-limited) book each time. */
const BOOK_CHANNELS = new Set(['books', 'books-l2-tbt', 'books50-l2-tbt', 'books5', 'bbo-tbt']);
/** Channels we know and deliberately do not map (see MAPPING_RULES.md). */
const IGNORED_CHANNELS = new Set([
  'trades', 'trades-all', 'open-interest', 'option-trades', 'estimated-price', 'price-limit', 'funding-rate', 'status', 'liquidation-orders',
]);
/** OKX 60014 "Requests too frequent" (EXCHANGES.md §2.1 limits; code from the OKX error table). */
const RATE_LIMIT_CODES = new Set(['60014']);

export const mapOkxMessage: (frame: string, recvTs: number, ctx: OkxContext) => OkxMapResult = neverThrows(mapFrame);

function mapFrame(frame: string, recvTs: number, ctx: OkxContext): OkxMapResult {
  // Keep-alive answer is the bare text `pong` (EXCHANGES.md §2.1).
  if (frame === 'pong') return { events: [], control: { kind: 'pong' }, ignored: 'pong' };
  const json = parseJson(frame);
  if (!json.ok) return reject('malformed JSON');
  const o = json.value;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return reject('not an OKX frame: not a JSON object');
  if ('event' in o) return mapEvent(o);
  if ('arg' in o) return mapPush(o, recvTs, ctx);
  if ('table' in o) return { events: [], ignored: 'retired OKEx v3 format (option/…, index/…): not mapped' };
  if ('code' in o) return mapRest(o, recvTs);
  return reject('not an OKX frame: no event, arg or code');
}

function mapEvent(o: object): OkxMapResult {
  const r = EventRaw.safeParse(o);
  if (!r.success) return reject(`event: ${issues(r.error)}`);
  const e = r.data;
  const reqId = e.id !== undefined ? { reqId: e.id } : {};
  switch (e.event) {
    case 'subscribe':
    case 'unsubscribe':
      return { events: [], ignored: `${e.event} answer`, control: { kind: 'ack', op: e.event, ...reqId, ...(e.arg ? { channels: [okxChannelKey(e.arg)] } : {}) } };
    case 'error': {
      const code = e.code ?? '';
      return { events: [], ignored: 'error answer', control: { kind: 'error', ...reqId, code, message: e.msg ?? '', rateLimited: RATE_LIMIT_CODES.has(code) } };
    }
    case 'notice':
      return { events: [], ignored: 'notice', control: { kind: 'notice', message: e.msg ?? '', ...(e.code !== undefined ? { code: e.code } : {}) } };
    default:
      return { events: [], ignored: `event ${JSON.stringify(e.event)} not used` };
  }
}

function mapPush(o: object, recvTs: number, ctx: OkxContext): OkxMapResult {
  const r = PushRaw.safeParse(o);
  if (!r.success) return reject(`push: ${issues(r.error)}`);
  const { arg, action, data } = r.data;
  const channel = okxChannelKey(arg);
  const withChannel = (m: Mapped): OkxMapResult => {
    const control: StreamControl = m.book ? { kind: 'data', channel, book: m.book } : { kind: 'data', channel };
    if ('reason' in m) return { events: m.events ?? [], rejected: { reason: `${arg.channel}: ${m.reason}` }, control };
    if ('ignored' in m) return { events: [], ignored: m.ignored, control };
    return { events: m.events, control };
  };
  const ch = arg.channel;
  if (BOOK_CHANNELS.has(ch)) return withChannel(mapBook(arg, action, data, recvTs, ctx));
  if (ch === 'opt-summary') return withChannel(each(data, (d) => optSummary(d, recvTs, ctx)));
  if (ch === 'index-tickers') return withChannel(each(data, (d) => indexTicker(d, recvTs)));
  if (ch === 'mark-price') return withChannel(each(data, (d) => markPrice(d, recvTs, ctx)));
  if (ch === 'tickers') return withChannel(each(data, (d) => ticker(d, recvTs, ctx)));
  if (ch === 'instruments') return withChannel(instruments(data, recvTs));
  if (IGNORED_CHANNELS.has(ch) || ch.startsWith('candle') || ch.startsWith('mark-price-candle') || ch.startsWith('index-candle')) {
    return withChannel({ ignored: `channel ${ch} not mapped` });
  }
  return reject(`unknown channel ${JSON.stringify(ch)}`);
}

/** A REST body: instrument lists are mapped (the session records them as frames); others are not used. */
function mapRest(o: object, recvTs: number): OkxMapResult {
  const r = RestRaw.safeParse(o);
  if (!r.success) return reject(`REST answer: ${issues(r.error)}`);
  if (r.data.code !== '0') return reject(`REST error ${r.data.code}: ${r.data.msg ?? ''}`);
  const data = r.data.data ?? [];
  if (data.length > 0 && typeof data[0] === 'object' && data[0] !== null && 'ctMult' in data[0]) {
    const m = instruments(data, recvTs);
    return 'reason' in m ? { events: m.events ?? [], rejected: { reason: m.reason } } : 'ignored' in m ? { events: [], ignored: m.ignored } : { events: m.events };
  }
  return { events: [], ignored: 'REST answer without instruments (not used)' };
}

/** A branch's outcome before the envelope is added; a failed element rejects the frame's reason but keeps the valid events. */
type Mapped = ({ events: MdEvent[] } | { ignored: string } | { reason: string; events?: MdEvent[] }) & { book?: RawStrBook };

/** Map every element of `data`; invalid elements are named in the reason, valid ones kept. */
function each(data: unknown[], f: (d: unknown) => MdEvent | string | Skip): Mapped {
  const events: MdEvent[] = [];
  const bad: string[] = [];
  let skipped: string | undefined;
  data.forEach((d, i) => {
    const r = f(d);
    if (typeof r === 'string') bad.push(`#${i}: ${r}`);
    else if ('skip' in r) skipped ??= r.skip;
    else events.push(r);
  });
  if (bad.length) return { reason: `${bad.length} of ${data.length} elements invalid: ${bad.slice(0, 3).join('; ')}`, events };
  if (!events.length) return { ignored: skipped ?? 'empty data' };
  return { events };
}

/** An element deliberately not mapped, with why. */
type Skip = { skip: string };

type Resolved = { info: InstrumentInfo } | { reason: string };

function resolve(instId: string, ctx: OkxContext): Resolved {
  const known = ctx.instruments.get(eventInstrument(instId));
  if (known) return { info: known };
  const p = parseOkxName(instId);
  if (!p) return { reason: `unrecognised instrument id ${JSON.stringify(instId)}` };
  if (!TOKEN_RE.test(p.base)) return { reason: `base ${JSON.stringify(p.base)} is not a subject token` };
  return { info: { kind: p.kind, underlying: p.base, expiryTs: p.kind === 'perpetual' ? undefined : p.expiryTs } };
}

function mapBook(arg: ArgRaw, action: 'snapshot' | 'update' | undefined, data: unknown[], recvTs: number, ctx: OkxContext): Mapped {
  if (arg.instId === undefined) return { reason: 'book push without instId' };
  if (data.length !== 1) return { reason: `book push with ${data.length} data elements (expected 1)` };
  const r = BookDataRaw.safeParse(data[0]);
  if (!r.success) return { reason: issues(r.error) };
  const d = r.data;
  const res = resolve(arg.instId, ctx);
  if ('reason' in res) return res;
  const instrument = eventInstrument(arg.instId);
  const base = {
    v: SCHEMA_VERSION, venue: VENUE, ts: d.ts, recvTs, instrument, underlying: res.info.underlying,
    ...(res.info.expiryTs !== undefined ? { expiryTs: res.info.expiryTs } : {}),
  };
  // `books` and the tbt channels are incremental (action snapshot|update); books5 and bbo-tbt
  // have no action and push a whole depth-limited book every time.
  const isSnapshot = action === undefined || action === 'snapshot' || d.prevSeqId === -1;
  const book = { instrument, snapshot: isSnapshot, bids: d.bids, asks: d.asks, checksum: d.checksum };
  if (isSnapshot) {
    // Captures from before seqId existed (2022): the push time stands in as the sequence.
    const seq = d.seqId ?? d.ts;
    const ev: BookSnapshot = {
      type: 'md.book.snapshot', id: eventId(VENUE, 'book', instrument, seq, 'snapshot'), ...base, seq,
      bids: levels(d.bids, true), asks: levels(d.asks, true),
    };
    return { events: [ev], book };
  }
  if (d.seqId === undefined || d.prevSeqId === undefined) return { ignored: 'update without seqId/prevSeqId (capture before 2022): cannot be sequenced' };
  // After ~60 s idle OKX sends an empty update with seqId == prevSeqId: nothing changed.
  if (d.seqId === d.prevSeqId && d.asks.length === 0 && d.bids.length === 0) return { ignored: 'idle update (seqId == prevSeqId, no levels)' };
  const ev: BookDelta = {
    type: 'md.book.delta', id: eventId(VENUE, 'book', instrument, d.seqId), ...base, seq: d.seqId, prevSeq: d.prevSeqId,
    bids: levels(d.bids, false), asks: levels(d.asks, false),
  };
  return { events: [ev], book };
}

/** `[px, sz, "0", numOrders]` strings -> [price, contracts]; a snapshot lists only sizes > 0. */
function levels(raw: readonly StrLevel[], snapshot: boolean): Level[] {
  const out: Level[] = [];
  for (const l of raw) {
    const price = Number(l[0]);
    const size = Number(l[1]);
    if (size < 0) throw new RangeError(`negative size ${l[1]}`);
    if (snapshot && size === 0) continue;
    out.push([price, size]);
  }
  return out;
}

function optionExpiry(instId: string, ctx: OkxContext): { underlying: string; expiryTs: number } | string {
  const res = resolve(instId, ctx);
  if ('reason' in res) return res.reason;
  if (res.info.kind !== 'option' || res.info.expiryTs === undefined) return `${instId} is not an option`;
  return { underlying: res.info.underlying, expiryTs: res.info.expiryTs };
}

function optSummary(d: unknown, recvTs: number, ctx: OkxContext): MdEvent | string {
  const r = OptSummaryRaw.safeParse(d);
  if (!r.success) return issues(r.error);
  const s = r.data;
  const o = optionExpiry(s.instId, ctx);
  if (typeof o === 'string') return o;
  return compact<OptionTicker>({
    type: 'md.ticker', v: SCHEMA_VERSION, id: eventId(VENUE, 'summary', eventInstrument(s.instId), s.ts), venue: VENUE, ts: s.ts, recvTs,
    instrument: eventInstrument(s.instId), underlying: o.underlying, expiryTs: o.expiryTs,
    underlyingPrice: positive(s.fwdPx),
    markIv: ivFraction(s.markVol), bidIv: ivFraction(s.bidVol), askIv: ivFraction(s.askVol),
  });
}

function ticker(d: unknown, recvTs: number, ctx: OkxContext): MdEvent | string | Skip {
  const r = TickerRaw.safeParse(d);
  if (!r.success) return issues(r.error);
  const t = r.data;
  if (t.instType !== 'OPTION') return { skip: `${t.instType} ticker: carries no mark (md.future comes from mark-price)` };
  const o = optionExpiry(t.instId, ctx);
  if (typeof o === 'string') return o;
  return compact<OptionTicker>({
    type: 'md.ticker', v: SCHEMA_VERSION, id: eventId(VENUE, 'ticker', eventInstrument(t.instId), t.ts), venue: VENUE, ts: t.ts, recvTs,
    instrument: eventInstrument(t.instId), underlying: o.underlying, expiryTs: o.expiryTs, bestBid: positive(t.bidPx), bestAsk: positive(t.askPx),
  });
}

function markPrice(d: unknown, recvTs: number, ctx: OkxContext): MdEvent | string | Skip {
  const r = MarkPriceRaw.safeParse(d);
  if (!r.success) return issues(r.error);
  const m = r.data;
  // Option markPx: unit not confirmed (the real 2021 capture gives 3.80 for an option whose ask
  // is 0.0005 ETH), so it is not mapped (MAPPING_RULES.md).
  if (m.instType === 'OPTION') return { skip: 'option markPx: unit not confirmed (not mapped)' };
  if (m.instType !== 'FUTURES' && m.instType !== 'SWAP') return { skip: `${m.instType} mark price not used` };
  const res = resolve(m.instId, ctx);
  if ('reason' in res) return res.reason;
  const mark = positive(m.markPx);
  if (mark === undefined) return `markPx ${JSON.stringify(m.markPx)} is not a positive price`;
  return compact<FuturePrice>({
    type: 'md.future', v: SCHEMA_VERSION, id: eventId(VENUE, 'future', eventInstrument(m.instId), m.ts), venue: VENUE, ts: m.ts, recvTs,
    instrument: eventInstrument(m.instId), underlying: res.info.underlying, expiryTs: res.info.kind === 'future' ? res.info.expiryTs : undefined, markPrice: mark,
  });
}

function indexTicker(d: unknown, recvTs: number): MdEvent | string {
  const r = IndexTickerRaw.safeParse(d);
  if (!r.success) return issues(r.error);
  const x = r.data;
  const underlying = baseOfPair(x.instId);
  if (underlying === undefined) return `index ${JSON.stringify(x.instId)} is not BASE-QUOTE`;
  const price = positive(x.idxPx);
  if (price === undefined) return `idxPx ${JSON.stringify(x.idxPx)} is not a positive price`;
  const ev: IndexPrice = {
    type: 'md.index', v: SCHEMA_VERSION, id: eventId(VENUE, 'index', x.instId, x.ts), venue: VENUE, ts: x.ts, recvTs,
    underlying, indexName: x.instId, price,
  };
  return ev;
}

function instruments(data: unknown[], recvTs: number): Mapped {
  return each(data, (d) => {
    const r = InstrumentRaw.safeParse(d);
    if (!r.success) return issues(r.error);
    return instrumentDef(r.data, recvTs);
  });
}

/**
 * One listed instrument. Options: inverse when settled in the base coin (BTC-USD), linear when
 * settled in USDC/USDT (`*-USD_UM`); contractSize = ctVal × ctMult (underlying per contract).
 * Listings carry no event time: ts is the receive time, the id is the listing's content.
 */
function instrumentDef(d: RawInstrument, recvTs: number): InstrumentDef | string | Skip {
  const kind = d.instType === 'OPTION' ? 'option' : d.instType === 'FUTURES' ? 'future' : d.instType === 'SWAP' ? 'perpetual' : undefined;
  if (kind === undefined) return { skip: `${d.instType} instruments not used` };
  const p = parseOkxName(d.instId);
  if (!p) return `unrecognised instrument id ${JSON.stringify(d.instId)}`;
  if (!TOKEN_RE.test(p.base)) return `base ${JSON.stringify(p.base)} is not a subject token`;
  const ctVal = positive(d.ctVal);
  const ctMult = positive(d.ctMult);
  if (ctVal === undefined || ctMult === undefined) return `ctVal ${JSON.stringify(d.ctVal)} / ctMult ${JSON.stringify(d.ctMult)} not positive`;
  const expiryTs = kind === 'perpetual' ? undefined : dec(d.expTime);
  if (kind !== 'perpetual' && (expiryTs === undefined || !Number.isInteger(expiryTs))) return `expTime ${JSON.stringify(d.expTime)} is not a time`;
  const strike = kind === 'option' ? positive(d.stk) : undefined;
  const optionType = d.optType === 'C' ? 'call' : d.optType === 'P' ? 'put' : undefined;
  if (kind === 'option' && (strike === undefined || optionType === undefined)) return 'option without stk or optType';
  const settle = d.settleCcy ?? p.base;
  const inverse = settle === p.base;
  return compact<InstrumentDef>({
    type: 'md.instrument', v: SCHEMA_VERSION, id: eventId(VENUE, 'instrument', eventInstrument(d.instId), d.state), venue: VENUE, ts: recvTs, recvTs,
    instrument: eventInstrument(d.instId), underlying: p.base, kind, expiryTs, strike, optionType: kind === 'option' ? optionType : undefined,
    settlement: inverse ? 'inverse' : 'linear', contractSize: roundProduct(ctVal, ctMult), quoteCurrency: inverse ? p.base : settle,
    tickSize: positive(d.tickSz), active: d.state === 'live',
  });
}

/** ctVal × ctMult without binary noise (1 × 0.01 stays 0.01; 0.1 × 0.1 is 0.01, not 0.010000000000000002). */
function roundProduct(a: number, b: number): number {
  return Number((a * b).toPrecision(12));
}
