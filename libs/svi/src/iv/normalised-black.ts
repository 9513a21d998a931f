import { erfcx } from '../normal.ts';

/*
 * Normalised Black call on an out-of-the-money (x ≤ 0) forward, r = 0:
 *
 *   b(x, s) = e^{x/2}·N(x/s + s/2) − e^{−x/2}·N(x/s − s/2),   x = ln(F/K), s = σ√t,
 *
 * so that the Black-76 call price is √(FK)·b (Jäckel 2015, "Let's Be Rational",
 * normalised Black function). With h = x/s, τ = s/2 (so hτ = x/2) and the Mills ratio
 * M(z) = N(z)/φ(z):
 *
 *   b = φ(h)·e^{−τ²/2}·[M(h+τ) − M(h−τ)]                    (1)
 *
 * (derived from e^{±x/2}·φ(h±τ) = φ(h)·e^{−τ²/2}; Jäckel 2015 writes b the same way with
 * erfcx). Which evaluation of (1) is accurate depends on the region; each branch says why.
 */

const INV_SQRT_2PI = 0.39894228040143267794; // 1/√(2π)
const SQRT_HALF_PI = 1.25331413731550025121; // √(π/2)
const SQRT_1_2 = 0.70710678118654752440; // 1/√2
/**
 * τ below which the Taylor series in τ may be used. Jäckel 2015 uses 0.21; 0.4 measured
 * better here (against mpmath): above it the erfcx forms cancel by at most ~1.6×.
 */
const TAU_SMALL = 0.4;
/** |x| below which (with τ < TAU_SMALL) the Taylor series replaces the erfcx difference. */
const X_TAYLOR = 1;
/** 1/k for k = 0..41 (index 0 unused). */
const RECIPROCALS = Float64Array.from({ length: 42 }, (_, k) => (k === 0 ? 0 : 1 / k));
/** h below which the Taylor coefficients come from backward recursion (stable for h ≪ 0). */
const H_LARGE = -10;

/**
 * Mills ratio M(h) = N(h)/φ(h) = √(π/2)·erfcx(−h/√2), full relative precision for h ≤ 0
 * (Cody 1969 via erfcx).
 */
function millsRatio(h: number): number {
  return SQRT_HALF_PI * erfcx(-h * SQRT_1_2);
}

/**
 * Σ_{k odd} m_k τ^k with m_k = M^{(k)}(h)/k!, the odd part of the Taylor series of
 * M(h+τ) in τ, so that M(h+τ) − M(h−τ) = 2·Σ_{k odd} m_k τ^k. From M' = 1 + zM the
 * coefficients obey (k+1)·m_{k+1} = h·m_k + m_{k−1}, m_0 = M(h), m_1 = 1 + h·M(h)
 * (derived; cf. the small-τ expansion of Jäckel 2015). Since
 * M^{(k)}(h) = ∫₀^∞ u^k e^{hu−u²/2} du > 0 every term is positive: no cancellation.
 */
function oddTaylorSum(h: number, tau: number): number {
  const tau2 = tau * tau;
  const m0 = millsRatio(h);
  if (h >= H_LARGE) {
    // Forward recursion. m_k is the minimal solution for h ≪ 0, so forward recursion
    // loses about ε·h^{2k}/k! relative in m_k; for h ≥ −10 and τ < 0.4 the loss in the
    // weighted sum stays at the ε level (checked against mpmath, see the unit test).
    let mPrev = m0;
    let m = 1 + h * m0; // m_1
    let tk = tau; // τ^k
    let sum = m * tk;
    // Reciprocals instead of divisions: this loop is the hot spot for short-dated options.
    for (let k = 1; k < 40; k += 2) {
      const mNext = (h * m + mPrev) * (RECIPROCALS[k + 1] as number); // m_{k+1}
      const mNext2 = (h * mNext + m) * (RECIPROCALS[k + 2] as number); // m_{k+2}
      mPrev = mNext;
      m = mNext2;
      tk *= tau2;
      const term = m * tk;
      sum += term;
      if (term <= 1e-17 * sum) break;
    }
    return sum;
  }
  // Backward (Miller) recursion y_{k−1} = (k+1)·y_{k+1} − h·y_k from y_25 = 0, y_24 = 1,
  // normalised by m_0 at the end: m_k is the minimal solution for h ≪ 0, so the start
  // error is damped by about (k+1)/h² ≤ 0.25 per step (Gautschi 1967, "Computational
  // aspects of three-term recurrence relations", SIAM Review 9(1)). Terms beyond τ^15
  // are below ε because τ/|h| < 0.04 here.
  let yNext = 0; // y_{k+1}
  let y = 1; // y_k, k = 24
  let acc = 0; // Horner accumulator over odd k in τ²
  for (let k = 24; k >= 1; k--) {
    const yPrev = (k + 1) * yNext - h * y; // y_{k−1}
    yNext = y;
    y = yPrev;
    if (((k - 1) & 1) === 1 && k - 1 <= 15) acc = acc * tau2 + y;
  }
  // y now holds y_0, proportional to m_0 = M(h)
  return (m0 / y) * tau * acc;
}

