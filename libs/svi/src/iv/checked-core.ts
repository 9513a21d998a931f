import { IV_REASON_CODE } from './iv-result.ts';
import type { IvStats } from './lets-be-rational.ts';
import { uncheckedNormalisedIv } from './lets-be-rational.ts';

/*
 * Shared checked path for impliedVol and impliedVolBatch (STYLE.md habit 8): validate,
 * reject quotes outside the no-arbitrage bounds intrinsic < price < max, map to the
 * out-of-the-money option in normalised coordinates (Jäckel 2015, normalised Black function: x = ln(F/K),
 * β = price/√(FK); put–call parity C − P = F − K removes intrinsic and turns an ITM call
 * into an OTM put, and a put at x is a call at −x), then call the unchecked core.
 *
 * Positional numbers on purpose: this is internal to the hot loop of the batch solver
 * and must not allocate. Public entry points take named objects.
 */

/**
 * σ (fraction, > 0) on success, otherwise −(reason code) from IV_REASON_CODE.
 * price is the undiscounted premium in the currency of forward/strike; t in years.
 */
export function solveImpliedVol(
  price: number, forward: number, strike: number, t: number, isCall: boolean,
  maxIterations: number, stats: IvStats,
): number {
  stats.iterations = 0;
  if (!(forward > 0 && forward < Infinity && strike > 0 && strike < Infinity && t > 0 && t < Infinity)) {
    return -IV_REASON_CODE.bad_input;
  }
  if (Number.isNaN(price) || price === Infinity) return -IV_REASON_CODE.bad_input;
  if (!(price > 0)) return -IV_REASON_CODE.no_quote;
  // Intrinsic and upper bound of an undiscounted call/put: (F−K)⁺ ≤ C < F, (K−F)⁺ ≤ P < K.
  const intrinsic = isCall ? (forward > strike ? forward - strike : 0) : (strike > forward ? strike - forward : 0);
  if (price >= (isCall ? forward : strike)) return -IV_REASON_CODE.above_max;
  if (price <= intrinsic) return -IV_REASON_CODE.below_intrinsic;
  const timeValue = price - intrinsic; // price of the OTM option at the same strike (parity)
  const x = -Math.abs(Math.log(forward / strike)); // the OTM option as a call at x ≤ 0
  const beta = timeValue / (Math.sqrt(forward) * Math.sqrt(strike)); // not √(F·K): F·K may overflow
  const bMax = Math.sqrt(forward < strike ? forward / strike : strike / forward); // e^{x/2}, cheaper than exp
  if (!(beta > 0)) return -IV_REASON_CODE.below_intrinsic; // time value underflows
  if (!(beta < bMax)) return -IV_REASON_CODE.above_max; // rounding at the bound
  const s = uncheckedNormalisedIv(beta, x, maxIterations, stats, bMax);
  const sigma = s / Math.sqrt(t);
  if (!(sigma > 0 && sigma < Infinity)) return -IV_REASON_CODE.no_convergence;
  return sigma;
}
