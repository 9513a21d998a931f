import { sviQeFitter } from './svi-qe-fitter.ts';
import type { SmileFitter, SurfaceExpiryInput, SurfaceFitOptions, SurfaceFitResult } from './surface-types.ts';

/**
 * Fits a whole surface with the given fitter (default `svi-qe`, see {@link getFitter}):
 * per-expiry fits with diagnostics, calendar repair, and the guarantee that every published
 * slice has g(k) ≥ 0 on its `gGrid` and no calendar violation on the result's `kGrid`.
 *
 * @example
 * const s = fitSurface({ expiries: [{ expiryTs, t, forward, quotes }] });
 * s.expiries.filter((e) => e.ok).map((e) => e.params);
 */
export function fitSurface({
  expiries,
  previous,
  fitter = sviQeFitter,
  ...options
}: {
  expiries: readonly SurfaceExpiryInput[];
  previous?: SurfaceFitResult;
  fitter?: SmileFitter;
} & SurfaceFitOptions): SurfaceFitResult {
  return fitter.fitSurface({ expiries }, previous, options);
}
