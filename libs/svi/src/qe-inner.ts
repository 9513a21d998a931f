/**
 * Zeliade quasi-explicit SVI: the linear inner problem for fixed (m, σ).
 *
 * With y = (k − m)/σ, raw SVI reads w = a + d·y + c·√(y² + 1), c = bσ, d = ρbσ
 * (Zeliade Systems 2009, "Quasi-explicit calibration of Gatheral's SVI model", §2; QUANT.md b6).
 * For fixed (m, σ) minimising Σ ωᵢ(wᵢ − w(yᵢ))² is a least-squares problem in x = (a, d, c) on
 *
 *   D = { 0 ≤ c ≤ 2σ, |d| ≤ c, |d| ≤ 2σ − c, a ≥ −(c − |d|), a ≤ aMax }
 *
 * where 2σ (not Zeliade's 4σ) is Lee's moment bound b(1 + |ρ|) ≤ 2 (QUANT.md b1, b6).
 * Zeliade bound a below by 0; we allow negative a (legal, QUANT.md b1) down to the linear
 * chord bound −(c − |d|) ≥ −√(c² − d²) (since (c − |d|)² ≤ c² − d² when |d| ≤ c), which keeps
 * the minimum a + √(c² − d²) of w non-negative and is exact at ρ = 0 — derived, tested.
 * D is a polytope and the objective a convex quadratic, so the optimum is the KKT point of
 * exactly one active set: we try the unconstrained normal equations, then the faces, edges and
 * corners (active sets of size 1, 2, 3) and return the first feasible point whose multipliers
 * are all ≥ 0 — that point is the global minimiser (KKT sufficiency for convex QPs,
 * Nocedal & Wright 2006, Thm 16.4).
 */

/** Precomputed fit data of one slice: k, market total variance and per-row weights. */
export type QeData = {
  readonly k: Float64Array;
  readonly w: Float64Array;
  /** ωᵢ ≥ 0, normalised to Σωᵢ = 1 */
  readonly weight: Float64Array;
};

/** Solution of the inner problem in Zeliade's coordinates plus the weighted SSE. */
export type QeInnerSolution = { a: number; d: number; c: number; sse: number };

// Linear constraints gᵀx ≤ h on x = (a, d, c); h depends on σ and the a-bounds.
const G: ReadonlyArray<readonly [number, number, number]> = [
  [1, 0, 0], // a ≤ aMax
  [-1, 1, -1], // a + c − d ≥ 0 (chord bound on the minimum of w, d ≥ 0 side)
  [-1, -1, -1], // a + c + d ≥ 0 (d ≤ 0 side)
  [0, 1, -1], // d − c ≤ 0
  [0, -1, -1], // −d − c ≤ 0
  [0, 1, 1], // d + c ≤ 2σ
  [0, -1, 1], // c − d ≤ 2σ
];
const NC = G.length;

// Every active set of size 0..3 over the constraints, smallest first.
const ACTIVE_SETS: number[][] = (() => {
  const out: number[][] = [[]];
  for (let i = 0; i < NC; i++) out.push([i]);
  for (let i = 0; i < NC; i++) for (let j = i + 1; j < NC; j++) out.push([i, j]);
  for (let i = 0; i < NC; i++)
    for (let j = i + 1; j < NC; j++) for (let l = j + 1; l < NC; l++) out.push([i, j, l]);
  // Opposite faces of the diamond are parallel and never active together.
  return out.filter((s) => !(s.includes(3) && s.includes(6)) && !(s.includes(4) && s.includes(5)));
})();

/** Solves the n×n system A·X = B in place (row-major, stride 6) by Gaussian elimination with
 *  partial pivoting; returns false when the system is singular to working precision. */