/**
 * b from precomputed pieces, for callers that also need the vega (which shares e):
 * h = x/s, τ = s/2, e = exp(−(h² + τ²)/2), bMax = e^{x/2}. Hot path: positional.
 */
export function normalisedBlackCallFromParts(h: number, tau: number, e: number, bMax: number): number {
  // The erfcx difference below costs a relative ε·M(h+τ)/(2τ) ≈ ε/|x − 2τ²|... in β and
  // ε/|x| in s; the Taylor series is only needed where that is large: small τ and small |x|.
  if (tau < TAU_SMALL && 2 * h * tau > -X_TAYLOR - 2 * tau * tau) {
    // Small τ, near the money: M(h+τ) − M(h−τ) cancels; sum the positive Taylor terms of (1).
    // (e = 0 means b underflows; skip the series, whose backward recursion could overflow.)
    return e === 0 ? 0 : 2 * INV_SQRT_2PI * e * oddTaylorSum(h, tau);
  }
  if (h + tau <= 0) {
    // At or below the inflection point s_c = √(2|x|): (1) with M(z) = √(π/2)·erfcx(−z/√2),
    // both erfcx arguments ≥ 0; relative cancellation ≤ M(h+τ)/(2τ) ≤ 1.6 for τ ≥ 0.4.
    return 0.5 * e * (erfcx(-(h + tau) * SQRT_1_2) - erfcx((tau - h) * SQRT_1_2));
  }
  // Above the inflection point b ≥ b_max/2 − …: subtract the cancellation-free complement.
  return bMax - normalisedBlackCallComplementFromParts(h, tau, e);
}

/**
 * b_max − b = e^{x/2}·N(−h−τ) + e^{−x/2}·N(h−τ) = ½·e·[erfcx((h+τ)/√2) + erfcx((τ−h)/√2)]
 * (using e^{±x/2}·φ(h±τ) = φ(h)·e^{−τ²/2}; derived as (1)). Both terms positive.
 * Requires h + τ ≥ −26 (erfcx overflows below); the upper branch has h + τ > 0.
 */
export function normalisedBlackCallComplementFromParts(h: number, tau: number, e: number): number {
  return 0.5 * e * (erfcx((h + tau) * SQRT_1_2) + erfcx((tau - h) * SQRT_1_2));
}

/**
 * Normalised Black call b(x, s) for x ≤ 0 (out of the money or at the money), s = σ√t > 0.
 * Relative accuracy within a few ulps wherever b is a normal double (checked against
 * 60-digit mpmath values in normalised-black.unit.test.ts).
 *
 * @param x log-moneyness ln(F/K) ≤ 0
 * @param s total standard deviation σ√t > 0
 * @example normalisedBlackCall(0, 0.2) // 0.0796556745540579 (= erf(0.1/√2))
 */
export function normalisedBlackCall(x: number, s: number): number {
  const h = x / s;
  const tau = 0.5 * s;
  return normalisedBlackCallFromParts(h, tau, Math.exp(-0.5 * (h * h + tau * tau)), Math.exp(0.5 * x));
}

/**
 * Complement b_max − b(x, s) with b_max = e^{x/2}, computed without cancellation
 * (used by the upper branch; Jäckel 2015 works with b_max − b there too).
 */
export function normalisedBlackCallComplement(x: number, s: number): number {
  const h = x / s;
  const tau = 0.5 * s;
  const e = Math.exp(-0.5 * (h * h + tau * tau));
  // Below the inflection point b ≤ b_max/2, so b_max − b does not cancel; the erfcx sum
  // would overflow there for h + τ ≪ 0.
  if (h + tau <= 0) return Math.exp(0.5 * x) - normalisedBlackCallFromParts(h, tau, e, 0);
  return normalisedBlackCallComplementFromParts(h, tau, e);
}

/**
 * Normalised vega ∂b/∂s = φ(h)·e^{−τ²/2} = exp(−(h² + τ²)/2)/√(2π)  (Jäckel 2015, normalised vega).
 * At x = 0, s = 0 it is 1/√(2π).
 */
export function normalisedVega(x: number, s: number): number {
  if (s === 0) return x === 0 ? INV_SQRT_2PI : 0;
  const h = x / s;
  const tau = 0.5 * s;
  return INV_SQRT_2PI * Math.exp(-0.5 * (h * h + tau * tau));
}
