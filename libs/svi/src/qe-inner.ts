/**
 * Zeliade quasi-explicit SVI: the linear inner problem for fixed (m, σ).
 *
 * With y = (k − m)/σ, raw SVI reads w = a + d·y + c·√(y² + 1), c = bσ, d = ρbσ
 * (Zeliade Systems 2009, "Quasi-explicit calibration of Gatheral's SVI model", §2; QUANT.md b6).
 * For fixed (m, σ) minimising Σ ωᵢ(wᵢ − w(yᵢ))² is a least-squares problem in x = (a, d, c) on
 *
 *   D = { 0 ≤ c ≤ 2σ, |d| ≤ c, |d| ≤ 2σ − c, aMin ≤ a ≤ aMax }
 *
 * where 2σ (not Zeliade's 4σ) is Lee's moment bound b(1 + |ρ|) ≤ 2 (QUANT.md b1, b6).
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
  [-1, 0, 0], // −a ≤ −aMin
  [1, 0, 0], // a ≤ aMax
  [0, 1, -1], // d − c ≤ 0
  [0, -1, -1], // −d − c ≤ 0
  [0, 1, 1], // d + c ≤ 2σ
  [0, -1, 1], // c − d ≤ 2σ
];

// Every active set of size 0..3 over the 6 constraints, smallest first.
const ACTIVE_SETS: number[][] = (() => {
  const out: number[][] = [[]];
  for (let i = 0; i < 6; i++) out.push([i]);
  for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) out.push([i, j]);
  for (let i = 0; i < 6; i++)
    for (let j = i + 1; j < 6; j++) for (let l = j + 1; l < 6; l++) out.push([i, j, l]);
  // Parallel pairs (a-bounds; opposite faces of the diamond) can never be active together.
  return out.filter((s) => !(s.includes(0) && s.includes(1)) && !(s.includes(2) && s.includes(5)) && !(s.includes(3) && s.includes(4)));
})();

// Scratch buffers: the inner solve runs thousands of times per fit and must not allocate.
const A = new Float64Array(36);
const B = new Float64Array(6);
const X = new Float64Array(6);

/** Solves the n×n system in A·X = B (row-major, stride 6) by Gaussian elimination with
 *  partial pivoting; returns false when the system is singular to working precision. */
function solveDense(n: number): boolean {
  let scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(A[i * 6 + j] ?? 0));
  const eps = 1e-13 * (scale || 1);
  for (let col = 0; col < n; col++) {
    let piv = col;
    let best = Math.abs(A[col * 6 + col] ?? 0);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(A[r * 6 + col] ?? 0);
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (!(best > eps)) return false;
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        const t = A[col * 6 + j] ?? 0;
        A[col * 6 + j] = A[piv * 6 + j] ?? 0;
        A[piv * 6 + j] = t;
      }
      const t = B[col] ?? 0;
      B[col] = B[piv] ?? 0;
      B[piv] = t;
    }
    const d = A[col * 6 + col] ?? 1;
    for (let r = col + 1; r < n; r++) {
      const f = (A[r * 6 + col] ?? 0) / d;
      if (f === 0) continue;
      for (let j = col; j < n; j++) A[r * 6 + j] = (A[r * 6 + j] ?? 0) - f * (A[col * 6 + j] ?? 0);
      B[r] = (B[r] ?? 0) - f * (B[col] ?? 0);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = B[i] ?? 0;
    for (let j = i + 1; j < n; j++) s -= (A[i * 6 + j] ?? 0) * (X[j] ?? 0);
    X[i] = s / (A[i * 6 + i] ?? 1);
  }
  return true;
}

/**
 * Best (a, d, c) for fixed (m, σ) on the domain D above.
 *
 * @param m vertex location (k units)
 * @param sigma vertex smoothness (k units), > 0
 * @param aMin lower bound on a (Zeliade: 0, which keeps min w = a + √(c² − d²) ≥ 0)
 * @param aMax upper bound on a (Zeliade: max market w)
 * @returns the minimiser and its weighted SSE; sse = +Infinity if no active set was solvable
 */
export function solveQeInner(data: QeData, m: number, sigma: number, aMin: number, aMax: number): QeInnerSolution {
  // Weighted normal-equation moments of the features f = (1, y, z), z = √(y² + 1).
  let s11 = 0, s1y = 0, s1z = 0, syy = 0, syz = 0, szz = 0, r1 = 0, ry = 0, rz = 0, rw = 0;
  const { k, w, weight } = data;
  const inv = 1 / sigma;
  for (let i = 0; i < k.length; i++) {
    const om = weight[i] ?? 0;
    const y = ((k[i] ?? 0) - m) * inv;
    const z = Math.sqrt(y * y + 1);
    const wi = w[i] ?? 0;
    s11 += om;
    s1y += om * y;
    s1z += om * z;
    syy += om * y * y;
    syz += om * y * z;
    szz += om * z * z;
    r1 += om * wi;
    ry += om * y * wi;
    rz += om * z * wi;
    rw += om * wi * wi;
  }
  // Objective xᵀMx − 2rᵀx + rw with x = (a, d, c) and M over features (1, y, z).
  const M = [s11, s1y, s1z, s1y, syy, syz, s1z, syz, szz];
  const R = [r1, ry, rz];
  const H = [-aMin, aMax, 0, 0, 2 * sigma, 2 * sigma];
  const tolH = 1e-12 * (1 + Math.abs(aMax) + sigma);
  for (const set of ACTIVE_SETS) {
    const n = 3 + set.length;
    for (let i = 0; i < 36; i++) A[i] = 0;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) A[i * 6 + j] = 2 * (M[i * 3 + j] ?? 0);
      B[i] = 2 * (R[i] ?? 0);
    }
    for (let q = 0; q < set.length; q++) {
      const g = G[set[q] ?? 0] ?? [0, 0, 0];
      for (let j = 0; j < 3; j++) {
        A[(3 + q) * 6 + j] = g[j] ?? 0;
        A[j * 6 + 3 + q] = g[j] ?? 0;
      }
      B[3 + q] = H[set[q] ?? 0] ?? 0;
    }
    if (!solveDense(n)) continue;
    const a = X[0] ?? 0;
    const d = X[1] ?? 0;
    const c = X[2] ?? 0;
    let feasible = true;
    for (let ci = 0; ci < 6 && feasible; ci++) {
      const g = G[ci] ?? [0, 0, 0];
      if (g[0] * a + g[1] * d + g[2] * c > (H[ci] ?? 0) + tolH) feasible = false;
    }
    if (!feasible) continue;
    let dual = true;
    // Multiplier scale: the gradient 2(Mx − r) has the magnitude of the moments.
    const tolL = -1e-10 * (Math.abs(r1) + Math.abs(ry) + Math.abs(rz) + 1e-300);
    for (let q = 0; q < set.length; q++) if ((X[3 + q] ?? 0) < tolL) dual = false;
    if (!dual) continue;
    const sse =
      a * (M[0]! * a + 2 * M[1]! * d + 2 * M[2]! * c) +
      d * (M[4]! * d + 2 * M[5]! * c) +
      c * M[8]! * c -
      2 * (R[0]! * a + R[1]! * d + R[2]! * c) +
      rw;
    return { a, d, c, sse: Math.max(sse, 0) };
  }
  return { a: Number.NaN, d: Number.NaN, c: Number.NaN, sse: Number.POSITIVE_INFINITY };
}
