/**
 * Standard normal distribution: density, cumulative distribution and its inverse,
 * plus the scaled complementary error function erfcx used by the implied-vol core.
 *
 * Accuracy: normCdf is relative ~1e-15 for x ≥ −26 (W. J. Cody, "Rational Chebyshev
 * approximations for the error function", Math. Comp. 23 (1969) 631–637); normInv is
 * Acklam's rational start refined by one Halley step to ~1 ulp.
 */

const SQRT_PI_INV = 0.56418958354775628695; // 1/√π
const SQRT_1_2 = 0.70710678118654752440; // 1/√2
const SQRT_2PI = 2.50662827463100050242; // √(2π)
const INV_SQRT_2PI = 0.39894228040143267794; // 1/√(2π)

// Cody (1969) coefficients, as tabulated in his CALERF routine (netlib specfun).
const A0 = 3.16112374387056560e0, A1 = 1.13864154151050156e2, A2 = 3.77485237685302021e2;
const A3 = 3.20937758913846947e3, A4 = 1.85777706184603153e-1;
const B0 = 2.36012909523441209e1, B1 = 2.44024637934444173e2, B2 = 1.28261652607737228e3;
const B3 = 2.84423683343917062e3;
const C0 = 5.64188496988670089e-1, C1 = 8.88314979438837594e0, C2 = 6.61191906371416295e1;
const C3 = 2.98635138197400131e2, C4 = 8.81952221241769090e2, C5 = 1.71204761263407058e3;
const C6 = 2.05107837782607147e3, C7 = 1.23033935479799725e3, C8 = 2.15311535474403846e-8;
const D0 = 1.57449261107098347e1, D1 = 1.17693950891312499e2, D2 = 5.37181101862009858e2;
const D3 = 1.62138957456669019e3, D4 = 3.29079923573345963e3, D5 = 4.36261909014324716e3;
const D6 = 3.43936767414372164e3, D7 = 1.23033935480374942e3;
const P0 = 3.05326634961232344e-1, P1 = 3.60344899949804439e-1, P2 = 1.25781726111229246e-1;
const P3 = 1.60837851487422766e-2, P4 = 6.58749161529837803e-4, P5 = 1.63153871373020978e-2;
const Q0 = 2.56852019228982242e0, Q1 = 1.87295284992346047e0, Q2 = 5.27905102951428412e-1;
const Q3 = 6.05183413124413191e-2, Q4 = 2.33520497626869185e-3;

/** erf(y) for |y| ≤ 0.46875 (Cody 1969, first interval). */
function erfSmall(y: number): number {
  const z = y * y;
  const num = (((A4 * z + A0) * z + A1) * z + A2) * z + A3;
  const den = (((z + B0) * z + B1) * z + B2) * z + B3;
  return (y * num) / den;
}

/** erfcx(y) = e^{y²}·erfc(y) for 0.46875 < y ≤ 4 (Cody 1969, second interval). */
function erfcxMid(y: number): number {
  const num = (((((((C8 * y + C0) * y + C1) * y + C2) * y + C3) * y + C4) * y + C5) * y + C6) * y + C7;
  const den = (((((((y + D0) * y + D1) * y + D2) * y + D3) * y + D4) * y + D5) * y + D6) * y + D7;
  return num / den;
}

