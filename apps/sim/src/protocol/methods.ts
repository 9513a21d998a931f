/**
 * Stateless public methods (everything except subscribe/unsubscribe/heartbeat, which need the
 * connection): pure functions of the venue state and the request params, shared by the websocket
 * and the HTTP `/api/v2/public/{method}` endpoints.
 */
import { z } from 'zod';
import { findInstrument } from '../model/venue.ts';
import { tickerFor, round } from '../model/ticker.ts';
import type { Instrument, UnderlyingState, VenueState } from '../model/types.ts';
import { errors, fail, ok, type RpcOutcome } from './rpc.ts';

export const API_VERSION = '1.2.26';

/** Deribit's perpetual `expiration_timestamp` (year 3000). */
const PERPETUAL_EXPIRY = 32_503_708_800_000;

/** Booleans arrive as JSON booleans over websocket and as strings over HTTP GET. */
const boolParam = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);

const schemas = {
  get_instruments: z.object({
    currency: z.enum(['BTC', 'ETH', 'USDC', 'USDT', 'EURR', 'any']),
    kind: z.enum(['future', 'option', 'spot', 'future_combo', 'option_combo']).optional(),
    expired: boolParam.optional().default(false),
  }),
  instrument: z.object({ instrument_name: z.string() }),
  get_order_book: z.object({ instrument_name: z.string(), depth: z.coerce.number().int().min(1).optional() }),
  get_index_price: z.object({ index_name: z.string() }),
};

function parseParams<S extends z.ZodType>(schema: S, params: unknown): { ok: true; value: z.infer<S> } | { ok: false; outcome: RpcOutcome } {
  const r = schema.safeParse(params ?? {});
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const param = String(issue?.path[0] ?? 'params');
  return { ok: false, outcome: fail(errors.invalidParams(param, issue?.message ?? 'invalid')) };
}

/** One `public/get_instruments` row with Deribit's field names (EXCHANGES.md §1.2, real ETH row). */
export function instrumentRow(u: UnderlyingState, inst: Instrument): Record<string, unknown> {
  const coin = u.spec.underlying;
  const common = {
    price_index: u.spec.indexName,
    rfq: false,
    kind: inst.kind,
    instrument_name: inst.name,
    instrument_id: inst.id,
    instrument_type: 'reversed',
    creation_timestamp: inst.creationTs,
    is_active: !u.closed[inst.index],
    settlement_currency: coin,
    base_currency: coin,
    counter_currency: 'USD',
  };
  if (inst.kind === 'option') {
    return {
      ...common,
      maker_commission: 0.0003,
      taker_commission: 0.0003,
      expiration_timestamp: inst.expiryTs,
      option_type: inst.isCall ? 'call' : 'put',
      strike: inst.strike,
      settlement_period: inst.period,
      contract_size: 1,
      min_trade_amount: u.spec.optionMinAmount,
      tick_size: 0.0001,
      tick_size_steps: [{ above_price: 0.005, tick_size: 0.0005 }],
      block_trade_commission: 0.0003,
      block_trade_min_trade_amount: coin === 'BTC' ? 25 : 250, // real ETH row: 250
      block_trade_tick_size: 0.0001,
      quote_currency: coin,
    };
  }
  const tick = inst.expiryIdx === null ? u.spec.perpTick : u.spec.futureTick;
  return {
    ...common,
    maker_commission: 0,
    taker_commission: 0.0005,
    future_type: 'reversed',
    expiration_timestamp: inst.expiryTs ?? PERPETUAL_EXPIRY,
    settlement_period: inst.period,
    contract_size: u.spec.futureContractSize,
    min_trade_amount: u.spec.futureContractSize,
    tick_size: tick,
    tick_size_steps: [],
    max_leverage: 50,
    max_liquidation_commission: 0.0075,
    block_trade_commission: 0.00025,
    block_trade_min_trade_amount: 200_000,
    block_trade_tick_size: 0.01,
    quote_currency: 'USD',
  };
}

