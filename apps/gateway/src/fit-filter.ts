import { prepareQuotes } from '@volstream/svi';
import { otmQuotes, type StoredPoint } from '@volstream/surface';
import type { VolPoint } from '@volstream/events';

// Why a quote is not in the fit of its expiry, by the same pure functions the surface stage
// fits with, so the gateway cannot drift from the fitter's rules:
//   1. `otmQuotes` (apps/surface): out-of-the-money options only, with a mid or both sides;
//   2. the quote filter of @volstream/svi (`prepareQuotes`, which the fitters run first):
//      `invalid`, `no_iv`, `crossed`, `one_sided`, `too_wide`, `vol_cliff`, per quote.

/** Why a quote is not in the fit; `null` when it is in. Known values: see {@link EXCLUSIONS}. */
export type Exclusion = string | null;

/** Reasons a quote can be left out, with their meaning (documented in the API). */
export const EXCLUSIONS: Readonly<Record<string, string>> = {
  itm: 'in the money: the fit uses out-of-the-money options only (calls at K ≥ F, puts below)',
  no_iv: 'no implied vol on any side (the vol point’s `reasons` say why per side)',
  one_sided: 'no mid vol and not both bid and ask vols',
  invalid: 'non-finite log-moneyness',
  crossed: 'bid vol above ask vol',
  too_wide: '(askIv − bidIv)/mid above the fitter’s bound',
  vol_cliff: 'beyond a wing point where the mid vol falls by more than half (cabinet prices)',
};

/**
 * Per-quote reason for being left out of the fit of one expiry, aligned with `points`.
 *
 * @param forward the fitted slice's forward (the surface recomputes k = ln(K/F) at it)
 * @param t years to expiry at the fit
 */
export function fitExclusions(points: readonly VolPoint[], { forward, t }: { forward: number; t: number }): Exclusion[] {
  const out: Exclusion[] = points.map(() => null);
  const stored: StoredPoint[] = points.map((p, i) => ({
    instrument: String(i), strike: p.strike, isCall: p.optionType === 'call', bidIv: p.bidIv, askIv: p.askIv, midIv: p.midIv, vega: p.vega,
  }));
  const otm = otmQuotes({ points: stored, forward, t });
  const inOtm = new Set(otm.map((q) => Number(q.instrument)));
  stored.forEach((p, i) => {
    if (inOtm.has(i)) return;
    out[i] = p.isCall !== p.strike >= forward ? 'itm' : p.bidIv === null && p.askIv === null && p.midIv === null ? 'no_iv' : 'one_sided';
  });

  // The fitters' quote filter, with its reason per quote (vega weighting, as the surface fits).
  const { reasons } = prepareQuotes({ quotes: otm, t, weighting: 'vega' });
  otm.forEach((q, j) => {
    const reason = reasons[j];
    if (reason) out[Number(q.instrument)] = reason;
  });
  return out;
}
