import { normalisedBlackCall } from './iv/normalised-black.ts';
import { normCdf, normPdf } from './normal.ts';

/** Inputs of an undiscounted (r = 0) Black-76 option on a forward. */
export type Black76Input = {
  /** Forward price of the underlying, in quote currency (USD for Deribit BTC). */
  forward: number;
  /** Strike, same currency as forward. */
  strike: number;
  /** Time to expiry in years (ACT/365 for Deribit). */
  t: number;
  /** Volatility as a fraction (0.8 = 80%). */
  sigma: number;
  /** true for a call, false for a put. */
  isCall: boolean;
};

/**
 * Undiscounted Black-76 price (r = 0), in the currency of forward/strike.
 *
 * C = F·N(d₁) − K·N(d₂), P = K·N(−d₂) − F·N(−d₁),
 * d₁ = [ln(F/K) + σ²t/2]/(σ√t), d₂ = d₁ − σ√t  (Black 1976; QUANT.md b8).
 * For an inverse (coin-quoted) Deribit option divide the result by F (QUANT.md b8).
 *
 * @param input forward, strike (same currency), t in years, sigma as a fraction, isCall
 * @returns premium in the currency of forward/strike; NaN for invalid inputs
 * @example black76Price({ forward: 100, strike: 100, t: 1, sigma: 0.2, isCall: true }) // 7.965567455405796
 */
export function black76Price({ forward, strike, t, sigma, isCall }: Black76Input): number {
  if (!(forward > 0) || !(strike > 0) || !(t >= 0) || !(sigma >= 0)) return Number.NaN;
  const s = sigma * Math.sqrt(t);
  const intrinsic = isCall ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
  if (s === 0) return intrinsic;
  if (s === Number.POSITIVE_INFINITY) return isCall ? forward : strike;
  // OTM part in normalised form √(FK)·b(−|x|, s) (Jäckel 2015, normalised Black function), accurate to a few ulps
  // even where F·N(d₁) − K·N(d₂) cancels; intrinsic added back by put–call parity.
  const otm = Math.sqrt(forward) * Math.sqrt(strike) * normalisedBlackCall(-Math.abs(Math.log(forward / strike)), s);
  return Math.max(otm, 0) + intrinsic;
}

/** Black-76 sensitivities in Deribit's conventions (EXCHANGES.md §1.9). */
export type Black76Greeks = {
  /** Forward delta ∂V/∂F: N(d₁) for calls, N(d₁) − 1 for puts. */
  delta: number;
  /** ∂²V/∂F², per unit of forward (per USD for Deribit BTC). */
  gamma: number;
  /** ∂V/∂σ per 1 vol point (0.01 of sigma), currency of forward. */
  vega: number;
  /** ∂V/∂(calendar time) per calendar day (1/365 year), currency of forward; negative. */
  theta: number;
};

/**
 * Undiscounted Black-76 greeks with Deribit's units (EXCHANGES.md §1.9, verified on a
 * real 2020 BTC chain): forward delta, gamma per unit of forward, vega per vol point,
 * theta per calendar day.
 *
 * Δ_C = N(d₁), Δ_P = N(d₁) − 1, Γ = φ(d₁)/(F·σ√t), vega = F·φ(d₁)·√t/100,
 * θ = −F·φ(d₁)·σ/(2√t)/365  (Black 1976 with r = 0; Hull, "Options, Futures and
 * Other Derivatives", ch. 19 greeks specialised to futures options with r = 0).
 * At t = 0 or sigma = 0 delta is the intrinsic step and the other greeks are 0.
 *
 * @example black76Greeks({ forward: 100, strike: 100, t: 1, sigma: 0.2, isCall: true })
 * // { delta: 0.539827837277029, gamma: 0.0198476273738506, vega: 0.396952547477012, theta: -0.0108754122596442 }
 */
export function black76Greeks({ forward, strike, t, sigma, isCall }: Black76Input): Black76Greeks {
  if (!(forward > 0) || !(strike > 0) || !(t >= 0) || !(sigma >= 0)) {
    return { delta: Number.NaN, gamma: Number.NaN, vega: Number.NaN, theta: Number.NaN };
  }
  const sqrtT = Math.sqrt(t);
  const s = sigma * sqrtT;
  if (s === 0) {
    const itm = isCall ? forward > strike : forward < strike;
    const delta = itm ? (isCall ? 1 : -1) : 0;
    return { delta, gamma: 0, vega: 0, theta: 0 };
  }
  const d1 = Math.log(forward / strike) / s + s / 2;
  const pdf = normPdf(d1);
  const nd1 = normCdf(d1);
  // Put delta as −N(−d₁) rather than N(d₁) − 1 to keep precision deep ITM.
  const delta = isCall ? nd1 : -normCdf(-d1);
  const gamma = pdf / (forward * s);
  const vega = (forward * pdf * sqrtT) / 100;
  const theta = -(forward * pdf * sigma) / (2 * sqrtT) / 365;
  return { delta, gamma, vega, theta };
}