function solveDense(A: Float64Array, B: Float64Array, X: Float64Array, n: number): boolean {
  let scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(A[i * 6 + j]!));
  const eps = 1e-13 * (scale || 1);
  for (let col = 0; col < n; col++) {
    let piv = col;
    let best = Math.abs(A[col * 6 + col]!);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(A[r * 6 + col]!);
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (!(best > eps)) return false;
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        const t = A[col * 6 + j]!;
        A[col * 6 + j] = A[piv * 6 + j]!;
        A[piv * 6 + j] = t;
      }
      const t = B[col]!;
      B[col] = B[piv]!;
      B[piv] = t;
    }
    const d = A[col * 6 + col]!;
    for (let r = col + 1; r < n; r++) {
      const f = A[r * 6 + col]! / d;
      if (f === 0) continue;
      for (let j = col; j < n; j++) A[r * 6 + j] = A[r * 6 + j]! - f * A[col * 6 + j]!;
      B[r] = B[r]! - f * B[col]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = B[i]!;
    for (let j = i + 1; j < n; j++) s -= A[i * 6 + j]! * X[j]!;
    X[i] = s / A[i * 6 + i]!;
  }
  return true;
}

/** Optional linear floor on the slice: w(kⱼ) ≥ wⱼ (the previous expiry, QUANT.md b3). */
export type QeFloor = { readonly k: ArrayLike<number>; readonly w: ArrayLike<number> };

/**
 * A solver for the inner problem of one slice: `(m, σ) ↦ best (a, d, c)` on the domain D above.
 *
 * It remembers the last optimal active set and tries it first (successive Nelder–Mead points
 * are close, so the active set rarely changes); the answer does not depend on that order when
 * the objective is strictly convex (unique KKT point). The state lives in the closure, one per
 * fit, so a fit stays a pure function of its inputs.
 *
 * With a `floor`, w(kⱼ) = a + d·yⱼ + c·zⱼ ≥ wⱼ is linear in (a, d, c) too, so the calendar
 * constraint joins the inner QP: when the domain optimum dips below the floor, a primal active-set
 * loop (Nocedal & Wright 2006, Alg. 16.3: add the most violated constraint, drop a negative
 * multiplier) solves the QP over domain + floor rows; if it does not settle within a few
 * iterations the domain optimum is lifted by its largest deficit (always feasible).
 *
 * @param aMax upper bound on a (Zeliade: max market w)
 * @returns solve(m, σ) → minimiser and weighted SSE; sse = +Infinity if no active set was solvable
 */