function getInstruments(state: VenueState, params: unknown): RpcOutcome {
  const p = parseParams(schemas.get_instruments, params);
  if (!p.ok) return p.outcome;
  const { currency, kind, expired } = p.value;
  const rows: Record<string, unknown>[] = [];
  for (const u of state.underlyings) {
    if (currency !== 'any' && currency !== u.spec.underlying) continue;
    for (const inst of u.instruments) {
      if (kind !== undefined && kind !== inst.kind) continue;
      const isExpired = u.closed[inst.index] === true || (inst.expiryTs !== null && inst.expiryTs <= state.nowMs);
      if (isExpired !== expired) continue;
      rows.push(instrumentRow(u, inst));
    }
  }
  return ok(rows);
}

function withInstrument(state: VenueState, params: unknown, schema: z.ZodType<{ instrument_name: string }>) {
  const p = parseParams(schema, params);
  if (!p.ok) return p;
  const found = findInstrument(state, p.value.instrument_name);
  if (!found) return { ok: false as const, outcome: fail(errors.invalidParams('instrument_name', 'instrument not found')) };
  return { ok: true as const, found, value: p.value };
}

function getOrderBook(state: VenueState, params: unknown, nowMs: number): RpcOutcome {
  const p = parseParams(schemas.get_order_book, params);
  if (!p.ok) return p.outcome;
  const w = withInstrument(state, params, schemas.instrument);
  if (!w.ok) return w.outcome;
  const { u, index } = w.found;
  const book = u.books[index];
  if (!book) return fail(errors.invalidParams('instrument_name', 'instrument not found'));
  const depth = p.value.depth ?? Number.POSITIVE_INFINITY;
  return ok({
    ...tickerFor({ u, index, nowMs }),
    bids: book.bids.slice(0, depth).map(([px, a]) => [px, a]),
    asks: book.asks.slice(0, depth).map(([px, a]) => [px, a]),
    change_id: book.changeId,
  });
}

function ticker(state: VenueState, params: unknown, nowMs: number): RpcOutcome {
  const w = withInstrument(state, params, schemas.instrument);
  if (!w.ok) return w.outcome;
  return ok(tickerFor({ u: w.found.u, index: w.found.index, nowMs }));
}

function getInstrument(state: VenueState, params: unknown): RpcOutcome {
  const w = withInstrument(state, params, schemas.instrument);
  if (!w.ok) return w.outcome;
  const inst = w.found.u.instruments[w.found.index] as Instrument;
  return ok(instrumentRow(w.found.u, inst));
}

function getIndexPrice(state: VenueState, params: unknown): RpcOutcome {
  const p = parseParams(schemas.get_index_price, params);
  if (!p.ok) return p.outcome;
  const u = state.underlyings.find((x) => x.spec.indexName === p.value.index_name);
  if (!u) return fail(errors.invalidParams('index_name', 'unknown index'));
  const price = round(u.market.spot, 2);
  return ok({ index_price: price, estimated_delivery_price: price });
}

/** Methods answered from state alone. */
export const STATELESS_METHODS = new Set([
  'public/get_instruments',
  'public/get_instrument',
  'public/get_order_book',
  'public/ticker',
  'public/get_index_price',
  'public/get_time',
  'public/test',
  'public/hello',
]);

/**
 * Dispatch a stateless public method. `nowMs` is the wall time of the request (tickers are
 * stamped with it; the market itself is the state's last step).
 */
export function callPublicMethod({ state, method, params, nowMs }: { state: VenueState; method: string; params: unknown; nowMs: number }): RpcOutcome {
  switch (method) {
    case 'public/get_instruments':
      return getInstruments(state, params);
    case 'public/get_instrument':
      return getInstrument(state, params);
    case 'public/get_order_book':
      return getOrderBook(state, params, nowMs);
    case 'public/ticker':
      return ticker(state, params, nowMs);
    case 'public/get_index_price':
      return getIndexPrice(state, params);
    case 'public/get_time':
      return ok(nowMs);
    case 'public/test':
    case 'public/hello':
      return ok({ version: API_VERSION });
    default:
      return fail(errors.methodNotFound(method));
  }
}
