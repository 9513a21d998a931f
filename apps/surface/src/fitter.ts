import type { SmileFitter, SurfaceExpiryFit, SurfaceExpiryInput, SurfaceFitOptions, SurfaceFitResult } from '@volstream/svi';

/**
 * What the surface stage needs of a fitter: @volstream/svi's `SmileFitter` (name, version,
 * fitSurface with calendar repair across the given expiries), narrowed to what is used here.
 * `previous` only gives warm starts, so the last good fit of each expiry is passed, not a
 * whole earlier result; every registered fitter reads no more than `previous.expiries`.
 */
export type SurfaceFitter = Pick<SmileFitter, 'name' | 'version'> & {
  fitSurface(input: { expiries: readonly SurfaceExpiryInput[] }, previous?: { expiries: readonly SurfaceExpiryFit[] }, options?: SurfaceFitOptions): Pick<SurfaceFitResult, 'expiries' | 'kGrid'>;
};

/** A fitted expiry as the fitter returned it (kept for warm starts). */
export type OkFit = Extract<SurfaceExpiryFit, { ok: true }>;
