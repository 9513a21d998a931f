import { black76Price } from '../black76.ts';
import type { ImpliedVolInput, IvResult } from './iv-result.ts';

export type { ImpliedVolInput, IvFailure, IvResult } from './iv-result.ts';

/**
 * Black-76 implied volatility (undiscounted, r = 0). Never throws.
 * TEMPORARY core: Newton on σ with a bisection bracket fallback.
 */
export function impliedVol({ price, forward, strike, t, isCall }: ImpliedVolInput): IvResult {
  if (!Number.isFinite(price) || !Number.isFinite(forward) || !Number.isFinite(strike) || !Number.isFinite(t)) {
    return { ok: false, reason: 'bad_input' };
  }
  if (!(forward > 0) || !(strike > 0) || !(t > 0)) return { ok: false, reason: 'bad_input' };
  if (!(price > 0)) return { ok: false, reason: 'no_quote' };
  const intrinsic = isCall ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
  const max = isCall ? forward : strike;
  if (price <= intrinsic) return { ok: false, reason: 'below_intrinsic' };
  if (price >= max) return { ok: false, reason: 'above_max' };
  let lo = 0;
  let hi = 100;
  let sigma = Math.sqrt((2 * Math.abs(Math.log(forward / strike))) / t) + 0.2;
  for (let i = 1; i <= 200; i++) {
    const p = black76Price({ forward, strike, t, sigma, isCall });
    const diff = p - price;
    if (Math.abs(diff) <= 1e-14 * price) return { ok: true, iv: sigma, iterations: i };
    if (diff > 0) hi = sigma;
    else lo = sigma;
    const d1 = Math.log(forward / strike) / (sigma * Math.sqrt(t)) + (sigma * Math.sqrt(t)) / 2;
    const vega = (forward * Math.exp(-0.5 * d1 * d1) * Math.sqrt(t)) / Math.sqrt(2 * Math.PI);
    let next = sigma - diff / vega;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - sigma) <= 1e-15 * sigma) return { ok: true, iv: next, iterations: i };
    sigma = next;
  }
  return { ok: false, reason: 'no_convergence' };
}

/** Inputs for a Deribit-style inverse option quoted in coin. */
export type ImpliedVolFromCoinInput = {
  /** Premium in coin (BTC/ETH) as Deribit quotes it. */
  coinPrice: number;
  /** Forward (Deribit `underlying_price`), USD per coin. */
  forward: number;
  /** Strike in USD. */
  strike: number;
  /** Time to expiry in years (ACT/365). */
  t: number;
  /** true for a call, false for a put. */
  isCall: boolean;
};

/**
 * Implied vol of an inverse (coin-quoted) option: premium_USD = coinPrice × F, then Black-76
 * on F (QUANT.md b8 "practical rule"; EXCHANGES.md §1.9).
 *
 * @example impliedVolFromCoin({ coinPrice: 0.04010621, forward: 9352.58, strike: 9250, t: 0.02235, isCall: false })
 */
export function impliedVolFromCoin({ coinPrice, forward, strike, t, isCall }: ImpliedVolFromCoinInput): IvResult {
  return impliedVol({ price: coinPrice * forward, forward, strike, t, isCall });
}
