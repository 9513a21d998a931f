/** Outcome of a Nelder–Mead minimisation (always returns the best point seen). */
export type NelderMeadResult = {
  x: number[];
  f: number;
  /** objective evaluations */
  evaluations: number;
  /** 'converged' when both the f-spread and the simplex size fell under tolerance */
  termination: 'converged' | 'max_evaluations';
};

/**
 * Deterministic Nelder–Mead simplex minimiser (Nelder & Mead 1965, "A simplex method for
 * function minimization"; coefficients 1, 2, ½, ½ as in Lagarias et al. 1998, SIAM J. Optim. 9(1)).
 * The initial simplex is x0 plus `step[i]` along each axis, so equal inputs give bit-identical
 * outputs. A NaN objective is treated as +Infinity.
 *
 * @example
 * nelderMead({ f: ([x = 0, y = 0]) => (x - 1) ** 2 + (y + 2) ** 2, x0: [0, 0], step: [0.5, 0.5] }).x // ≈ [1, −2]
 */
export function nelderMead({
  f,
  x0,
  step,
  maxEvaluations = 400,
  fTol = 1e-12,
  xTol = 1e-7,
}: {
  f: (x: number[]) => number;
  x0: number[];
  step: number[];
  maxEvaluations?: number;
  /** absolute tolerance on the spread of f over the simplex */
  fTol?: number;
  /** absolute tolerance on the simplex size along every axis */
  xTol?: number;
}): NelderMeadResult {
  const n = x0.length;
  let evaluations = 0;
  const ev = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
  };
  const pts: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    p[i] = (p[i] ?? 0) + (step[i] ?? 0.1);
    pts.push(p);
  }
  const fs = pts.map(ev);
  const order = pts.map((_, i) => i);
  const centroid = new Array<number>(n).fill(0);
  const along = (coef: number, worst: number[]): number[] => {
    const out = new Array<number>(n);
    for (let j = 0; j < n; j++) out[j] = (centroid[j] ?? 0) + coef * ((worst[j] ?? 0) - (centroid[j] ?? 0));
    return out;
  };
  let termination: NelderMeadResult['termination'] = 'max_evaluations';
  while (evaluations < maxEvaluations) {
    // Stable sort by value then index, so ties resolve the same way every run.
    order.sort((i, j) => (fs[i] ?? 0) - (fs[j] ?? 0) || i - j);
    const best = order[0] ?? 0;
    const worst = order[n] ?? 0;
    const second = order[n - 1] ?? 0;
    const fBest = fs[best] ?? 0;
    const fWorst = fs[worst] ?? 0;
    let size = 0;
    for (const idx of order) {
      const p = pts[idx] ?? [];
      const pb = pts[best] ?? [];
      for (let j = 0; j < n; j++) size = Math.max(size, Math.abs((p[j] ?? 0) - (pb[j] ?? 0)));
    }
    if (Math.abs(fWorst - fBest) <= fTol && size <= xTol) {
      termination = 'converged';
      break;
    }
    centroid.fill(0);
    for (let r = 0; r < n; r++) {
      const p = pts[order[r] ?? 0] ?? [];
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] ?? 0) + (p[j] ?? 0) / n;
    }
    const xw = pts[worst] ?? [];
    const xr = along(-1, xw);
    const fr = ev(xr);
    if (fr < fBest) {
      const xe = along(-2, xw);
      const fe = ev(xe);
      if (fe < fr) {
        pts[worst] = xe;
        fs[worst] = fe;
      } else {
        pts[worst] = xr;
        fs[worst] = fr;
      }
      continue;
    }
    if (fr < (fs[second] ?? 0)) {
      pts[worst] = xr;
      fs[worst] = fr;
      continue;
    }
    // Contraction: outside if the reflection improved on the worst, inside otherwise.
    const outside = fr < fWorst;
    const xc = along(outside ? -0.5 : 0.5, xw);
    const fc = ev(xc);
    if (fc < (outside ? fr : fWorst)) {
      pts[worst] = xc;
      fs[worst] = fc;
      continue;
    }
    // Shrink towards the best vertex.
    const pb = pts[best] ?? [];
    for (const idx of order) {
      if (idx === best) continue;
      const p = pts[idx] ?? [];
      for (let j = 0; j < n; j++) p[j] = (pb[j] ?? 0) + 0.5 * ((p[j] ?? 0) - (pb[j] ?? 0));
      fs[idx] = ev(p);
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if ((fs[i] ?? Infinity) < (fs[bi] ?? Infinity)) bi = i;
  return { x: (pts[bi] ?? x0).slice(), f: fs[bi] ?? Number.POSITIVE_INFINITY, evaluations, termination };
}
