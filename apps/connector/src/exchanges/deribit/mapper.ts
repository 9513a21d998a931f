import type { z } from 'zod';
import {
  SCHEMA_VERSION, TOKEN_RE, eventId,
  type BookDelta, type BookSnapshot, type FuturePrice, type IndexPrice, type InstrumentDef, type Level, type MdEvent, type OptionTicker,
} from '@volstream/events';
import type { InstrumentInfo, MapResult } from '../../venue.ts';
import type { RegistryContext } from '../../session/pipeline.ts';
import { isDeribitCombo, parseDeribitName } from './instrument-name.ts';
import {
  BookDataRaw, EnvelopeRaw, GroupedBookDataRaw, HeartbeatParamsRaw, IndexDataRaw, InstrumentRaw, InstrumentStateRaw, LooksLikeInstrument,
  MAX_TS, MIN_TS, OrderBookResultRaw, SubscriptionParamsRaw, TickerDataRaw,
  type EnvelopeRaw as Envelope, type InstrumentRaw as RawInstrument, type TickerDataRaw as RawTicker,
} from './raw.ts';
import { compact, issues, neverThrows, reject } from '../common/result.ts';

/**
 * Deribit JSON-RPC frames -> normalised MD events. Pure: no clock (the receive time is a
 * parameter), no I/O, no mutable state (the instrument registry is read-only context), never
 * throws. Rules and units: MAPPING_RULES.md beside this file.
 */

export const VENUE = 'deribit';

export type { InstrumentInfo };

export type DeribitContext = RegistryContext & {
  /** Method of an outstanding request id, to read its answer (else the answer's shape decides). */
  methodOf?: (id: number) => string | undefined;
};

/**
 * Lifecycle states after which an instrument never trades again (Deribit market model:
 * "Delivered … will never become tradeable again"; `terminated` seen on instrument.state).
 * `settled` ends an instrument only at its expiry (see mapInstrumentState).
 */
const ENDED_STATES = new Set(['closed', 'terminated', 'delivered', 'deactivated', 'archivized']);
const LISTED_STATES = new Set(['created', 'started', 'open']);

/** Signals for the session adapter; none of them is market data. */
export type DeribitControl =
  | { kind: 'heartbeat' }
  | { kind: 'test_request' }
  | { kind: 'notification'; channel: string; ignored?: string }
  | { kind: 'result'; id: number | undefined; method: string | undefined; channels?: string[]; priceIndexes?: string[]; ignored?: string }
  /** instrument.state: a listing appeared (`listed`), ended (`ended`) or changed otherwise. */
  | { kind: 'instrument_state'; instrument: string; state: string; change: 'listed' | 'ended' | 'other'; ts: number }
  | { kind: 'error'; id: number | undefined; code: number; message: string; data?: unknown };

export type DeribitMapResult = MapResult<DeribitControl>;


/** Map one raw frame. `recvTs` is the local receive time (ms); `ts` of events is Deribit's. */
export const mapDeribitMessage: (frame: string, recvTs: number, ctx: DeribitContext) => DeribitMapResult = neverThrows(mapFrame);

function mapFrame(frame: string, recvTs: number, ctx: DeribitContext): DeribitMapResult {
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return reject('malformed JSON');
  }
  const env = EnvelopeRaw.safeParse(json);
  if (!env.success) return reject(`not a Deribit JSON-RPC frame: ${issues(env.error)}`);
  const e = env.data;
  if (e.error) {
    const { code, message, data } = e.error;
    return { events: [], control: data === undefined ? { kind: 'error', id: e.id, code, message } : { kind: 'error', id: e.id, code, message, data } };
  }
  if (e.method === 'subscription') return mapNotification(e.params, recvTs, ctx);
  if (e.method === 'heartbeat') {
    const p = HeartbeatParamsRaw.safeParse(e.params);
    if (!p.success) return reject(`heartbeat: ${issues(p.error)}`);
    return { events: [], control: { kind: p.data.type } };
  }
  if (e.method !== undefined) return reject(`unknown notification method ${JSON.stringify(e.method)}`);
  if (e.result !== undefined) return mapResult(e, recvTs, ctx);
  return reject('frame has no result, error or method');
}

// ---------------------------------------------------------------------------------------------
// Subscription notifications

/** Channels we know but do not map (not subscribed by the connector; see MAPPING_RULES.md). */
const IGNORED_CHANNELS = new Set([
  'trades', 'quote', 'chart', 'markprice', 'incremental_ticker', 'perpetual', 'estimated_expiration_price',
  'deribit_volatility_index', 'platform_state', 'announcements', 'user', 'block_rfq', 'deribit_price_ranking',
  'deribit_price_statistics', 'block_trade_confirmations',
]);

