import { black76Greeks, impliedVolFromCoin, impliedVolFromLinear, type IvResult } from '@volstream/svi';
import type { IvReason, OptionType, Settlement } from '@volstream/events';

/** One option quote to price: premiums in the instrument's premium currency (coin for inverse). */
export type QuoteToPrice = {
  bid: number | null;
  ask: number | null;
  mark: number | null;
  /** Forward of the expiry, USD per unit of underlying. */
  forward: number;
  /** Strike, USD. */
  strike: number;
  /** Years to expiry, > 0. */
  t: number;
  optionType: OptionType;
  settlement: Settlement;
  /** Underlying units per contract; a linear premium is per contract (Deribit SOL_USDC: 10). */
  contractSize: number;
};

export type Reasons = { bid?: IvReason; ask?: IvReason; mid?: IvReason; mark?: IvReason };

/** Implied vols (fractions) and greeks of one quote; a null vol has its reason in `reasons`. */
export type PricedQuote = {
  /** Forward log-moneyness ln(K/F). */
  k: number;
  bidIv: number | null;
  askIv: number | null;
  midIv: number | null;
  markIv: number | null;
  /** Forward delta at the mid vol, else the mark vol. */
  delta: number | null;
  /** USD per vol point per unit of underlying, at the same vol as delta. */
  vega: number | null;
  reasons: Reasons;
};

type Side = { iv: number | null; reason?: IvReason };
const NO_QUOTE: Side = { iv: null, reason: 'no_quote' };

/** Implied vol of one premium of the quote's option (a module function: this is the hot path). */
function solve(q: QuoteToPrice, price: number | null): Side {
  if (price === null) return NO_QUOTE;
  const isCall = q.optionType === 'call';
  const r: IvResult = q.settlement === 'inverse'
    ? impliedVolFromCoin({ coinPrice: price, forward: q.forward, strike: q.strike, t: q.t, isCall })
    : impliedVolFromLinear({ price, forward: q.forward, strike: q.strike, t: q.t, isCall, multiplier: q.contractSize });
  return r.ok ? { iv: r.iv } : { iv: null, reason: r.reason };
}

/**
 * Black-76 implied vols of bid, ask, mid ((bid + ask)/2) and mark, r = 0, on the expiry's
 * forward. Inverse premiums are converted with the forward, USD = coin × F (QUANT.md b8
 * "practical rule": converting with the index mixes numeraires); a linear premium is USD per
 * contract, so per unit of underlying it is price / contractSize (QUANT.md b8, linear USDC
 * options carry multipliers; @volstream/svi impliedVolFromLinear). Delta and vega are
 * forward Black-76 greeks at the mid vol, else the mark vol (Deribit's units: vega per vol point).
 */
export function priceQuote(q: QuoteToPrice): PricedQuote {
  const bid = solve(q, q.bid);
  const ask = solve(q, q.ask);
  // The mid needs both sides; a one-sided book has no mid rather than a biased one.
  const mid = q.bid !== null && q.ask !== null && q.bid > 0 && q.ask > 0 ? solve(q, (q.bid + q.ask) / 2) : NO_QUOTE;
  const mark = solve(q, q.mark);

  const sigma = mid.iv ?? mark.iv;
  let delta: number | null = null;
  let vega: number | null = null;
  if (sigma !== null) {
    const g = black76Greeks({ forward: q.forward, strike: q.strike, t: q.t, sigma, isCall: q.optionType === 'call' });
    if (Number.isFinite(g.delta) && Number.isFinite(g.vega)) {
      delta = g.delta;
      vega = g.vega;
    }
  }
  const reasons: Reasons = {};
  if (bid.reason) reasons.bid = bid.reason;
  if (ask.reason) reasons.ask = ask.reason;
  if (mid.reason) reasons.mid = mid.reason;
  if (mark.reason) reasons.mark = mark.reason;
  return { k: Math.log(q.strike / q.forward), bidIv: bid.iv, askIv: ask.iv, midIv: mid.iv, markIv: mark.iv, delta, vega, reasons };
}
