import { solveImpliedVol } from './checked-core.ts';
import { IV_DEFAULT_MAX_ITERATIONS } from './implied-vol.ts';
import type { IvStats } from './lets-be-rational.ts';

/** Inputs of impliedVolBatch; all arrays have the chain's length n. */
export type ImpliedVolBatchInput = {
  /** Undiscounted premia in the currency of forwards/strikes (USD for Deribit: coin × F). */
  prices: ArrayLike<number>;
  /** Forward per option (repeat the expiry's forward). */
  forwards: ArrayLike<number>;
  /** Strike per option, same currency as forwards. */
  strikes: ArrayLike<number>;
  /** Time to expiry in years per option. */
  ts: ArrayLike<number>;
  /** Call (true / 1) or put (false / 0) per option. */
  isCall: ArrayLike<boolean | number>;
  /** Output: σ as a fraction, NaN where the solve failed. Length ≥ n. */
  out: Float64Array;
  /** Optional output: 0 = ok, else IV_REASON_CODE of the failure. Length ≥ n. */
  reasons?: Uint8Array;
  /** Optional output: Householder iterations used per option. Length ≥ n. */
  iterationsOut?: Uint8Array | Int32Array;
  /** Householder iterations allowed (tests only; default 3). */
  maxIterations?: number;
};

/**
 * Implied vols for a whole chain into preallocated typed arrays, with no allocation per
 * option; same solver and outcomes as impliedVol (Jäckel 2015 "Let's Be Rational").
 *
 * @returns the number of options solved (out[i] finite)
 * @example
 * const out = new Float64Array(2); const reasons = new Uint8Array(2);
 * impliedVolBatch({ prices: [7.965567455405796, 0], forwards: [100, 100], strikes: [100, 100],
 *   ts: [1, 1], isCall: [true, true], out, reasons }) // 1; out = [0.2, NaN], reasons = [0, 1]
 */
export function impliedVolBatch({
  prices, forwards, strikes, ts, isCall, out, reasons, iterationsOut, maxIterations = IV_DEFAULT_MAX_ITERATIONS,
}: ImpliedVolBatchInput): number {
  const n = prices.length;
  const stats: IvStats = { iterations: 0 };
  let solved = 0;
  for (let i = 0; i < n; i++) {
    const r = solveImpliedVol(
      prices[i] as number, forwards[i] as number, strikes[i] as number, ts[i] as number,
      Boolean(isCall[i]), maxIterations, stats,
    );
    if (r > 0) {
      out[i] = r;
      if (reasons) reasons[i] = 0;
      solved++;
    } else {
      out[i] = Number.NaN;
      if (reasons) reasons[i] = -r;
    }
    if (iterationsOut) iterationsOut[i] = stats.iterations;
  }
  return solved;
}