function mapNotification(params: unknown, recvTs: number, ctx: DeribitContext): DeribitMapResult {
  const p = SubscriptionParamsRaw.safeParse(params);
  if (!p.success) return reject(`subscription: ${issues(p.error)}`);
  const { channel, data } = p.data;
  const parts = channel.split('.');
  const note = (ignored?: string): DeribitControl => (ignored ? { kind: 'notification', channel, ignored } : { kind: 'notification', channel });
  const withChannel = (r: Mapped): DeribitMapResult =>
    'reason' in r ? { events: [], rejected: { reason: `${channel}: ${r.reason}` }, control: note() }
    : 'ignored' in r ? { events: [], control: note(r.ignored) }
    : { events: r.events, control: note() };

  switch (parts[0]) {
    case 'book':
      if (parts.length === 3) return withChannel(mapBook(data, recvTs, ctx));
      if (parts.length === 5) {
        // Grouped book: a full (depth-limited) book every interval. Only group `none` keeps the
        // venue's exact prices; rounded groups are not real levels.
        if (parts[2] !== 'none') return { events: [], control: note(`grouped book with rounded prices (${parts[2]})`) };
        return withChannel(mapPlainBook(GroupedBookDataRaw.safeParse(data), recvTs, ctx));
      }
      return reject(`unknown book channel ${JSON.stringify(channel)}`);
    case 'ticker':
      if (parts.length !== 3) return reject(`unknown ticker channel ${JSON.stringify(channel)}`);
      return withChannel(mapTicker(TickerDataRaw.safeParse(data), recvTs, ctx));
    case 'deribit_price_index':
      return withChannel(mapIndex(data, recvTs));
    case 'instrument':
      if (parts[1] === 'state') return mapInstrumentState(channel, data, recvTs, ctx);
      if (parts[1] === 'creation') {
        // instrument.creation carries the listing in get_instruments' format (Deribit docs).
        const r = mapInstruments([data], recvTs, recvTs);
        return { ...r, control: note() };
      }
      return { events: [], control: note('channel not mapped') };
    default:
      if (parts[0] !== undefined && IGNORED_CHANNELS.has(parts[0])) return { events: [], control: note('channel not mapped') };
      return reject(`unknown channel ${JSON.stringify(channel)}`);
  }
}

/** A branch's outcome before the envelope is added. */
type Mapped = { events: MdEvent[] } | { ignored: string } | { reason: string };

type Resolved = { info: InstrumentInfo } | { ignored: string } | { reason: string };

/** Underlying, kind and expiry of an instrument: the registry first, else its name. */
function resolveInstrument(name: string, ctx: DeribitContext): Resolved {
  const known = ctx.instruments.get(name);
  if (known) return { info: known };
  const p = parseDeribitName(name);
  if (p) return { info: { kind: p.kind, underlying: p.base, expiryTs: p.kind === 'perpetual' ? undefined : p.expiryTs } };
  if (isDeribitCombo(name)) return { ignored: 'combination instrument' };
  return { reason: `unrecognised instrument name ${JSON.stringify(name)}` };
}

function mapBook(data: unknown, recvTs: number, ctx: DeribitContext): Mapped {
  const r = BookDataRaw.safeParse(data);
  if (!r.success) return { reason: issues(r.error) };
  const d = r.data;
  const res = resolveInstrument(d.instrument_name, ctx);
  if (!('info' in res)) return res;
  const base = bookBase(d.instrument_name, res.info, d.timestamp, recvTs);
  // 2019 snapshots have no `type`, and a snapshot may carry prev_change_id or a change may carry
  // prev_change_id 0 (EXCHANGES.md §1.4 quirks): snapshot iff any of the three holds.
  const isSnapshot = d.type === 'snapshot' || d.prev_change_id === undefined || d.prev_change_id === 0;
  if (isSnapshot) {
    const ev: BookSnapshot = {
      type: 'md.book.snapshot', id: snapshotId(d.instrument_name, d.change_id), ...base, seq: d.change_id,
      bids: snapshotLevels(d.bids), asks: snapshotLevels(d.asks),
    };
    return { events: [ev] };
  }
  const ev: BookDelta = {
    type: 'md.book.delta', id: eventId(VENUE, 'book', d.instrument_name, d.change_id), ...base, seq: d.change_id,
    prevSeq: d.prev_change_id!, bids: deltaLevels(d.bids), asks: deltaLevels(d.asks),
  };
  return { events: [ev] };
}

