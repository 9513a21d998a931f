import { erfcx, normInvApprox, oneMinusErfcx } from '../normal.ts';
import { normalisedBlackCallComplementFromParts, normalisedBlackCallFromParts } from './normalised-black.ts';
import {
  controlParameterToFitSecondDerivativeAtLeft,
  controlParameterToFitSecondDerivativeAtRight,
  rationalCubicInterpolation,
} from './rational-cubic.ts';

/*
 * Unchecked normalised core of a "Let's Be Rational"-class implied-volatility solver
 * (P. Jäckel, "Let's Be Rational", Wilmott 2015(75), 40–53; revised 2016). Written from the
 * paper's description, not from any implementation.
 *
 * Input: x = ln(F/K) ≤ 0 and 0 < β < b_max = e^{x/2}, β the normalised price of an
 * out-of-the-money call, price/√(FK). Output: s = σ√t with b(x, s) = β.
 *
 * 1. Split β at b_l < b_c < b_u (Jäckel 2015, the four branches): s_c = √(2|x|) is the inflection point of
 *    b(s); s_l = s_c − b_c/v_c and s_u = s_c + (b_max − b_c)/v_c are where the tangent at
 *    s_c meets 0 and b_max.
 * 2. Initial guess per branch by a Delbourgo–Gregory rational cubic (Jäckel 2015, initial guess):
 *    - β < b_l: in f = (2π|x|/(3√3))·N(x/(√3·s))³ (b's small-s asymptote), invert f → s;
 *    - b_l ≤ β ≤ b_u: directly s(β) through (b_l,s_l), (b_c,s_c), (b_u,s_u), using b''(s_c)=0;
 *    - β > b_u: in f = N(−s/2) (b_max − b ≈ 2f for large s), invert f → s.
 * 3. Householder(3) iterations (Householder 1970, "The numerical treatment of a single
 *    nonlinear equation", McGraw-Hill) on a branch-wise objective that is nearly linear in s:
 *    1/ln b − 1/ln β (lowest), b − β (middle), ln(b_max − β) − ln(b_max − b) (highest)
 *    (Jäckel 2015, objective functions per branch). A bracket from the branch bounds is kept as a safety net.
 */

const SQRT3 = 1.73205080756887729353;
const TWO_PI_OVER_3_SQRT3 = (2 * Math.PI) / (3 * SQRT3);
const INV_SQRT_2PI = 0.39894228040143267794;
const SQRT_1_2 = 0.70710678118654752440;
/** Relative step size after which no further Householder(3) step is needed. */
const CONVERGED = 1e-6;

/** Iteration statistics written by the core (reused object, no allocation on the hot path). */
export type IvStats = { iterations: number };

const scratch: IvStats = { iterations: 0 };

/** Householder(3) step factor: Δs = ν·(1 + γν/2)/(1 + ν(γ + δν/6)) (Householder 1970). */
function householderStep(nu: number, gamma: number, delta: number): number {
  return (nu * (1 + 0.5 * gamma * nu)) / (1 + nu * (gamma + (delta * nu) / 6));
}

/** f(s) = A·N(z)³ with z = x/(√3 s), A = 2π|x|/(3√3); ~ b(x,s) as s → 0 (Jäckel 2015, lowest-branch map; asymptote derived in the paper). */
function inverseLowerMap(x: number, f: number): number {
  const a = -TWO_PI_OVER_3_SQRT3 * x;
  const z = normInvApprox(Math.cbrt(f / a));
  return x / (SQRT3 * z);
}

/**
 * s = σ√t solving b(x, s) = β for x ≤ 0 and 0 < β < e^{x/2}. No input checks.
 *
 * @param beta normalised out-of-the-money call price β = price/√(FK)
 * @param x log-moneyness ln(F/K) ≤ 0 (puts and in-the-money options are mapped by the caller)
 * @param maxIterations Householder(3) iterations allowed (2 suffice to ε; default 3)
 * @param stats optional object receiving the iteration count
 * @param bMax e^{x/2} if the caller has it more cheaply (e.g. √(F/K)); computed otherwise
 * @returns s, or NaN if the iteration produced a non-finite value
 * @example uncheckedNormalisedIv(0.07965567455405796, 0) // 0.2 (ATM, σ√t = 0.2)
 */
