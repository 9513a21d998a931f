// Public surface of @volstream/svi: every other package imports from here only.

// ── Normal distribution, Black-76, implied vol, forwards (IV work) ──────────────────────────
export { normCdf, normPdf, normInv } from './normal.ts';
export { black76Price, black76Greeks } from './black76.ts';
export type { Black76Input, Black76Greeks } from './black76.ts';
export { impliedVol, impliedVolFromCoin, impliedVolFromLinear } from './iv/implied-vol.ts';
export type { IvResult, IvFailure, ImpliedVolInput, ImpliedVolFromCoinInput, ImpliedVolFromLinearInput } from './iv/implied-vol.ts';
export { IV_REASON_CODE, IV_REASON_NAME } from './iv/iv-result.ts';
export { impliedVolBatch } from './iv/implied-vol-batch.ts';
export type { ImpliedVolBatchInput } from './iv/implied-vol-batch.ts';
export { forwardFromParity, forwardFromLinearParity, chooseForward } from './forward.ts';
export type { ParityPair, LinearParityPair, ParityForward, ChosenForward } from './forward.ts';

// ── Raw SVI and its reparameterisations ─────────────────────────────────────────────────────
export { sviTotalVariance, sviImpliedVol, sviW1, sviW2 } from './svi-raw.ts';
export type { SviRaw } from './svi-raw.ts';
export { checkSviParams } from './check-params.ts';
export type { SviParamCheck, SviParamError } from './check-params.ts';
export { naturalToRaw, rawToNatural } from './svi-natural.ts';
export type { SviNatural } from './svi-natural.ts';
export { rawToJumpWings, jumpWingsToRaw } from './svi-jw.ts';
export type { SviJumpWings } from './svi-jw.ts';
export { toUnconstrained, fromUnconstrained } from './unconstrained.ts';
export { ssviTotalVariance, ssviToRaw, ssviMaxPhi } from './ssvi.ts';
export type { SsviSlice } from './ssvi.ts';

// ── Arbitrage checks ────────────────────────────────────────────────────────────────────────
export { butterflyG, minButterflyG } from './butterfly.ts';
export { butterflyGrid } from './butterfly-grid.ts';
export { checkCalendar, repairCalendar, linspace } from './calendar.ts';
export type { CalendarSlice, CalendarCheck, CalendarViolation, CalendarRepair } from './calendar.ts';

// ── Fitting ─────────────────────────────────────────────────────────────────────────────────
export type { SmileQuote, FitDiagnostics, SmileFitResult, Weighting } from './types.ts';
export { fitSmile } from './fit-smile.ts';
export type { FitSmileInput } from './fit-smile.ts';
export type { QuoteFilterOptions } from './prepare-quotes.ts';
export { fitSurface } from './fit-surface.ts';
export type {
  SmileFitter,
  SurfaceFitInput,
  SurfaceFitOptions,
  SurfaceFitResult,
  SurfaceExpiryInput,
  SurfaceExpiryFit,
  CalendarFlag,
  KGrid,
} from './surface-types.ts';
export { getFitter, listFitters } from './fitter-registry.ts';
export { sviQeFitter } from './svi-qe-fitter.ts';
export { essviFitter } from './essvi-fitter.ts';

// ── Desk metrics ────────────────────────────────────────────────────────────────────────────
export { smileMetrics } from './smile-metrics.ts';
export type { SmileMetrics } from './smile-metrics.ts';
export { strikeForDelta } from './delta-strike.ts';
export { fixedTenors, DEFAULT_TENOR_DAYS } from './tenors.ts';
export type { TenorPoint, TermSlice } from './tenors.ts';
export { modelFreeVariance, volIndex30d } from './vol-index.ts';
export type { ModelFreeVariance, VolIndex } from './vol-index.ts';

// ── Chain files (Deribit get_order_book JSON lines, Tardis options_chain CSV) ───────────────
export * from './chain/index.ts';

// ── Test/bench helpers: seeded synthetic chains ─────────────────────────────────────────────
export { mulberry32, syntheticSurface, syntheticChain, DERIBIT_LIKE_DAYS } from './synthetic-chain.ts';
export type { SyntheticSurfaceSpec } from './synthetic-chain.ts';
export { YEAR_MS, yearsToExpiry } from './time.ts';
export { prepareQuotes, type PreparedQuote } from './prepare-quotes.ts';
