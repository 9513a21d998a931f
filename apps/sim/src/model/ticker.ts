/**
 * Ticker payloads in Deribit's shape (EXCHANGES.md §1.6, field set of the real 2024 option and
 * perpetual captures). Pure functions of the venue state, shared by the ticker channel,
 * `public/ticker` and `public/get_order_book`.
 */
import { black76Greeks, impliedVolFromCoin, normCdf } from '@volstream/svi';
import { optionFair } from './quotes.ts';
import { askUnits, bidUnits, ticksToPrice, unitsToOptionPrice } from './ticks.ts';
import type { Book, FutureInstrument, Greeks, OptionInstrument, TickerData, UnderlyingState } from './types.ts';

export function round(x: number, dp: number): number {
  const f = Math.pow(10, dp);
  return Math.round(x * f) / f;
}

/** Best bid/ask in Deribit's form: price and amount 0 when a side is empty (real 2020 no-bid ticker, EXCHANGES.md §1.6). */
function top(book: Book) {
  const b = book.bids[0];
  const a = book.asks[0];
  return {
    best_bid_price: b ? b[0] : 0,
    best_bid_amount: b ? b[1] : 0,
    best_ask_price: a ? a[0] : 0,
    best_ask_amount: a ? a[1] : 0,
  };
}

function stats(volume: number, price: number) {
  // No trades are simulated: volume is a static figure, so low/high/price_change are null.
  return { volume, volume_usd: round(volume * price, 2), price_change: null, low: null, high: null };
}

/** Forward of an option's expiry (its `underlying_price`), or the index once expired. */
export function futurePrice(u: UnderlyingState, inst: FutureInstrument): number {
  if (inst.expiryIdx === null) return u.market.spot * (1 + u.market.perpPremium);
  return u.slices[inst.expiryIdx]?.forward ?? u.market.spot;
}

/**
 * Option ticker. mark_price = fair coin price; mark_iv/bid_iv/ask_iv in PERCENT, Black-76 with
 * F = underlying_price, ACT/365, r = 0 (Deribit's convention, EXCHANGES.md §1.9); an IV that
 * cannot be solved (no side, below intrinsic) is 0 as Deribit sends it.
 * Greeks are Black-76 on F with mark_iv in Deribit's units (delta N(d₁), gamma per USD,
 * vega USD per vol point, theta USD per day; EXCHANGES.md §1.9), rho = ±K·t·N(±d₂)/100 (BS rho,
 * matches the real 2020 chain, e.g. BTC-22MAY20-9250-P rho −0.99).
 */
export function optionTicker({ u, inst, nowMs }: { u: UnderlyingState; inst: OptionInstrument; nowMs: number }): TickerData {
  const book = u.books[inst.index] as Book;
  const slice = u.slices[inst.expiryIdx] ?? null;
  const index = round(u.market.spot, 2);
  const base = {
    instrument_name: inst.name,
    timestamp: nowMs,
    stats: stats(inst.volume, index),
    open_interest: inst.openInterest,
    index_price: index,
    estimated_delivery_price: index,
    last_price: null,
    underlying_index: inst.underlyingIndex,
    interest_rate: 0,
  };
  if (slice === null || u.closed[inst.index]) {
    return {
      ...base,
      state: 'closed',
      ...top(book),
      mark_price: 0,
      min_price: 0.0001,
      max_price: 0.0001,
      underlying_price: index,
      mark_iv: 0,
      bid_iv: 0,
      ask_iv: 0,
      greeks: { delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0 },
    };
  }
  const fair = optionFair({ slice, strike: inst.strike, isCall: inst.isCall });
  const forward = round(slice.forward, 2);
  const t = slice.t;
  const iv = (coinPrice: number) => {
    if (!(coinPrice > 0)) return 0;
    const r = impliedVolFromCoin({ coinPrice, forward, strike: inst.strike, t, isCall: inst.isCall });
    return r.ok ? round(r.iv * 100, 2) : 0;
  };
  const tb = top(book);
  const mark = round(fair.price, 8);
  const band = Math.max(0.005, 0.5 * mark);
  return {
    ...base,
    state: 'open',
    ...tb,
    mark_price: mark,
    settlement_price: mark,
    min_price: unitsToOptionPrice(Math.max(1, bidUnits(mark - band))),
    max_price: unitsToOptionPrice(askUnits(mark + band)),
    underlying_price: forward,
    mark_iv: round(fair.sigma * 100, 2),
    bid_iv: iv(tb.best_bid_price),
    ask_iv: iv(tb.best_ask_price),
    greeks: optionGreeks({ forward, strike: inst.strike, t, sigma: fair.sigma, isCall: inst.isCall }),
  };
}

function optionGreeks({ forward, strike, t, sigma, isCall }: { forward: number; strike: number; t: number; sigma: number; isCall: boolean }): Greeks {
  const g = black76Greeks({ forward, strike, t, sigma, isCall });
  const s = sigma * Math.sqrt(t);
  const d2 = Math.log(forward / strike) / s - s / 2;
  const rho = isCall ? (strike * t * normCdf(d2)) / 100 : (-strike * t * normCdf(-d2)) / 100;
  return { delta: round(g.delta, 5), gamma: round(g.gamma, 5), vega: round(g.vega, 5), theta: round(g.theta, 5), rho: round(rho, 5) };
}

/** Future or perpetual ticker (no greeks; perpetual adds funding fields as in the real capture). */
export function futureTicker({ u, inst, nowMs }: { u: UnderlyingState; inst: FutureInstrument; nowMs: number }): TickerData {
  const book = u.books[inst.index] as Book;
  const index = round(u.market.spot, 2);
  const closed = u.closed[inst.index] === true;
  const mark = round(futurePrice(u, inst), 2);
  const tick = inst.expiryIdx === null ? u.spec.perpTick : u.spec.futureTick;
  const data: TickerData = {
    instrument_name: inst.name,
    timestamp: nowMs,
    state: closed ? 'closed' : 'open',
    stats: stats(inst.volume, index),
    open_interest: inst.openInterest,
    ...top(book),
    index_price: index,
    estimated_delivery_price: index,
    mark_price: mark,
    last_price: ticksToPrice(Math.round(mark / tick), tick),
    settlement_price: mark,
    min_price: ticksToPrice(Math.floor((mark * 0.985) / tick), tick),
    max_price: ticksToPrice(Math.ceil((mark * 1.015) / tick), tick),
  };
  if (inst.expiryIdx === null) {
    const premium = u.market.perpPremium;
    data.current_funding = round(premium, 8);
    data.funding_8h = round(premium / 3, 8);
    data.interest_value = round(premium * 8, 12);
  }
  return data;
}

export function tickerFor({ u, index, nowMs }: { u: UnderlyingState; index: number; nowMs: number }): TickerData {
  const inst = u.instruments[index];
  if (inst === undefined) throw new RangeError(`no instrument at index ${index}`);
  return inst.kind === 'option' ? optionTicker({ u, inst, nowMs }) : futureTicker({ u, inst, nowMs });
}
