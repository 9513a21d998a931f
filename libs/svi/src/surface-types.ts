import type { SsviSlice } from './ssvi.ts';
import type { SviRaw } from './svi-raw.ts';
import type { FitDiagnostics, SmileQuote } from './types.ts';

/** One expiry of a chain snapshot, ready to fit. */
export type SurfaceExpiryInput = {
  /** expiry time, ms since epoch (Deribit: 08:00 UTC) */
  expiryTs: number;
  /** time to expiry in years */
  t: number;
  /** forward used for this expiry's k = ln(K/F) (USD per coin for Deribit) */
  forward: number;
  quotes: readonly SmileQuote[];
};

/** Input of a surface fit: any number of expiries, any order. */
export type SurfaceFitInput = { expiries: readonly SurfaceExpiryInput[] };

/** Evenly spaced grid description: n points on [kMin, kMax]. */
export type KGrid = { kMin: number; kMax: number; n: number };

/** What the calendar stage did to one published slice. */
export type CalendarFlag = {
  /** 'none': already above the previous slice; 'refit': refitted under the calendar floor */
  action: 'none' | 'refit';
  /** largest total-variance deficit below the previous published slice before the repair (0 if none) */
  deficit: number;
};

/** One expiry of a fitted surface: raw SVI parameters or the reason it is not published. */
export type SurfaceExpiryFit =
  | {
      ok: true;
      expiryTs: number;
      t: number;
      forward: number;
      params: SviRaw;
      diagnostics: FitDiagnostics;
      calendar: CalendarFlag;
      /** grid on which g(k) ≥ 0 was verified */
      gGrid: KGrid;
      /** SSVI coordinates when the fitter is SSVI-based (eSSVI) */
      ssvi?: SsviSlice;
    }
  | {
      ok: false;
      expiryTs: number;
      t: number;
      forward: number;
      reason: string;
      diagnostics?: Partial<FitDiagnostics>;
    };

/** A fitted surface: per-expiry fits sorted by t, with the grids the guarantees hold on. */
export type SurfaceFitResult = {
  fitter: { name: string; version: string };
  expiries: SurfaceExpiryFit[];
  /** shared grid on which consecutive published slices satisfy w(k, t₂) ≥ w(k, t₁) */
  kGrid: KGrid;
  calendar: {
    /** consecutive pairs that violated the calendar condition before repair */
    violationsBefore: number;
    /** slices refitted under the calendar floor */
    repaired: number;
    /** slices not published because no calendar-free fit was found */
    rejected: number;
  };
  /** wall time, ms (from the injected clock) */
  ms: number;
};

/** A versioned surface fitter, selectable by `name@version` (STYLE habit 11: fitter name + version travel with the output). */
export type SmileFitter = {
  name: string;
  version: string;
  description: string;
  fitSurface(input: SurfaceFitInput, previous?: SurfaceFitResult, options?: SurfaceFitOptions): SurfaceFitResult;
};

/** Options shared by the fitters. */
export type SurfaceFitOptions = {
  /** ms clock for timing diagnostics only (default performance.now) */
  clock?: () => number;
  weighting?: 'vega' | 'spread';
};