/** Book given as [price, amount] pairs (grouped book, REST order book): always a snapshot. */
function mapPlainBook(r: z.ZodSafeParseResult<z.infer<typeof GroupedBookDataRaw>>, recvTs: number, ctx: DeribitContext): Mapped {
  if (!r.success) return { reason: issues(r.error) };
  const d = r.data;
  const res = resolveInstrument(d.instrument_name, ctx);
  if (!('info' in res)) return res;
  const ev: BookSnapshot = {
    type: 'md.book.snapshot', id: snapshotId(d.instrument_name, d.change_id), ...bookBase(d.instrument_name, res.info, d.timestamp, recvTs),
    seq: d.change_id, bids: d.bids.filter((l) => l[1] > 0), asks: d.asks.filter((l) => l[1] > 0),
  };
  return { events: [ev] };
}

/**
 * A snapshot's id differs from a delta's with the same change_id: after a gap the fresh snapshot
 * may carry the change_id of the delta that revealed the gap (nothing changed since), and it
 * must not be dropped as that delta's duplicate, or the book stage would stay out of sync.
 */
function snapshotId(instrument: string, changeId: number): string {
  return eventId(VENUE, 'book', instrument, changeId, 'snapshot');
}

function bookBase(instrument: string, info: InstrumentInfo, ts: number, recvTs: number) {
  return { v: SCHEMA_VERSION, venue: VENUE, ts, recvTs, instrument, underlying: info.underlying, ...(info.expiryTs !== undefined ? { expiryTs: info.expiryTs } : {}) };
}

function snapshotLevels(levels: readonly (readonly ['new' | 'change' | 'delete', number, number])[]): Level[] {
  const out: Level[] = [];
  for (const [action, price, amount] of levels) if (action !== 'delete' && amount > 0) out.push([price, amount]);
  return out;
}

function deltaLevels(levels: readonly (readonly ['new' | 'change' | 'delete', number, number])[]): Level[] {
  return levels.map(([action, price, amount]) => [price, action === 'delete' ? 0 : amount]);
}

function mapTicker(r: z.ZodSafeParseResult<RawTicker>, recvTs: number, ctx: DeribitContext): Mapped {
  if (!r.success) return { reason: issues(r.error) };
  const d = r.data;
  if (d.combo_state !== undefined) return { ignored: 'combination instrument' };
  const res = resolveInstrument(d.instrument_name, ctx);
  if (!('info' in res)) return res;
  // Only a trading instrument's prices are quotes; `closed`/`settlement`/`halted` carry
  // leftovers (an expired option shows mark 0 and ask_iv 500).
  if (d.state !== undefined && d.state !== 'open') return { ignored: `instrument state ${d.state}` };
  const info = res.info;
  if (info.kind === 'option') {
    if (info.expiryTs === undefined) return { reason: 'option without expiry' };
    const ev: OptionTicker = compact({
      type: 'md.ticker', v: SCHEMA_VERSION, id: eventId(VENUE, 'ticker', d.instrument_name, d.timestamp), venue: VENUE,
      ts: d.timestamp, recvTs, instrument: d.instrument_name, underlying: info.underlying, expiryTs: info.expiryTs,
      underlyingPrice: positive(d.underlying_price),
      underlyingIndex: d.underlying_index || undefined,
      indexPrice: positive(d.index_price),
      markPrice: nonNegative(d.mark_price),
      bestBid: positive(d.best_bid_price),
      bestAsk: positive(d.best_ask_price),
      markIv: ivFraction(d.mark_iv),
      bidIv: ivFraction(d.bid_iv),
      askIv: ivFraction(d.ask_iv),
    });
    return { events: [ev] };
  }
  const markPrice = positive(d.mark_price);
  if (markPrice === undefined) return { reason: `${info.kind} ticker without a positive mark_price` };
  const ev: FuturePrice = compact({
    type: 'md.future', v: SCHEMA_VERSION, id: eventId(VENUE, 'future', d.instrument_name, d.timestamp), venue: VENUE,
    ts: d.timestamp, recvTs, instrument: d.instrument_name, underlying: info.underlying,
    expiryTs: info.kind === 'future' ? info.expiryTs : undefined,
    markPrice, lastPrice: positive(d.last_price), indexPrice: positive(d.index_price),
  });
  return { events: [ev] };
}

/**
 * `instrument.state.{kind}.{currency}`: tells the session to list or drop an instrument. When the
 * listing is known, an ended instrument is also published as `md.instrument` with active false.
 */
