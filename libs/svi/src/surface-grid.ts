import { butterflyGrid } from './butterfly-grid.ts';
import type { KGrid, SurfaceExpiryInput } from './surface-types.ts';

/** Range of k over the quotes of one expiry that carry at least one IV; null if none. */
export function quotedRange(e: SurfaceExpiryInput): { kMin: number; kMax: number } | null {
  let kMin = Number.POSITIVE_INFINITY;
  let kMax = Number.NEGATIVE_INFINITY;
  for (const q of e.quotes) {
    if (!Number.isFinite(q.k)) continue;
    if (q.bidIv === null && q.askIv === null && q.midIv === null) continue;
    kMin = Math.min(kMin, q.k);
    kMax = Math.max(kMax, q.k);
  }
  return kMin <= kMax ? { kMin, kMax } : null;
}

/** The butterfly check grid of one expiry (its quoted range with margin, see butterflyGrid). */
export function expiryGGrid(e: SurfaceExpiryInput): KGrid {
  const r = quotedRange(e) ?? { kMin: -0.1, kMax: 0.1 };
  return butterflyGrid(r);
}

/**
 * The shared calendar grid: the union of all expiries' quoted k ranges, 201 points.
 * Calendar arbitrage is checked where the surface is backed by quotes (QUANT.md b3: "on a shared
 * k-grid for consecutive expiries"); far-wing extrapolation of short expiries is not policed.
 */
export function calendarGrid(expiries: readonly SurfaceExpiryInput[], n = 201): KGrid {
  let kMin = Number.POSITIVE_INFINITY;
  let kMax = Number.NEGATIVE_INFINITY;
  for (const e of expiries) {
    const r = quotedRange(e);
    if (!r) continue;
    kMin = Math.min(kMin, r.kMin);
    kMax = Math.max(kMax, r.kMax);
  }
  if (!(kMin <= kMax)) return { kMin: -0.5, kMax: 0.5, n };
  return { kMin, kMax, n };
}
