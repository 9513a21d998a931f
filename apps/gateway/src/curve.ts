import { DEFAULT_TENOR_DAYS, black76Greeks, fixedTenors, sviImpliedVol, strikeForDelta, type SviRaw } from '@volstream/svi';
import type { SmileSlice, Surface } from '@volstream/events';

// What the gateway derives from fitted slices for charts and desk views, all through
// @volstream/svi (no numerics here): the fitted curve on a grid, vols at fixed deltas, and
// fixed-tenor metrics.

/** Forward call deltas of the surface grid, low strikes first: 95Δ call (= 5Δ put) … 5Δ call. */
export const DELTA_GRID: readonly number[] = Array.from({ length: 19 }, (_, i) => Math.round((0.95 - i * 0.05) * 100) / 100);

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Undiscounted forward Black call delta N(d₁) at log-moneyness k with vol `iv` (QUANT.md b10);
 * the put delta is this minus 1.
 */
export function callDeltaAt(slice: Pick<SmileSlice, 'forward' | 't'>, k: number, iv: number | null): number | null {
  if (iv === null || !(iv > 0)) return null;
  return finite(black76Greeks({ forward: slice.forward, strike: slice.forward * Math.exp(k), t: slice.t, sigma: iv, isCall: true }).delta);
}

/** Log-moneyness of a forward delta on the slice (call deltas in (0, 1), put deltas in (−1, 0)), or null. */
export function kAtDelta(params: SviRaw, delta: number): number | null {
  return finite(strikeForDelta({ params, delta }));
}

/** Columns of the fitted smile on a grid of k (uniform in k), for charts. */
export type Curve = { k: number[]; strike: number[]; iv: (number | null)[]; callDelta: (number | null)[] };

/**
 * The k range a chart of the slice needs: the 5Δ put to the 5Δ call strike, widened to every
 * quoted k, padded by 4%. Falls back to ±2.5 ATM standard deviations when no delta is reached.
 */
export function curveRange(slice: SmileSlice, quotedK: readonly number[]): [number, number] {
  let lo = kAtDelta(slice.params, -0.05);
  let hi = kAtDelta(slice.params, 0.05);
  const sd = slice.atmVol * Math.sqrt(slice.t);
  lo ??= -2.5 * sd;
  hi ??= 2.5 * sd;
  for (const k of quotedK) {
    if (!Number.isFinite(k)) continue;
    lo = Math.min(lo, k);
    hi = Math.max(hi, k);
  }
  // Keep absurd wings (a stray quote at 100× the forward) from flattening the picture.
  lo = Math.max(lo, -3);
  hi = Math.min(hi, 3);
  const pad = (hi - lo) * 0.04 || 0.05;
  return [lo - pad, hi + pad];
}

/** The fitted vol σ(k) = √(w(k)/t) and its call delta on n points of [kMin, kMax]. */
export function smileCurve(slice: SmileSlice, { kMin, kMax, n }: { kMin: number; kMax: number; n: number }): Curve {
  const c: Curve = { k: [], strike: [], iv: [], callDelta: [] };
  for (let i = 0; i < n; i++) {
    const k = n === 1 ? kMin : kMin + ((kMax - kMin) * i) / (n - 1);
    const iv = finite(sviImpliedVol(slice.params, k, slice.t));
    c.k.push(k);
    c.strike.push(slice.forward * Math.exp(k));
    c.iv.push(iv);
    c.callDelta.push(callDeltaAt(slice, k, iv));
  }
  return c;
}

/** Fitted vols at forward call deltas (e.g. {@link DELTA_GRID}); null where no strike has that delta. */
export function volsAtDeltas(slice: SmileSlice, callDeltas: readonly number[]): (number | null)[] {
  return callDeltas.map((d) => {
    const k = kAtDelta(slice.params, d);
    return k === null ? null : finite(sviImpliedVol(slice.params, k, slice.t));
  });
}

export { DEFAULT_TENOR_DAYS };

/** Desk metrics at one fixed tenor (vols as fractions); null outside the fitted expiries. */
export type TenorView = { days: number; atmVol: number | null; rr25: number | null; bf25: number | null; rr10: number | null; bf10: number | null };

/**
 * Fixed-tenor metrics of a surface: ATM and 25Δ RR/BF as the surface stage published them, and the
 * 10Δ pair from the same library function the stage uses (`fixedTenors`: total variance linear
 * in time at fixed delta, no extrapolation; QUANT.md b11), which the event does not carry.
 * A surface without tenors gets the library's default tenors.
 */
export function tenorViews(surface: Surface): TenorView[] {
  const days = surface.tenors?.map((t) => t.days) ?? [...DEFAULT_TENOR_DAYS];
  const computed = fixedTenors({ slices: surface.expiries.map((s) => ({ t: s.t, params: s.params })), days });
  return days.map((d, i) => {
    const pub = surface.tenors?.[i];
    const c = computed[i] ?? null;
    const pick = (p: number | null | undefined, x: number | undefined) => (p !== undefined ? p : x === undefined ? null : finite(x));
    return {
      days: d,
      atmVol: pick(pub?.atmVol, c?.atmVol),
      rr25: pick(pub?.rr25, c?.rr25),
      bf25: pick(pub?.bf25, c?.bf25),
      rr10: c ? finite(c.rr10) : null,
      bf10: c ? finite(c.bf10) : null,
    };
  });
}