function mapInstrumentState(channel: string, data: unknown, recvTs: number, ctx: DeribitContext): DeribitMapResult {
  const note: DeribitControl = { kind: 'notification', channel };
  const r = InstrumentStateRaw.safeParse(data);
  if (!r.success) return { events: [], rejected: { reason: `${channel}: ${issues(r.error)}` }, control: note };
  const d = r.data;
  const def = ctx.instruments.get(d.instrument_name)?.def;
  // `settled` also happens daily for futures; it ends an instrument only at its expiry.
  const atExpiry = def?.expiryTs !== undefined && d.timestamp >= def.expiryTs - 60_000;
  const change = ENDED_STATES.has(d.state) || (d.state === 'settled' && atExpiry) ? 'ended' : LISTED_STATES.has(d.state) ? 'listed' : 'other';
  const control: DeribitControl = { kind: 'instrument_state', instrument: d.instrument_name, state: d.state, change, ts: d.timestamp };
  if (change !== 'ended' || !def || !def.active) return { events: [], control };
  const ended: InstrumentDef = { ...def, id: eventId(VENUE, 'instrument', d.instrument_name, d.timestamp, d.state), ts: d.timestamp, recvTs, active: false };
  return { events: [ended], control };
}

function mapIndex(data: unknown, recvTs: number): Mapped {
  const r = IndexDataRaw.safeParse(data);
  if (!r.success) return { reason: issues(r.error) };
  const d = r.data;
  if (!(d.price > 0)) return { reason: `index price ${d.price} is not positive` };
  // `btc_usd` -> BTC: the underlying is the index's base currency.
  const underlying = d.index_name.slice(0, d.index_name.indexOf('_')).toUpperCase();
  const ev: IndexPrice = {
    type: 'md.index', v: SCHEMA_VERSION, id: eventId(VENUE, 'index', d.index_name, d.timestamp), venue: VENUE,
    ts: d.timestamp, recvTs, underlying, indexName: d.index_name, price: d.price,
  };
  return { events: [ev] };
}

// ---------------------------------------------------------------------------------------------
// Answers to our requests

function mapResult(e: Envelope, recvTs: number, ctx: DeribitContext): DeribitMapResult {
  const method = (e.id !== undefined ? ctx.methodOf?.(e.id) : undefined) ?? guessMethod(e.result);
  const control = (extra: { channels?: string[]; priceIndexes?: string[]; ignored?: string } = {}): DeribitControl => ({ kind: 'result', id: e.id, method, ...extra });
  // Deribit's answer time (µs) is the venue timestamp of what an answer lists.
  const usOutMs = e.usOut !== undefined ? Math.floor(e.usOut / 1000) : undefined;
  const ts = usOutMs !== undefined && usOutMs >= MIN_TS && usOutMs <= MAX_TS ? usOutMs : recvTs;
  switch (method) {
    case 'public/get_instruments':
      return { ...mapInstruments(e.result, ts, recvTs), control: control(priceIndexesOf(e.result)) };
    case 'public/get_instrument':
      return { ...mapInstruments([e.result], ts, recvTs), control: control(priceIndexesOf([e.result])) };
    case 'public/subscribe':
    case 'public/unsubscribe': {
      const channels = Array.isArray(e.result) && e.result.every((c) => typeof c === 'string') ? (e.result as string[]) : undefined;
      if (!channels) return { ...reject(`${method}: result is not a list of channels`), control: control() };
      return { events: [], control: control({ channels }) };
    }
    case 'public/get_order_book': {
      const r = OrderBookResultRaw.safeParse(e.result);
      if (!r.success) return { ...reject(`${method}: ${issues(r.error)}`), control: control() };
      const book = mapPlainBook(r, recvTs, ctx);
      if (!('events' in book)) return 'reason' in book ? { ...reject(`${method}: ${book.reason}`), control: control() } : { events: [], control: control({ ignored: book.ignored }) };
      const ticker = mapTicker(r, recvTs, ctx);
      return { events: 'events' in ticker ? [...book.events, ...ticker.events] : book.events, control: control() };
    }
    case undefined:
      return reject('unrecognised result of an unknown request');
    default:
      // set_heartbeat "ok", public/test {version}, book summaries...: nothing to publish.
      return { events: [], control: control() };
  }
}

/** Which request an answer belongs to when its id is not ours (replayed or captured frames). */
function guessMethod(result: unknown): string | undefined {
  if (result === 'ok') return 'public/set_heartbeat';
  if (Array.isArray(result)) {
    // An empty list (no instruments of a kind, no channels): nothing to publish whatever asked.
    if (result.length === 0) return 'empty list';
    if (result.every((x) => typeof x === 'string')) return 'public/subscribe';
    if (LooksLikeInstrument.safeParse(result[0]).success) return 'public/get_instruments';
    if (typeof result[0] === 'object' && result[0] !== null && 'instrument_name' in result[0]) return 'public/get_book_summary_by_currency';
    return undefined;
  }
  if (typeof result === 'object' && result !== null) {
    if ('version' in result) return 'public/test';
    if (LooksLikeInstrument.safeParse(result).success) return 'public/get_instrument';
    if ('change_id' in result && 'bids' in result && 'instrument_name' in result) return 'public/get_order_book';
  }
  return undefined;
}

