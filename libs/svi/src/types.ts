import type { SviRaw } from './svi-raw.ts';

/**
 * One option quote on one expiry, as the fitters consume it.
 * Vols are fractions (0.65 = 65%); `k` is forward log-moneyness ln(K/F_T).
 * A side whose IV could not be computed (e.g. price below intrinsic) is `null` upstream.
 */
export type SmileQuote = {
  /** forward log-moneyness ln(K/F_T) */
  k: number;
  /** time to expiry in years (informational; fitSmile uses its own `t`) */
  t?: number;
  /** bid implied vol, fraction, or null when there is no usable bid */
  bidIv: number | null;
  /** ask implied vol, fraction, or null when there is no usable ask */
  askIv: number | null;
  /** mid implied vol, fraction; when null the fitter uses (bidIv + askIv)/2 */
  midIv: number | null;
  /** vega per vol point (any consistent currency within one expiry), or null */
  vega: number | null;
  instrument?: string;
};

/** Diagnostics of one fitted slice. */
export type FitDiagnostics = {
  /** root-mean-square error of fitted vs mid vol, vega-weighted, in vol points (1 = 1%) */
  rmse: number;
  /** largest absolute fitted-vs-mid vol error over used quotes, in vol points */
  maxError: number;
  /** share (0..1) of used two-sided quotes whose fitted vol lies inside [bidIv, askIv] */
  inSpread: number;
  /** minimum of the Gatheral–Jacquier g(k) on the check grid (≥ 0 means no butterfly arbitrage) */
  minG: number;
  /** optimiser iterations (objective evaluations of the outer search) */
  iterations: number;
  /** wall time of the fit in milliseconds, from the injected clock */
  ms: number;
  /** number of quotes used in the fit */
  used: number;
  /** quotes dropped by the pre-filters, counted by reason */
  dropped: Record<string, number>;
  /** set when the plain fit was arbitrageable and was replaced: by a penalised refit, by the
   *  butterfly-free SSVI slice, or by lifting `a` over the calendar floor */
  arbitrageFix?: 'penalty_refit' | 'ssvi_slice' | 'calendar_shift';
  /** with a calendar floor: the largest total-variance deficit of the unconstrained fit below it */
  calendarDeficit?: number;
};

/** Result of a smile fit: parameters plus diagnostics, or a reason. */
export type SmileFitResult =
  | { ok: true; params: SviRaw; diagnostics: FitDiagnostics }
  | { ok: false; reason: string; diagnostics?: Partial<FitDiagnostics> };

/** Quote weighting of the vol residuals (QUANT.md b7). */
export type Weighting = 'vega' | 'spread';