/** erfcx(y) for y > 4 (Cody 1969, third interval, asymptotic rational in 1/y²). */
function erfcxLarge(y: number): number {
  const z = 1 / (y * y);
  const num = ((((P5 * z + P0) * z + P1) * z + P2) * z + P3) * z + P4;
  const den = ((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4;
  return (SQRT_PI_INV - (z * num) / den) / y;
}

/** e^{−y²} computed as e^{−z²}·e^{−(y−z)(y+z)} with z = y rounded to 1/16, so the
 *  rounding of y² does not cost relative accuracy (Cody 1969, CALERF). */
function expMinusSquare(y: number): number {
  const z = Math.trunc(y * 16) / 16;
  return Math.exp(-z * z) * Math.exp(-(y - z) * (y + z));
}

/**
 * Scaled complementary error function erfcx(x) = e^{x²}·erfc(x).
 * Relative accuracy ~1e-16 for x ≥ 0 (Cody 1969). For x < 0 it grows like 2e^{x²}.
 *
 * @example erfcx(0) // 1
 */
export function erfcx(x: number): number {
  if (x < 0) {
    if (x < -26.7) return Number.POSITIVE_INFINITY;
    // erfc(x) = 2 − erfc(−x) ⇒ erfcx(x) = 2e^{x²} − erfcx(−x)
    return 2 * Math.exp(x * x) - erfcx(-x);
  }
  if (x <= 0.46875) return Math.exp(x * x) * (1 - erfSmall(x));
  if (x <= 4) return erfcxMid(x);
  return erfcxLarge(x);
}

/**
 * 1 − erfcx(y) for y ≥ 0 without cancellation at small y: for y ≤ 0.46875 it is
 * e^{y²}·erf(y) − (e^{y²} − 1) (erf from Cody 1969's first interval, e^{y²} − 1 by expm1),
 * whose two terms differ by at least a factor 2 there; above, 1 − erfcx(y) directly.
 *
 * @example oneMinusErfcx(0.5) // 0.3843096558070741
 */
export function oneMinusErfcx(y: number): number {
  if (y <= 0.46875) {
    const y2 = y * y;
    return Math.exp(y2) * erfSmall(y) - Math.expm1(y2);
  }
  return 1 - erfcx(y);
}

/**
 * Complementary error function erfc(x) = 1 − erf(x), relative accuracy ~1e-16
 * for x ≥ −26 (Cody 1969).
 *
 * @example erfc(0) // 1
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  const y = Math.abs(x);
  let r: number;
  if (y <= 0.46875) return 1 - erfSmall(x);
  if (y <= 4) r = expMinusSquare(y) * erfcxMid(y);
  else if (y < 27.3) r = expMinusSquare(y) * erfcxLarge(y);
  else r = 0;
  return x < 0 ? 2 - r : r;
}

/**
 * Standard normal density φ(x) = e^{−x²/2}/√(2π).
 *
 * @example normPdf(0) // 0.3989422804014327
 */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Standard normal cumulative distribution N(x) = ½·erfc(−x/√2) (Cody 1969).
 * Relative accuracy ~1e-15 in the lower tail down to the underflow near x ≈ −38.
 *
 * @example normCdf(1.959963984540054) // 0.975
 */
export function normCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT_1_2);
}

// Acklam (2003), "An algorithm for computing the inverse normal cumulative
// distribution function": rational approximations with relative error 1.15e-9.
const IA0 = -3.969683028665376e1, IA1 = 2.209460984245205e2, IA2 = -2.759285104469687e2;
const IA3 = 1.38357751867269e2, IA4 = -3.066479806614716e1, IA5 = 2.506628277459239e0;
const IB0 = -5.447609879822406e1, IB1 = 1.615858368580409e2, IB2 = -1.556989798598866e2;
const IB3 = 6.680131188771972e1, IB4 = -1.328068155288572e1;
const IC0 = -7.784894002430293e-3, IC1 = -3.223964580411365e-1, IC2 = -2.400758277161838e0;
const IC3 = -2.549732539343734e0, IC4 = 4.374664141464968e0, IC5 = 2.938163982698783e0;
const ID0 = 7.784695709041462e-3, ID1 = 3.224671290700398e-1, ID2 = 2.445134137142996e0;
const ID3 = 3.754408661907416e0;
const P_LOW = 0.02425;

/** Acklam's starting value for N⁻¹(p), 0 < p ≤ 0.5. */
function acklamLower(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((IC0 * q + IC1) * q + IC2) * q + IC3) * q + IC4) * q + IC5) /
      ((((ID0 * q + ID1) * q + ID2) * q + ID3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((IA0 * r + IA1) * r + IA2) * r + IA3) * r + IA4) * r + IA5) * q) /
    (((((IB0 * r + IB1) * r + IB2) * r + IB3) * r + IB4) * r + 1);
}

/**
 * Acklam's (2003) approximation to N⁻¹(p) without refinement: relative error < 1.15e-9.
 * Good enough for starting values of iterations that polish afterwards.
 *
 * @example normInvApprox(0.975) // ≈ 1.95996398
 */
export function normInvApprox(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  return p > 0.5 ? -acklamLower(1 - p) : acklamLower(p);
}

/**
 * Inverse standard normal cumulative distribution N⁻¹(p).
 * Acklam (2003) start + one Halley step on N(x) − p (Acklam's refinement note),
 * done in the lower tail so the residual keeps full relative precision.
 * Returns ∓Infinity at p = 0 / 1 and NaN outside [0, 1].
 *
 * @example normInv(0.975) // 1.959963984540054
 */
export function normInv(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Work with the smaller tail probability; 1 − p is exact for p ≥ 0.5 (Sterbenz).
  const upper = p > 0.5;
  const q = upper ? 1 - p : p;
  let x = acklamLower(q);
  for (let i = 0; i < 2; i++) {
    // Halley step: u = (N(x) − q)/φ(x); x ← x − u/(1 + x·u/2)
    const e = normCdf(x) - q;
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    // Beyond p ≈ 1e-300 the density underflows; keep Acklam's value there.
    if (!Number.isFinite(u)) break;
    x = x - u / (1 + 0.5 * x * u);
  }
  return upper ? -x : x;
}
