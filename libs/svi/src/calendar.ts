import { minButterflyG } from './butterfly.ts';
import { sviTotalVariance } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';

/** One expiry of a surface for the calendar checks: time in years and raw SVI params. */
export type CalendarSlice = { t: number; params: SviRaw };

/** The worst calendar violation between slice `index` and the slice before it (by t). */
export type CalendarViolation = {
  /** index (into the input array) of the later slice */
  index: number;
  /** index of the earlier slice it was compared with */
  prevIndex: number;
  tPrev: number;
  t: number;
  /** k of the largest deficit */
  k: number;
  wPrev: number;
  w: number;
  /** wPrev − w > 0 at k (total variance) */
  deficit: number;
  /** number of grid points with a deficit */
  points: number;
};

/** Result of {@link checkCalendar}. */
export type CalendarCheck = { ok: true } | { ok: false; violations: CalendarViolation[] };

/** Evenly spaced k-grid helper: n ≥ 2 points on [kMin, kMax]. */
export function linspace(kMin: number, kMax: number, n: number): number[] {
  const c = Math.max(2, Math.floor(n));
  return Array.from({ length: c }, (_, i) => (i === c - 1 ? kMax : kMin + ((kMax - kMin) * i) / (c - 1)));
}

/**
 * No calendar arbitrage: total variance must be non-decreasing in t at every fixed forward
 * log-moneyness, ∂_T w(k, T) ≥ 0 (GJ 2014 §2, Def. 2.1 / Lemma 2.1; QUANT.md b3). Checked
 * between consecutive slices (sorted by t) on the shared `kGrid`. Slices are NOT required to be
 * sorted; `index` refers to the input order. Equal t with different smiles is a violation
 * wherever the later-listed one is lower.
 *
 * @param kGrid forward log-moneyness points (each slice's own k = ln(K/F_T), QUANT.md b3 caveat)
 * @example
 * checkCalendar([{ t: 0.1, params: p1 }, { t: 0.2, params: p2 }], linspace(-1, 1, 101)).ok
 */
export function checkCalendar(slices: readonly CalendarSlice[], kGrid: readonly number[]): CalendarCheck {
  const order = slices.map((_, i) => i).sort((i, j) => slices[i]!.t - slices[j]!.t || i - j);
  const violations: CalendarViolation[] = [];
  for (let r = 1; r < order.length; r++) {
    const pi = order[r - 1]!;
    const ci = order[r]!;
    const v = worstDeficit(slices[pi]!.params, slices[ci]!.params, kGrid);
    if (v.points > 0) {
      violations.push({ index: ci, prevIndex: pi, tPrev: slices[pi]!.t, t: slices[ci]!.t, ...v });
    }
  }
  return violations.length === 0 ? { ok: true } : { ok: false, violations };
}

function worstDeficit(prev: SviRaw, cur: SviRaw, kGrid: readonly number[]) {
  let deficit = 0;
  let k = Number.NaN;
  let wPrev = Number.NaN;
  let w = Number.NaN;
  let points = 0;
  for (const x of kGrid) {
    const a = sviTotalVariance(prev, x);
    const b = sviTotalVariance(cur, x);
    // `!(b >= a)` also flags NaN
    if (!(b >= a)) {
      points++;
      const d = Number.isNaN(b - a) ? Number.POSITIVE_INFINITY : a - b;
      if (d > deficit || Number.isNaN(k)) {
        deficit = d;
        k = x;
        wPrev = a;
        w = b;
      }
    }
  }
  return { k, wPrev, w, deficit, points };
}

/** What {@link repairCalendar} did to one slice. */
export type CalendarRepair = {
  index: number;
  /** max total-variance deficit against the previous kept slice before the repair */
  deficit: number;
  /** 'shift': a raised by the deficit; 'dropped': the shift would break g ≥ 0, slice removed */
  action: 'shift' | 'dropped';
  minG: number;
};

/**
 * Removes calendar arbitrage from a set of slices without market data: walking forward in t,
 * a slice lying below the previous kept slice anywhere on `kGrid` has its `a` raised by the
 * largest deficit (a parallel shift of total variance, the smallest constant lift that restores
 * ∂_T w ≥ 0 on the grid, QUANT.md b3). If the lifted slice fails the butterfly check on
 * `gGrid` (GJ 2014 Lemma 2.2) it is dropped from the output and reported, so the returned
 * slices are always calendar- and butterfly-free on the grids. `fitSurface` tries a
 * data-aware refit first and uses this only as the fallback.
 *
 * @returns kept slices (input order, repaired params) with their input index, and the report
 */
export function repairCalendar({
  slices,
  kGrid,
  gGrid = { kMin: kGrid[0] ?? -1, kMax: kGrid[kGrid.length - 1] ?? 1, n: 201 },
}: {
  slices: readonly CalendarSlice[];
  kGrid: readonly number[];
  gGrid?: { kMin: number; kMax: number; n: number };
}): { slices: (CalendarSlice & { index: number })[]; repairs: CalendarRepair[] } {
  const order = slices.map((_, i) => i).sort((i, j) => slices[i]!.t - slices[j]!.t || i - j);
  const kept: (CalendarSlice & { index: number })[] = [];
  const repairs: CalendarRepair[] = [];
  for (const i of order) {
    const s = slices[i]!;
    const prev = kept[kept.length - 1];
    if (!prev) {
      kept.push({ ...s, index: i });
      continue;
    }
    const v = worstDeficit(prev.params, s.params, kGrid);
    if (v.points === 0) {
      kept.push({ ...s, index: i });
      continue;
    }
    const lifted: SviRaw = { ...s.params, a: s.params.a + v.deficit * (1 + 1e-9) + 1e-15 };
    const { minG } = minButterflyG(lifted, gGrid.kMin, gGrid.kMax, gGrid.n);
    const ok = Number.isFinite(v.deficit) && minG >= 0 && worstDeficit(prev.params, lifted, kGrid).points === 0;
    repairs.push({ index: i, deficit: v.deficit, action: ok ? 'shift' : 'dropped', minG });
    if (ok) kept.push({ t: s.t, params: lifted, index: i });
  }
  kept.sort((x, y) => x.index - y.index);
  return { slices: kept, repairs };
}
