import { minButterflyG } from './butterfly.ts';
import { nelderMead } from './nelder-mead.ts';
import { prepareQuotes } from './prepare-quotes.ts';
import type { PreparedQuote, QuoteFilterOptions } from './prepare-quotes.ts';
import { createQeInnerSolver } from './qe-inner.ts';
import type { QeData, QeInnerSolution } from './qe-inner.ts';
import { ssviMaxPhi, ssviToRaw } from './ssvi.ts';
import { sviTotalVariance } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';
import type { FitDiagnostics, SmileFitResult, SmileQuote, Weighting } from './types.ts';
import { butterflyGrid } from './butterfly-grid.ts';

/** Inputs of {@link fitSmile}. */
export type FitSmileInput = {
  /** quotes of one expiry (vols as fractions, k forward log-moneyness) */
  quotes: readonly SmileQuote[];
  /** time to expiry in years */
  t: number;
  /** last published fit of this expiry: warm start, with fallback to the grid */
  previous?: SviRaw;
  /** residual weighting (QUANT.md b7); default 'vega' */
  weighting?: Weighting;
  filters?: QuoteFilterOptions;
  /** fewer kept quotes than this is a rejection (default 5: 5 parameters) */
  minQuotes?: number;
  /** clock in ms for `diagnostics.ms` only; results never depend on it (default performance.now) */
  clock?: () => number;
  /** calendar floor: the fit must satisfy w(k[j]) ≥ w[j] (the previous expiry's total variance
   *  on the calendar grid, QUANT.md b3); violations are refitted or lifted, else rejected */
  calendarFloor?: { k: readonly number[]; w: readonly number[] };
};

/** Short tenors get a denser log-spaced σ start grid (volsurf: < 45 DTE; QUANT.md b6). */
const SHORT_TENOR = 45 / 365;
const SIGMA_GRID_SHORT = [0.002, 0.004, 0.008, 0.016, 0.03, 0.06, 0.12, 0.25, 0.5, 1];
const SIGMA_GRID_LONG = [0.01, 0.03, 0.08, 0.2, 0.5, 1.2];
const M_GRID_POINTS = 7;
const NM_STARTS = 3;
const SIGMA_MIN = 1e-4;
const SIGMA_MAX = 5;

/**
 * Fits raw SVI to one expiry's implied vols by the Zeliade quasi-explicit method.
 *
 * Outer: 2-D Nelder–Mead over (m, ln σ) from the best points of a deterministic (m, σ) grid
 * (or a warm start from `previous`); inner: for each (m, σ) the exact constrained linear
 * least-squares in (a, d, c) (Zeliade 2009 §2–3; QUANT.md b6, see qe-inner.ts).
 * Residuals are in vol: a w-residual is divided by 2σᵢT (QUANT.md b7), weighted by vega or
 * by 1/half-spread². A fit with g(k) < 0 on the check grid (QUANT.md b2) is refitted with a
 * penalty on negative g, then, if still arbitrageable, replaced by the best SSVI slice inside the
 * GJ 2014 Thm 4.2 butterfly-free region; only if that fails is it rejected. With a
 * `calendarFloor` the refit carries the floor as linear constraints of the inner problem.
 * A fit with w(0) > 4× the median market w is rejected (volsurf robustness rule, QUANT.md b6).
 * Deterministic: the same inputs give bit-identical params (no randomness; `ms` is timing only).
 *
 * @example
 * const r = fitSmile({ quotes, t: 30 / 365 });
 * if (r.ok) sviImpliedVol(r.params, 0, 30 / 365);
 */
