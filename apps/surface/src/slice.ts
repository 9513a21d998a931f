import { SmileSlice } from '@volstream/events';
import { smileMetrics } from '@volstream/svi';
import type { SurfaceExpiryFit } from '@volstream/svi';
import type { OkFit } from './fitter.ts';

const orNull = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Checks the fitter's answer for one expiry and builds its published form: params, diagnostics,
 * and desk metrics from `smileMetrics` (ATM-forward vol, 25Δ/10Δ RR and BF in the FX
 * convention, ATM skew dσ/dk; QUANT.md b10). A failed fit, or one that is not butterfly-free
 * on the fitter's grid (minG < 0, GJ 2014 Lemma 2.2), whose 25Δ metrics are undefined or that
 * fails the SmileSlice schema, is refused with the reason: nothing invalid is ever published.
 *
 * @param quotes number of quotes the fit was given
 */
export function acceptFit(fit: SurfaceExpiryFit | undefined, quotes: number): { ok: true; slice: SmileSlice; fit: OkFit } | { ok: false; reason: string } {
  if (fit === undefined) return { ok: false, reason: 'fitter returned no result for the expiry' };
  if (!fit.ok) return { ok: false, reason: fit.reason };
  const d = fit.diagnostics;
  if (!(d.minG >= 0)) return { ok: false, reason: `butterfly_arbitrage: minG ${d.minG}` };
  const m = smileMetrics(fit.params, fit.t);
  if (!Number.isFinite(m.atmVol) || !Number.isFinite(m.rr25) || !Number.isFinite(m.bf25)) {
    return { ok: false, reason: `metrics_undefined: atmVol ${m.atmVol}, rr25 ${m.rr25}, bf25 ${m.bf25}` };
  }
  const slice: SmileSlice = {
    expiryTs: fit.expiryTs,
    t: fit.t,
    forward: fit.forward,
    params: { a: fit.params.a, b: fit.params.b, rho: fit.params.rho, m: fit.params.m, sigma: fit.params.sigma },
    diagnostics: {
      rmse: d.rmse, maxError: d.maxError, inSpread: d.inSpread, minG: d.minG, iterations: d.iterations, ms: d.ms, used: d.used, dropped: { ...d.dropped },
      calendarRepaired: fit.calendar.action !== 'none',
    },
    points: quotes,
    atmVol: m.atmVol, rr25: m.rr25, bf25: m.bf25, rr10: orNull(m.rr10), bf10: orNull(m.bf10), skew: orNull(m.skew),
  };
  const checked = SmileSlice.safeParse(slice);
  if (!checked.success) {
    return { ok: false, reason: `invalid_slice: ${checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  }
  return { ok: true, slice, fit };
}
