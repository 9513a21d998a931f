// Public surface of @volstream/svi. Everything other packages may use is exported here.
export { normCdf, normPdf, normInv } from './normal.ts';
export { black76Price, black76Greeks } from './black76.ts';
export { impliedVol, impliedVolFromCoin } from './iv/implied-vol.ts';
export type { IvResult, IvFailure } from './iv/implied-vol.ts';

export { sviTotalVariance, sviImpliedVol, sviW1, sviW2 } from './svi-raw.ts';
export type { SviRaw } from './svi-raw.ts';
export type { SmileQuote, FitDiagnostics, SmileFitResult, Weighting } from './types.ts';
export { fitSmile } from './fit-smile.ts';
export type { FitSmileInput } from './fit-smile.ts';
export { smileMetrics } from './smile-metrics.ts';
export type { SmileMetrics } from './smile-metrics.ts';
export { strikeForDelta } from './delta-strike.ts';
export { butterflyG, minButterflyG } from './butterfly.ts';
export { ssviTotalVariance, ssviToRaw } from './ssvi.ts';
export type { SsviSlice } from './ssvi.ts';