export function createQeInnerSolver(data: QeData, aMax: number, floor?: QeFloor): (m: number, sigma: number) => QeInnerSolution {
  const { k, w, weight } = data;
  const nF = floor ? floor.k.length : 0;
  const NT = NC + nF;
  const A = new Float64Array(36);
  const B = new Float64Array(6);
  const X = new Float64Array(6);
  const M = new Float64Array(9);
  const R = new Float64Array(3);
  const GR = new Float64Array(3 * NT);
  const HR = new Float64Array(NT);
  for (let i = 0; i < NC; i++) for (let j = 0; j < 3; j++) GR[3 * i + j] = G[i]![j]!;
  let lastSet = 0;

  // Solves the KKT system of the active rows `set`; X = (x, λ). False when singular.
  const solveSet = (set: ArrayLike<number>, len: number): boolean => {
    if (len === 0) {
      // Unconstrained normal equations M·x = r (3×3, symmetric): Cramer's rule, no pivoting
      // needed for the well-conditioned common case; fall through when nearly singular.
      const m00 = M[0]!, m01 = M[1]!, m02 = M[2]!, m11 = M[4]!, m12 = M[5]!, m22 = M[8]!;
      const c00 = m11 * m22 - m12 * m12;
      const c01 = m02 * m12 - m01 * m22;
      const c02 = m01 * m12 - m02 * m11;
      const det = m00 * c00 + m01 * c01 + m02 * c02;
      const scale = Math.abs(m00 * c00) + Math.abs(m01 * c01) + Math.abs(m02 * c02);
      if (Math.abs(det) > 1e-12 * scale) {
        const c11 = m00 * m22 - m02 * m02;
        const c12 = m01 * m02 - m00 * m12;
        const c22 = m00 * m11 - m01 * m01;
        const r0 = R[0]!, r1 = R[1]!, r2 = R[2]!;
        X[0] = (c00 * r0 + c01 * r1 + c02 * r2) / det;
        X[1] = (c01 * r0 + c11 * r1 + c12 * r2) / det;
        X[2] = (c02 * r0 + c12 * r1 + c22 * r2) / det;
        return true;
      }
    }
    const n = 3 + len;
    A.fill(0);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) A[i * 6 + j] = 2 * M[i * 3 + j]!;
      B[i] = 2 * R[i]!;
    }
    for (let q = 0; q < len; q++) {
      const row = set[q]!;
      for (let j = 0; j < 3; j++) {
        A[(3 + q) * 6 + j] = GR[3 * row + j]!;
        A[j * 6 + 3 + q] = GR[3 * row + j]!;
      }
      B[3 + q] = HR[row]!;
    }
    return solveDense(A, B, X, n);
  };
  const sseAt = (a: number, d: number, c: number, rw: number): number =>
    Math.max(
      a * (M[0]! * a + 2 * M[1]! * d + 2 * M[2]! * c) + d * (M[4]! * d + 2 * M[5]! * c) + c * M[8]! * c -
        2 * (R[0]! * a + R[1]! * d + R[2]! * c) + rw,
      0,
    );
  // Index of the most violated row in [from, to) beyond tol, or −1.
  const mostViolated = (a: number, d: number, c: number, from: number, to: number, tol: number): number => {
    let worst = -1;
    let v = tol;
    for (let i = from; i < to; i++) {
      const e = GR[3 * i]! * a + GR[3 * i + 1]! * d + GR[3 * i + 2]! * c - HR[i]!;
      if (e > v) {
        v = e;
        worst = i;
      }
    }
    return worst;
  };

  // Tries one domain active set; returns the SSE of its KKT point, or −1 if it is not optimal.
  const trySet = (set: readonly number[], rw: number, tolH: number, tolL: number): number => {
    if (!solveSet(set, set.length)) return -1;
    if (mostViolated(X[0]!, X[1]!, X[2]!, 0, NC, tolH) >= 0) return -1;
    for (let q = 0; q < set.length; q++) if (X[3 + q]! < tolL) return -1;
    return sseAt(X[0]!, X[1]!, X[2]!, rw);
  };

  const work: number[] = [];
  const withFloor = (x0: QeInnerSolution, rw: number, tolH: number, tolL: number): QeInnerSolution => {
    const tolF = 1e-13;
    if (mostViolated(x0.a, x0.d, x0.c, NC, NT, tolF) < 0) return x0;
    work.length = 0;
    let a = x0.a, d = x0.d, c = x0.c;
    for (let iter = 0; iter < 24; iter++) {
      if (!solveSet(work, work.length)) {
        work.pop();
        continue;
      }
      let neg = -1;
      let lam = tolL;
      for (let q = 0; q < work.length; q++) if (X[3 + q]! < lam) { lam = X[3 + q]!; neg = q; }
      a = X[0]!; d = X[1]!; c = X[2]!;
      if (neg >= 0) {
        work.splice(neg, 1);
        continue;
      }
      const j = mostViolated(a, d, c, 0, NT, Math.max(tolH, tolF));
      if (j < 0) return { a, d, c, sse: sseAt(a, d, c, rw) };
      if (work.includes(j)) break;
      if (work.length === 3) {
        // At a vertex: release the row with the smallest multiplier before adding j.
        let q0 = 0;
        for (let q = 1; q < 3; q++) if (X[3 + q]! < X[3 + q0]!) q0 = q;
        work.splice(q0, 1);
      }
      work.push(j);
    }
    // Fallback: the domain optimum lifted over the floor (a larger a keeps D's lower bound).
    let lift = 0;
    for (let i = NC; i < NT; i++) {
      const model = -(GR[3 * i]! * x0.a + GR[3 * i + 1]! * x0.d + GR[3 * i + 2]! * x0.c);
      lift = Math.max(lift, -HR[i]! - model);
    }
    const la = x0.a + lift;
    return { a: la, d: x0.d, c: x0.c, sse: sseAt(la, x0.d, x0.c, rw) };
  };

  return (m: number, sigma: number): QeInnerSolution => {
    // Weighted normal-equation moments of the features f = (1, y, z), z = √(y² + 1).
    let s11 = 0, s1y = 0, s1z = 0, syy = 0, syz = 0, szz = 0, r1 = 0, ry = 0, rz = 0, rw = 0;
    const inv = 1 / sigma;
    for (let i = 0; i < k.length; i++) {
      const om = weight[i]!;
      const y = (k[i]! - m) * inv;
      const z = Math.sqrt(y * y + 1);
      const wi = w[i]!;
      const oy = om * y;
      const oz = om * z;
      s11 += om;
      s1y += oy;
      s1z += oz;
      syy += oy * y;
      syz += oy * z;
      szz += oz * z;
      r1 += om * wi;
      ry += oy * wi;
      rz += oz * wi;
      rw += om * wi * wi;
    }
    // Objective xᵀMx − 2rᵀx + rw with x = (a, d, c).
    M[0] = s11; M[1] = s1y; M[2] = s1z;
    M[3] = s1y; M[4] = syy; M[5] = syz;
    M[6] = s1z; M[7] = syz; M[8] = szz;
    R[0] = r1; R[1] = ry; R[2] = rz;
    HR[0] = aMax; HR[1] = 0; HR[2] = 0; HR[3] = 0; HR[4] = 0; HR[5] = 2 * sigma; HR[6] = 2 * sigma;
    const tolH = 1e-12 * (1 + Math.abs(aMax) + sigma);
    // Multiplier scale: the gradient 2(Mx − r) has the magnitude of the moments.
    const tolL = -1e-10 * (Math.abs(r1) + Math.abs(ry) + Math.abs(rz) + 1e-300);
    let sol: QeInnerSolution | null = null;
    const warm = trySet(ACTIVE_SETS[lastSet]!, rw, tolH, tolL);
    if (warm >= 0) sol = { a: X[0]!, d: X[1]!, c: X[2]!, sse: warm };
    for (let s = 0; s < ACTIVE_SETS.length && sol === null; s++) {
      if (s === lastSet) continue;
      const sse = trySet(ACTIVE_SETS[s]!, rw, tolH, tolL);
      if (sse >= 0) {
        lastSet = s;
        sol = { a: X[0]!, d: X[1]!, c: X[2]!, sse };
      }
    }
    if (sol === null) return { a: Number.NaN, d: Number.NaN, c: Number.NaN, sse: Number.POSITIVE_INFINITY };
    if (!floor) return sol;
    for (let j = 0; j < nF; j++) {
      const y = (floor.k[j]! - m) * inv;
      GR[3 * (NC + j)] = -1;
      GR[3 * (NC + j) + 1] = -y;
      GR[3 * (NC + j) + 2] = -Math.sqrt(y * y + 1);
      HR[NC + j] = -floor.w[j]!;
    }
    return withFloor(sol, rw, tolH, tolL);
  };
}

/**
 * Best (a, d, c) for fixed (m, σ) on the domain D above (stateless convenience wrapper of
 * {@link createQeInnerSolver}).
 *
 * @param m vertex location (k units)
 * @param sigma vertex smoothness (k units), > 0
 * @param aMax upper bound on a (Zeliade: max market w)
 */
export function solveQeInner(data: QeData, m: number, sigma: number, aMax: number): QeInnerSolution {
  return createQeInnerSolver(data, aMax)(m, sigma);
}