export function fitSmile(input: FitSmileInput): SmileFitResult {
  const clock = input.clock ?? (() => performance.now());
  const t0 = clock();
  const { t } = input;
  if (!(Number.isFinite(t) && t > 0)) return { ok: false, reason: `invalid t: ${t} (years, must be > 0)` };
  const weighting = input.weighting ?? 'vega';
  const { kept, dropped } = prepareQuotes({
    quotes: input.quotes,
    t,
    weighting,
    ...(input.filters ? { options: input.filters } : {}),
  });
  const minQuotes = input.minQuotes ?? 5;
  if (kept.length < minQuotes) {
    return { ok: false, reason: `too_few_quotes: ${kept.length} < ${minQuotes}`, diagnostics: { used: kept.length, dropped } };
  }
  const data = toQeData(kept, t);
  const kMin = kept[0]!.k;
  const kMax = kept[kept.length - 1]!.k;
  const span = Math.max(kMax - kMin, 0.05);
  let aMax = 0;
  for (const w of data.w) aMax = Math.max(aMax, w);
  const grid = butterflyGrid({ kMin, kMax });

  const inner = createQeInnerSolver(data, aMax);
  // The vertex stays inside the quoted range: outside it the data cannot tell a kink from a
  // wing, and an unidentified steep wing (b(1 ± ρ) near Lee's bound) beyond the quotes would
  // poison the calendar checks and the model-free integrals of the slice (found by the surface
  // property test: a 3-day slice with m 0.4 left of its quotes and w(−1) ≈ 1).
  const mLo = kMin;
  const mHi = kMax;
  let evaluations = 0;
  // Outer objective in (m, ln σ); outside the box we evaluate at the clamped point and add a
  // quadratic wall, so Nelder–Mead is pushed back instead of stalling on a flat region.
  const plain = (x: number[]): number => {
    evaluations++;
    const mRaw = x[0] ?? 0;
    const sRaw = x[1] ?? 0;
    const m = Math.min(Math.max(mRaw, mLo), mHi);
    const ls = Math.min(Math.max(sRaw, Math.log(SIGMA_MIN)), Math.log(SIGMA_MAX));
    const sol = inner(m, Math.exp(ls));
    return sol.sse + (m - mRaw) ** 2 + (ls - sRaw) ** 2;
  };

  const starts = gridStarts({ f: plain, kMin, kMax, t });
  let best = { x: [0, 0], f: Number.POSITIVE_INFINITY };
  let warmAccepted = false;
  if (input.previous && input.previous.sigma > 0 && Number.isFinite(input.previous.m)) {
    const r = nelderMead({ f: plain, x0: [input.previous.m, Math.log(input.previous.sigma)], step: [0.1 * span, 0.3], xTol: 1e-6 });
    best = r;
    // Accept the warm start unless it ends worse than the best raw grid point (diverged).
    warmAccepted = r.f <= (starts[0]?.f ?? Number.POSITIVE_INFINITY);
  }
  if (!warmAccepted) {
    // Multi-start from the best grid points; a further start is only run while the runs so far
    // disagree (two local searches ending within 1e-6 relative of each other found one basin).
    const ends: number[] = [];
    for (const s of starts.slice(0, NM_STARTS)) {
      if (ends.length >= 2 && Math.abs(ends[0]! - ends[1]!) <= 1e-6 * Math.abs(ends[0]!) + 1e-14) break;
      const r = nelderMead({ f: plain, x0: s.x, step: [0.1 * span, 0.5], xTol: 1e-6 });
      ends.push(r.f);
      if (r.f < best.f) best = r;
    }
  }
  const plainParams = paramsAt(inner, best.x, mLo, mHi);
  if (plainParams === null) {
    return { ok: false, reason: 'no_feasible_fit', diagnostics: { used: kept.length, dropped, iterations: evaluations } };
  }
  const floor = input.calendarFloor;
  const floorDeficit = (p: SviRaw): number => {
    if (!floor) return 0;
    let d = 0;
    for (let j = 0; j < floor.k.length; j++) d = Math.max(d, (floor.w[j] ?? 0) - sviTotalVariance(p, floor.k[j] ?? 0));
    return d;
  };
  const gMin = (p: SviRaw): number => minButterflyG(p, grid.kMin, grid.kMax, grid.n).minG;
  const valid = (p: SviRaw): boolean => gMin(p) >= 0 && floorDeficit(p) <= 0;

  let params: SviRaw | null = plainParams;
  let arbitrageFix: FitDiagnostics['arbitrageFix'];
  const calendarDeficit = floor ? floorDeficit(plainParams) : 0;
  if (!valid(plainParams)) {
    // The smallest constant lift of total variance that clears the calendar floor (QUANT.md b3).
    const liftOver = (fl: { k: readonly number[]; w: readonly number[] } | undefined) => (p: SviRaw): SviRaw => {
      if (!fl) return p;
      let d = 0;
      for (let j = 0; j < fl.k.length; j++) d = Math.max(d, fl.w[j]! - sviTotalVariance(p, fl.k[j]!));
      return d > 0 ? { ...p, a: p.a + d * (1 + 1e-9) + 1e-15 } : p;
    };
    const lift = liftOver(floor);
    // With a floor, the inner QP carries it as linear constraints (qe-inner.ts), on every 4th
    // floor point to keep each evaluation cheap; the optimiser lifts over the same thin floor and
    // the chosen candidate is lifted over the full floor grid (a rounding-level shift between
    // neighbouring points of a smooth floor).
    const thin = floor ? thinFloor(floor, 4) : undefined;
    const liftThin = liftOver(thin);
    const wSse = (p: SviRaw): number => {
      let s = 0;
      for (let i = 0; i < data.k.length; i++) {
        const e = sviTotalVariance(p, data.k[i]!) - data.w[i]!;
        s += data.weight[i]! * e * e;
      }
      return s;
    };
    // Penalty on g < 1e-3 over a coarser copy of the check grid (aiming above 0 so the fine grid
    // passes too), in the units of the objective (vol²) with a large weight.
    const coarse = butterflyGrid({ kMin, kMax, n: 41 });
    const h = (coarse.kMax - coarse.kMin) / (coarse.n - 1);
    const gPenalty = (p: SviRaw): number => {
      let s = 0;
      for (let i = 0; i < coarse.n; i++) {
        const g = gOf(p, coarse.kMin + i * h);
        if (g < 1e-3) s += (1e-3 - g) ** 2;
      }
      return s;
    };
    // Refit over (m, ln σ): floor-constrained inner solution, lifted over any rounding-level
    // residual deficit (so every point is calendar-feasible and the objective is its true
    // error), plus the g penalty when needed.
    const innerF = thin ? createQeInnerSolver(data, aMax, thin) : inner;
    const refitObjective = (withG: boolean) => (x: number[]): number => {
      evaluations++;
      const m = Math.min(Math.max(x[0] ?? 0, mLo), mHi);
      const ls = Math.min(Math.max(x[1] ?? 0, Math.log(SIGMA_MIN)), Math.log(SIGMA_MAX));
      const sol = innerF(m, Math.exp(ls));
      if (!Number.isFinite(sol.sse)) return Number.POSITIVE_INFINITY;
      const wall = (m - (x[0] ?? 0)) ** 2 + (ls - (x[1] ?? 0)) ** 2;
      let p = fromQe(sol, m, Math.exp(ls));
      let f = sol.sse;
      if (thin) {
        p = liftThin(p);
        f = wSse(p);
      }
      return f + wall + (withG ? gPenalty(p) : 0);
    };
    type Fix = NonNullable<FitDiagnostics['arbitrageFix']>;
    const candidates: { p: SviRaw; fix: Fix }[] = [];
    if (floor) candidates.push({ p: lift(plainParams), fix: 'calendar_shift' });
    const needG = gMin(floor ? lift(plainParams) : plainParams) < 0;
    for (const withG of needG ? [true] : [false, true]) {
      const obj = refitObjective(withG);
      let r = nelderMead({ f: obj, x0: best.x, step: [0.1 * span, 0.5] });
      const s0 = starts[0];
      if (s0) {
        const r2 = nelderMead({ f: obj, x0: s0.x, step: [0.1 * span, 0.5] });
        if (r2.f < r.f) r = r2;
      }
      const p = paramsAt(innerF, r.x, mLo, mHi);
      if (p) {
        const cand = floor ? lift(p) : p;
        candidates.push({ p: cand, fix: 'penalty_refit' });
        if (valid(cand)) break;
      }
    }
    // Last resort for g: the SSVI slice inside the GJ 2014 Thm 4.2 butterfly-free region.
    if (!candidates.some((c) => valid(c.p))) {
      const s = fitSsviSlice(kept, t, () => evaluations++);
      candidates.push({ p: floor ? lift(s) : s, fix: 'ssvi_slice' });
    }
    params = null;
    let bestSse = Number.POSITIVE_INFINITY;
    for (const c of candidates) {
      if (!valid(c.p)) continue;
      const sse = weightedSse(c.p, kept, t);
      if (sse < bestSse) {
        bestSse = sse;
        params = c.p;
        arbitrageFix = c.fix;
      }
    }
    if (params === null) {
      const g0 = gMin(plainParams);
      const reason = g0 < 0
        ? `butterfly_arbitrage: minG ${g0} on [${grid.kMin}, ${grid.kMax}] and no arbitrage-free refit`
        : `calendar_arbitrage: w below the previous expiry by up to ${floorDeficit(plainParams)} and no valid refit`;
      return { ok: false, reason, diagnostics: { used: kept.length, dropped, minG: g0, iterations: evaluations } };
    }
  }
  const minG = gMin(params);

  const medianW = median(Array.from(data.w));
  const w0 = sviTotalVariance(params, 0);
  if (w0 > 4 * medianW) {
    return {
      ok: false,
      reason: `atm_variance_outlier: w(0) ${w0} > 4 × median market w ${medianW}`,
      diagnostics: { used: kept.length, dropped, minG, iterations: evaluations },
    };
  }
  const diagnostics: FitDiagnostics = {
    ...fitErrors(params, kept, t),
    minG,
    iterations: evaluations,
    ms: clock() - t0,
    used: kept.length,
    dropped,
    ...(arbitrageFix ? { arbitrageFix } : {}),
    ...(calendarDeficit > 0 ? { calendarDeficit } : {}),
  };
  return { ok: true, params, diagnostics };
}