export function uncheckedNormalisedIv(
  beta: number, x: number, maxIterations = 3, stats: IvStats = scratch, bMax = Math.exp(0.5 * x),
): number {
  const sC = Math.sqrt(-2 * x);
  // At s_c: h = −τ, so h² + τ² = −x, e = b_max and (1) gives b_c = ½·b_max·(1 − erfcx(√|x|)).
  const bC = 0.5 * bMax * oneMinusErfcx(Math.sqrt(-x));
  const vC = INV_SQRT_2PI * bMax;

  let s: number;
  let lo: number;
  let hi: number;
  let branch: 0 | 1 | 2 | 3;

  if (beta < bC) {
    const sL = sC - bC / vC;
    const hL = x / sL;
    const eL = Math.exp(-0.5 * (hL * hL + 0.25 * sL * sL));
    const bL = normalisedBlackCallFromParts(hL, 0.5 * sL, eL, bMax);
    const vL = INV_SQRT_2PI * eL;
    if (beta < bL) {
      // Lowest branch: interpolate f(β) on [0, b_l] with f(0) = 0, f'(0) = 1, f''(b_l) matched.
      branch = 0;
      const z = x / (SQRT3 * sL);
      // N(z) and φ(z) from one exponential: N(z) = ½·erfcx(−z/√2)·e^{−z²/2} (z ≤ 0).
      const ez = Math.exp(-0.5 * z * z);
      const pz = INV_SQRT_2PI * ez;
      const nz = 0.5 * erfcx(-z * SQRT_1_2) * ez;
      const a = -TWO_PI_OVER_3_SQRT3 * x;
      const fL = a * nz * nz * nz;
      const fS = (SQRT3 * a * -x * nz * nz * pz) / (sL * sL);
      const fSS = ((SQRT3 * a * -x * nz * pz) / (sL * sL * sL)) * (-2 * z * pz + (z * z - 2) * nz);
      const gammaL = (hL * hL) / sL - 0.25 * sL; // b''/b' = h²/s − s/4 (differentiating ln b' below)
      const dfdb = fS / vL;
      const d2fdb2 = (fSS - fS * gammaL) / (vL * vL);
      const r = controlParameterToFitSecondDerivativeAtRight(0, bL, 0, fL, 1, dfdb, d2fdb2);
      const f = rationalCubicInterpolation(beta, 0, bL, 0, fL, 1, dfdb, r);
      s = f > 0 ? inverseLowerMap(x, f) : 0;
      lo = 0;
      hi = sL;
      if (!(s > 0 && s < hi)) s = 0.5 * hi;
    } else {
      // Lower middle branch: s(β) between (b_l, s_l) and (b_c, s_c); s''(b_c) = 0.
      branch = 1;
      const r = controlParameterToFitSecondDerivativeAtRight(bL, bC, sL, sC, 1 / vL, 1 / vC, 0);
      s = rationalCubicInterpolation(beta, bL, bC, sL, sC, 1 / vL, 1 / vC, r);
      lo = sL;
      hi = sC;
    }
  } else {
    const sU = sC + (bMax - bC) / vC;
    const hU = x / sU;
    const eU = Math.exp(-0.5 * (hU * hU + 0.25 * sU * sU));
    const bU = normalisedBlackCallFromParts(hU, 0.5 * sU, eU, bMax);
    const vU = INV_SQRT_2PI * eU;
    if (beta <= bU) {
      // Upper middle branch: s(β) between (b_c, s_c) and (b_u, s_u); s''(b_c) = 0.
      branch = 2;
      const r = controlParameterToFitSecondDerivativeAtLeft(bC, bU, sC, sU, 1 / vC, 1 / vU, 0);
      s = rationalCubicInterpolation(beta, bC, bU, sC, sU, 1 / vC, 1 / vU, r);
      lo = sC;
      hi = sU;
    } else {
      // Highest branch: interpolate f(β) = N(−s/2) on [b_u, b_max]; f(b_max) = 0, f'(b_max) = −½.
      branch = 3;
      const eu = Math.exp(-0.125 * sU * sU);
      const fU = 0.5 * erfcx(0.5 * sU * SQRT_1_2) * eu; // N(−s_u/2)
      const fS = -0.5 * INV_SQRT_2PI * eu; // −½·φ(s_u/2)
      const fSS = 0.125 * sU * INV_SQRT_2PI * eu; // (s_u/8)·φ(s_u/2)
      const gammaU = (hU * hU) / sU - 0.25 * sU;
      const dfdb = fS / vU;
      const d2fdb2 = (fSS - fS * gammaU) / (vU * vU);
      const r = controlParameterToFitSecondDerivativeAtLeft(bU, bMax, fU, 0, dfdb, -0.5, d2fdb2);
      const f = rationalCubicInterpolation(beta, bU, bMax, fU, 0, dfdb, -0.5, r);
      s = f > 0 && f < 0.5 ? -2 * normInvApprox(f) : Number.NaN;
      lo = sU;
      hi = Infinity;
      if (!(s > lo)) s = 2 * lo;
    }
  }

  const lnBeta = branch === 0 ? Math.log(beta) : 0;
  const cBeta = branch === 3 ? bMax - beta : 0;
  let i = 0;
  while (i < maxIterations) {
    i++;
    const h = x / s;
    const tau = 0.5 * s;
    const e = Math.exp(-0.5 * (h * h + tau * tau));
    const vega = INV_SQRT_2PI * e; // b'(s) = φ(h)·e^{−τ²/2} (Jäckel 2015, normalised vega)
    const gammaB = (h * h) / s - 0.25 * s; // b''/b'
    const deltaB = gammaB * gammaB - (3 * h * h) / (s * s) - 0.25; // b'''/b'
    let nu: number;
    let gamma: number;
    let delta: number;
    if (branch === 0) {
      const b = normalisedBlackCallFromParts(h, tau, e, bMax);
      if (b < beta) lo = s;
      else hi = s;
      const lnB = Math.log(b);
      const l1 = vega / b; // (ln b)'
      nu = (lnB * (lnBeta - lnB)) / (lnBeta * l1);
      gamma = gammaB - l1 - (2 * l1) / lnB;
      delta = deltaB - 3 * l1 * gammaB + 2 * l1 * l1 - (6 * l1 * (gammaB - l1)) / lnB + (6 * l1 * l1) / (lnB * lnB);
    } else if (branch === 3) {
      const c = normalisedBlackCallComplementFromParts(h, tau, e);
      if (c > cBeta) lo = s;
      else hi = s;
      const u = vega / c; // −(ln(b_max − b))'
      nu = Math.log(c / cBeta) / u;
      gamma = gammaB + u;
      delta = deltaB + 3 * u * gammaB + 2 * u * u;
    } else {
      const b = normalisedBlackCallFromParts(h, tau, e, bMax);
      if (b < beta) lo = s;
      else hi = s;
      nu = (beta - b) / vega;
      gamma = gammaB;
      delta = deltaB;
    }
    const ds = householderStep(nu, gamma, delta);
    let next = s + ds;
    if (!(next >= lo && next <= hi)) {
      // Safety net: stay inside the bracket (only taken on pathological inputs).
      next = hi < Infinity ? 0.5 * (lo + hi) : 2 * s;
    }
    // Householder(3) converges with order 4: once a step is below CONVERGED·s, the error
    // left after it is ~(CONVERGED)^4, far below ε, so a further step would be wasted.
    const done = Math.abs(next - s) <= CONVERGED * next;
    s = next;
    if (done) break;
  }
  stats.iterations = i;
  return Number.isFinite(s) ? s : Number.NaN;
}
