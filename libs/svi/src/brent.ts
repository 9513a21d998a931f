/** Outcome of a bracketed 1-D root find. */
export type RootResult =
  | { ok: true; x: number; iterations: number }
  | { ok: false; reason: 'no_bracket' | 'no_convergence'; lo: number; hi: number };

/**
 * Brent's method for f(x) = 0 on a bracket [lo, hi] with f(lo)·f(hi) ≤ 0.
 * Inverse quadratic interpolation / secant with bisection safeguard
 * (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4; Numerical Recipes §9.3).
 *
 * @param tol absolute tolerance in x
 * @example
 * brentRoot({ f: (x) => x * x - 2, lo: 0, hi: 2 }) // { ok: true, x: 1.4142135623…, … }
 */
export function brentRoot({
  f,
  lo,
  hi,
  tol = 1e-12,
  maxIterations = 100,
}: {
  f: (x: number) => number;
  lo: number;
  hi: number;
  tol?: number;
  maxIterations?: number;
}): RootResult {
  let a = lo;
  let b = hi;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return { ok: true, x: a, iterations: 0 };
  if (fb === 0) return { ok: true, x: b, iterations: 0 };
  if (!(fa * fb < 0)) return { ok: false, reason: 'no_bracket', lo, hi };
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 1; i <= maxIterations; i++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return { ok: true, x: b, iterations: i };
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return { ok: false, reason: 'no_convergence', lo, hi };
}