/** Market total variance and w-space weights ωᵢ = uᵢ/(2σᵢT)², so Σωᵢ·Δwᵢ² ≈ Σuᵢ·Δσᵢ² (QUANT.md b7). */
export function toQeData(kept: readonly PreparedQuote[], t: number): QeData {
  const n = kept.length;
  const k = new Float64Array(n);
  const w = new Float64Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const q = kept[i]!;
    k[i] = q.k;
    w[i] = q.mid * q.mid * t;
    const scale = 2 * q.mid * t;
    weight[i] = q.fitWeight / (scale * scale);
  }
  return { k, w, weight };
}

/** Raw SVI from Zeliade's (a, d, c) at (m, σ): b = c/σ, ρ = d/c (Zeliade 2009 §2). */
function fromQe(sol: { a: number; d: number; c: number }, m: number, sigma: number): SviRaw {
  const b = sol.c / sigma;
  const rho = sol.c > 0 ? Math.max(-1 + 1e-12, Math.min(1 - 1e-12, sol.d / sol.c)) : 0;
  return { a: sol.a, b, rho, m, sigma };
}

function paramsAt(inner: (m: number, sigma: number) => QeInnerSolution, x: number[], mLo: number, mHi: number): SviRaw | null {
  const m = Math.min(Math.max(x[0] ?? 0, mLo), mHi);
  const sigma = Math.exp(Math.min(Math.max(x[1] ?? 0, Math.log(SIGMA_MIN)), Math.log(SIGMA_MAX)));
  const sol = inner(m, sigma);
  return Number.isFinite(sol.sse) ? fromQe(sol, m, sigma) : null;
}

