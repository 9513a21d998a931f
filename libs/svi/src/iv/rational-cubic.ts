/*
 * Rational cubic interpolation of Delbourgo & Gregory (1985), "Shape preserving piecewise
 * rational interpolation", SIAM J. Sci. Stat. Comput. 6(4), as used for the initial guesses
 * of Jäckel 2015 ("Let's Be Rational", initial guess). On [xl, xr] with values yl, yr, slopes dl, dr
 * and control parameter r (r = 3 is cubic Hermite, r → ∞ linear):
 *
 *   y(s) = [yr·s³ + (r·yr − h·dr)·s²(1−s) + (r·yl + h·dl)·s(1−s)² + yl·(1−s)³] / [1 + (r−3)·s(1−s)],
 *   h = xr − xl, s = (x − xl)/h.
 */

/**
 * Evaluate the rational cubic at x (positional arguments: hot path, no allocation).
 *
 * @example rationalCubicInterpolation(1.25, 0.5, 2, 1, 3, 0.4, 2.5, Infinity) // 2 (linear)
 */
export function rationalCubicInterpolation(
  x: number, xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, r: number,
): number {
  const h = xr - xl;
  if (!(Math.abs(h) > 0)) return 0.5 * (yl + yr);
  const s = (x - xl) / h;
  const om = 1 - s;
  if (!(r < 1e300)) return yl * om + yr * s; // r = ∞: linear interpolation
  const s2 = s * s;
  const om2 = om * om;
  return (yr * s2 * s + (r * yr - h * dr) * s2 * om + (r * yl + h * dl) * s * om2 + yl * om2 * om) /
    (1 + (r - 3) * s * om);
}

/**
 * Smallest r that keeps the interpolant monotone and convex/concave like the data
 * (Delbourgo & Gregory 1985, shape-preservation conditions: r ≥ (dl + dr)/Δ for monotonicity; r ≥ (dr − dl)/(Δ − dl)
 * and r ≥ (dr − dl)/(dr − Δ) for convexity), with Δ = (yr − yl)/(xr − xl).
 */
function minimumControlParameter(dl: number, dr: number, delta: number, preferShapePreservation: boolean): number {
  const monotonic = dl * dr >= 0 && dl * delta >= 0 && dr * delta >= 0;
  const convex = dl <= delta && delta <= dr;
  const concave = dl >= delta && delta >= dr;
  if (!monotonic && !convex && !concave) return -Infinity;
  let rMin = -Infinity;
  if (monotonic && delta !== 0) rMin = Math.max(rMin, (dl + dr) / delta);
  else if (monotonic && preferShapePreservation) rMin = Infinity; // flat data: linear
  if (convex || concave) {
    const a = Math.abs(delta - dl);
    const b = Math.abs(dr - delta);
    const num = Math.abs(dr - dl);
    if (a > 0 && b > 0) rMin = Math.max(rMin, num / a, num / b);
    else if (preferShapePreservation) rMin = Infinity;
  }
  return rMin;
}

/**
 * Control parameter that matches the second derivative y''(xl) = d2l:
 * r = [h·d2l/2 + (dr − dl)] / (Δ − dl)  (as in Jäckel 2015; derived here from the s² term of
 * the expansion of y(s) at s = 0), raised to the shape-preserving minimum.
 */
export function controlParameterToFitSecondDerivativeAtLeft(
  xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, d2l: number,
): number {
  const h = xr - xl;
  const delta = (yr - yl) / h;
  const num = 0.5 * h * d2l + (dr - dl);
  const den = delta - dl;
  const r = den === 0 ? (num > 0 ? Infinity : num === 0 ? 3 : -Infinity) : num / den;
  return Math.max(r, minimumControlParameter(dl, dr, delta, true), -0.9999999999); // r > −1 keeps the denominator positive
}

/**
 * Control parameter that matches y''(xr) = d2r: r = [h·d2r/2 + (dr − dl)] / (dr − Δ)
 * (mirror image of the left-side formula), raised to the shape-preserving minimum.
 */
export function controlParameterToFitSecondDerivativeAtRight(
  xl: number, xr: number, yl: number, yr: number, dl: number, dr: number, d2r: number,
): number {
  const h = xr - xl;
  const delta = (yr - yl) / h;
  const num = 0.5 * h * d2r + (dr - dl);
  const den = dr - delta;
  const r = den === 0 ? (num > 0 ? Infinity : num === 0 ? 3 : -Infinity) : num / den;
  return Math.max(r, minimumControlParameter(dl, dr, delta, true), -0.9999999999);
}
