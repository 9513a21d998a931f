import { IV_REASON_NAME } from './iv-result.ts';
import type { ImpliedVolInput, IvFailure, IvResult } from './iv-result.ts';
import type { IvStats } from './lets-be-rational.ts';
import { solveImpliedVol } from './checked-core.ts';

export type { ImpliedVolInput, IvFailure, IvResult } from './iv-result.ts';

/** Default Householder(3) iterations allowed; two reach double precision (Jäckel 2015; measured in the unit tests). */
export const IV_DEFAULT_MAX_ITERATIONS = 3;

const stats: IvStats = { iterations: 0 };

/**
 * Black-76 implied volatility of an undiscounted (r = 0) European option. Never throws.
 *
 * Solves price = Black76(F, K, t, σ) (Black 1976; QUANT.md b8) for σ with a
 * "Let's Be Rational"-class solver (Jäckel 2015): normalised coordinates x = ln(F/K),
 * β = price/√(FK), ITM → OTM by put–call parity, rational initial guess per branch,
 * Householder(3) iterations; double precision in ≤ 2 iterations.
 *
 * Outcomes: `no_quote` (price ≤ 0), `below_intrinsic` (price ≤ (F−K)⁺ for calls,
 * (K−F)⁺ for puts), `above_max` (price ≥ F for calls, ≥ K for puts), `bad_input`
 * (non-finite input, F, K or t ≤ 0), `no_convergence` (not expected; safety net).
 *
 * @param input.price undiscounted premium in the currency of forward/strike (USD for Deribit
 *   after multiplying the coin price by F — see impliedVolFromCoin)
 * @param input.forward forward price; input.strike strike (same currency)
 * @param input.t time to expiry in years; input.isCall call or put
 * @param input.maxIterations Householder iterations allowed (tests only; default 3)
 * @returns `{ ok: true, iv, iterations }` with iv as a fraction, or `{ ok: false, reason }`
 * @example impliedVol({ price: 7.965567455405796, forward: 100, strike: 100, t: 1, isCall: true })
 * // { ok: true, iv: 0.2, iterations: 2 }
 */
export function impliedVol(input: ImpliedVolInput & { maxIterations?: number }): IvResult {
  const { price, forward, strike, t, isCall } = input;
  const r = solveImpliedVol(price, forward, strike, t, isCall, input.maxIterations ?? IV_DEFAULT_MAX_ITERATIONS, stats);
  if (r > 0) return { ok: true, iv: r, iterations: stats.iterations };
  return { ok: false, reason: IV_REASON_NAME[-r] as IvFailure };
}

/** Inputs for a Deribit-style inverse option quoted in coin. */
export type ImpliedVolFromCoinInput = {
  /** Premium in coin (BTC/ETH) as Deribit quotes it, e.g. `mark_price`. */
  coinPrice: number;
  /** Forward in USD per coin (Deribit `underlying_price`). */
  forward: number;
  /** Strike in USD. */
  strike: number;
  /** Time to expiry in years (Deribit: (expiration_timestamp − timestamp)/(365·86400000)). */
  t: number;
  /** true for a call, false for a put. */
  isCall: boolean;
};

/**
 * Implied vol of an inverse (coin-quoted) option such as Deribit BTC/ETH options:
 * premium_USD = coinPrice × F, then Black-76 on F (QUANT.md b8 "practical rule";
 * EXCHANGES.md §1.9). Using the index instead of F mixes numeraires (~0.35 vol pt).
 *
 * @example impliedVolFromCoin({ coinPrice: 0.04010621, forward: 9352.58, strike: 9250,
 *   t: (1590134400000 - 1589434896486) / (365 * 86400000), isCall: false })
 * // { ok: true, iv: 0.76840 (Deribit mark_iv 76.87), iterations: 2 }
 */
export function impliedVolFromCoin({ coinPrice, forward, strike, t, isCall }: ImpliedVolFromCoinInput): IvResult {
  return impliedVol({ price: coinPrice * forward, forward, strike, t, isCall });
}

/** Inputs for a linear option (premium in the quote currency, e.g. Deribit USDC options). */
export type ImpliedVolFromLinearInput = {
  /** Premium per unit of underlying, in quote currency (USDC), i.e. quoted price / multiplier. */
  price: number;
  /** Forward in quote currency. */
  forward: number;
  /** Strike in quote currency. */
  strike: number;
  /** Time to expiry in years. */
  t: number;
  /** true for a call, false for a put. */
  isCall: boolean;
  /** Contract multiplier the quoted price refers to (Deribit SOL_USDC ×10; QUANT.md b8); default 1. */
  multiplier?: number;
};

/**
 * Implied vol of a linear (quote-currency-settled) option: premium per unit of underlying =
 * price / multiplier, then Black-76 on F with r = 0 (QUANT.md b8, linear USDC options).
 *
 * @example impliedVolFromLinear({ price: 7.965567455405796, forward: 100, strike: 100, t: 1, isCall: true })
 * // { ok: true, iv: 0.2, iterations: 2 }
 */
export function impliedVolFromLinear({ price, forward, strike, t, isCall, multiplier = 1 }: ImpliedVolFromLinearInput): IvResult {
  return impliedVol({ price: price / multiplier, forward, strike, t, isCall });
}