/** Deterministic (m, ln σ) start grid, sorted by objective (ties by grid order). */
function gridStarts({ f, kMin, kMax, t }: { f: (x: number[]) => number; kMin: number; kMax: number; t: number }) {
  const sigmas = t < SHORT_TENOR ? SIGMA_GRID_SHORT : SIGMA_GRID_LONG;
  const out: { x: number[]; f: number; i: number }[] = [];
  let i = 0;
  for (let j = 0; j < M_GRID_POINTS; j++) {
    const m = kMin + ((kMax - kMin) * j) / (M_GRID_POINTS - 1);
    for (const s of sigmas) {
      const x = [m, Math.log(s)];
      out.push({ x, f: f(x), i: i++ });
    }
  }
  out.sort((p, q) => p.f - q.f || p.i - q.i);
  return out;
}

function gOf(p: SviRaw, k: number): number {
  const w = sviTotalVariance(p, k);
  if (!(w > 0)) return -1;
  const x = k - p.m;
  const r = Math.sqrt(x * x + p.sigma * p.sigma);
  const w1 = p.b * (p.rho + x / r);
  const w2 = (p.b * p.sigma * p.sigma) / (r * r * r);
  const u = 1 - (k * w1) / (2 * w);
  return u * u - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

/** Fallback: the best SSVI slice inside the GJ 2014 Thm 4.2 butterfly-free region, as raw SVI. */
function fitSsviSlice(kept: readonly PreparedQuote[], t: number, tick: () => void): SviRaw {
  const atm = kept.reduce((p, q) => (Math.abs(q.k) < Math.abs(p.k) ? q : p));
  const slice = (x: number[]) => {
    const theta = Math.exp(x[0] ?? 0);
    const rho = 0.999 * Math.tanh(x[1] ?? 0);
    const phi = ssviMaxPhi({ theta, rho }) / (1 + Math.exp(-(x[2] ?? 0)));
    return { theta, rho, phi };
  };
  const f = (x: number[]): number => {
    tick();
    const p = ssviToRaw(slice(x));
    let s = 0;
    for (const q of kept) {
      const w = sviTotalVariance(p, q.k);
      const e = Math.sqrt(Math.max(w, 0) / t) - q.mid;
      s += q.fitWeight * e * e;
    }
    return s;
  };
  const r = nelderMead({ f, x0: [Math.log(atm.mid * atm.mid * t), 0, 0], step: [0.2, 0.3, 1], maxEvaluations: 600 });
  return ssviToRaw(slice(r.x));
}

/** Every `step`-th point of a floor, always keeping both ends. */
function thinFloor(floor: { k: readonly number[]; w: readonly number[] }, step: number): { k: number[]; w: number[] } {
  const k: number[] = [];
  const w: number[] = [];
  const n = floor.k.length;
  for (let j = 0; j < n; j += step) {
    k.push(floor.k[j]!);
    w.push(floor.w[j]!);
  }
  if (n > 0 && (n - 1) % step !== 0) {
    k.push(floor.k[n - 1]!);
    w.push(floor.w[n - 1]!);
  }
  return { k, w };
}

function weightedSse(p: SviRaw, kept: readonly PreparedQuote[], t: number): number {
  let s = 0;
  for (const q of kept) {
    const e = Math.sqrt(Math.max(sviTotalVariance(p, q.k), 0) / t) - q.mid;
    s += q.fitWeight * e * e;
  }
  return s;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** RMSE (vega-weighted), max error (vol points) and in-spread share of a fitted slice. */
export function fitErrors(
  p: SviRaw,
  kept: readonly PreparedQuote[],
  t: number,
): Pick<FitDiagnostics, 'rmse' | 'maxError' | 'inSpread'> {
  let se = 0;
  let vs = 0;
  let maxError = 0;
  let two = 0;
  let inside = 0;
  for (const q of kept) {
    const v = Math.sqrt(Math.max(sviTotalVariance(p, q.k), 0) / t);
    const e = v - q.mid;
    se += q.vegaWeight * e * e;
    vs += q.vegaWeight;
    maxError = Math.max(maxError, Math.abs(e));
    if (q.bid !== null && q.ask !== null) {
      two++;
      if (v >= q.bid && v <= q.ask) inside++;
    }
  }
  return {
    rmse: vs > 0 ? 100 * Math.sqrt(se / vs) : 0,
    maxError: 100 * maxError,
    inSpread: two > 0 ? inside / two : 1,
  };
}