/** Distinct `price_index` of listed instruments: the index channels to subscribe. */
function priceIndexesOf(result: unknown): { priceIndexes?: string[] } {
  if (!Array.isArray(result)) return {};
  const out = new Set<string>();
  for (const el of result) {
    const r = InstrumentRaw.safeParse(el);
    if (r.success && r.data.price_index !== undefined) out.add(r.data.price_index);
  }
  return out.size ? { priceIndexes: [...out] } : {};
}

function mapInstruments(result: unknown, ts: number, recvTs: number): { events: MdEvent[]; rejected?: { reason: string } } {
  if (!Array.isArray(result)) return reject('public/get_instruments: result is not a list');
  const events: MdEvent[] = [];
  const bad: string[] = [];
  result.forEach((el, i) => {
    const r = InstrumentRaw.safeParse(el);
    if (!r.success) {
      bad.push(`#${i}: ${issues(r.error)}`);
      return;
    }
    const m = instrumentDef(r.data, ts, recvTs);
    if (typeof m === 'string') bad.push(`${r.data.instrument_name}: ${m}`);
    else if (m) events.push(m);
  });
  if (bad.length === 0) return { events };
  return { events, rejected: { reason: `public/get_instruments: ${bad.length} of ${result.length} instruments invalid: ${bad.slice(0, 3).join('; ')}` } };
}

/** One listed instrument; undefined for kinds we do not use (combos, spot); a string = why invalid. */
function instrumentDef(d: RawInstrument, ts: number, recvTs: number): InstrumentDef | undefined | string {
  const isPerpetual = d.settlement_period === 'perpetual' || d.instrument_name.endsWith('-PERPETUAL');
  const kind: InstrumentDef['kind'] | undefined = d.kind === 'option' ? 'option' : d.kind === 'future' ? (isPerpetual ? 'perpetual' : 'future') : undefined;
  if (kind === undefined) return undefined;
  if (!TOKEN_RE.test(d.base_currency)) return `base_currency ${JSON.stringify(d.base_currency)} is not a subject token`;
  if (kind === 'option' && (d.strike === undefined || d.option_type === undefined)) return 'option without strike or option_type';
  // Older listings lack instrument_type: a premium quoted in the base coin is inverse by definition.
  const settlement = d.instrument_type !== undefined ? (d.instrument_type === 'reversed' ? 'inverse' : 'linear') : d.quote_currency === d.base_currency ? 'inverse' : 'linear';
  return compact<InstrumentDef>({
    type: 'md.instrument', v: SCHEMA_VERSION, id: eventId(VENUE, 'instrument', d.instrument_name, ts), venue: VENUE, ts, recvTs,
    instrument: d.instrument_name, underlying: d.base_currency, kind,
    // Deribit lists perpetuals with a far-future expiration (year 3000): not an expiry.
    expiryTs: kind === 'perpetual' ? undefined : d.expiration_timestamp,
    strike: kind === 'option' ? d.strike : undefined,
    optionType: kind === 'option' ? d.option_type : undefined,
    settlement, contractSize: d.contract_size, quoteCurrency: d.quote_currency, tickSize: d.tick_size, active: d.is_active,
  });
}

// ---------------------------------------------------------------------------------------------
// Numeric rules (MAPPING_RULES.md, "Numbers")

/** Price that must be > 0 to mean anything (best bid/ask, forward, index): 0 or null = none. */
function positive(x: number | null | undefined): number | undefined {
  return x != null && x > 0 ? x : undefined;
}

function nonNegative(x: number | null | undefined): number | undefined {
  return x != null && x >= 0 ? x : undefined;
}

/** Deribit IVs are percent; 0 means no quote and 500 is the dead-quote sentinel (EXCHANGES.md §1.6). */
const DEAD_IV_PERCENT = 500;
/**
 * Percent -> fraction, rounded to 1e-10: `72.96 / 100` is 0.7295999999999999 in binary floating
 * point, while Deribit sends at most a few decimals, so the rounding only removes that noise.
 */
function ivFraction(x: number | null | undefined): number | undefined {
  return x != null && x > 0 && x !== DEAD_IV_PERCENT ? Math.round(x * 1e8) / 1e10 : undefined;
}
