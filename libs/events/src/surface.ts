import { z } from 'zod';
import { EventBase, Finite, Millis, TOKEN_RE } from './common.ts';

/** Raw SVI in total variance: w(k) = a + b(ρ(k − m) + √((k − m)² + σ²)), k = ln(K/F) (Gatheral 2004). */
export const SviParams = z.object({ a: Finite, b: Finite, rho: Finite, m: Finite, sigma: Finite });
export type SviParams = z.infer<typeof SviParams>;

export const FitterRef = z.object({ name: z.string().min(1), version: z.string().min(1) });
export type FitterRef = z.infer<typeof FitterRef>;

export const FitDiagnostics = z.object({
  /** Vega-weighted RMSE of fitted vs market mid vols, in vol points. */
  rmse: Finite,
  maxError: Finite,
  /** Share (0..1) of two-sided quotes whose fitted vol is inside [bidIv, askIv]. */
  inSpread: Finite,
  /** Minimum of Gatheral-Jacquier g(k) on the scan grid (>= 0: no butterfly arbitrage). */
  minG: Finite,
  iterations: z.number().int().nonnegative(),
  /** Wall time of the fit; the only field that is not reproducible on replay. */
  ms: Finite,
  used: z.number().int().nonnegative(),
  dropped: z.record(z.string(), z.number().int().nonnegative()),
  calendarRepaired: z.boolean().optional(),
});
export type FitDiagnostics = z.infer<typeof FitDiagnostics>;

/** Desk metrics of one fitted expiry (vols as fractions). */
export const SmileMetrics = z.object({
  atmVol: Finite,
  rr25: Finite,
  bf25: Finite,
  rr10: Finite.nullable(),
  bf10: Finite.nullable(),
  skew: Finite.nullable(),
});

/** One fitted expiry, as stored in the surface and in the smile fit event. */
export const SmileSlice = z.object({
  expiryTs: Millis,
  t: Finite.positive(),
  forward: Finite.positive(),
  params: SviParams,
  diagnostics: FitDiagnostics,
  points: z.number().int().nonnegative(),
  ...SmileMetrics.shape,
});
export type SmileSlice = z.infer<typeof SmileSlice>;

/** Smile fit of one expiry. */
export const SmileFit = EventBase.extend({
  type: z.literal('surface.smile'),
  underlying: z.string().regex(TOKEN_RE),
  fitter: FitterRef,
  ...SmileSlice.shape,
});
export type SmileFit = z.infer<typeof SmileFit>;

/** The whole surface of one underlying on one venue (or `composite`) at one fit time. */
export const Surface = EventBase.extend({
  type: z.literal('surface.surface'),
  underlying: z.string().regex(TOKEN_RE),
  fitter: FitterRef,
  expiries: z.array(SmileSlice),
  /** Fixed tenors in days -> ATM vol etc., interpolated in total variance; null outside range. */
  tenors: z.array(z.object({ days: z.number().int().positive(), atmVol: Finite.nullable(), rr25: Finite.nullable(), bf25: Finite.nullable() })).optional(),
  /** 30-day model-free vol index from the fitted surface (fraction), when computable. */
  index30d: Finite.nullable().optional(),
});
export type Surface = z.infer<typeof Surface>;
