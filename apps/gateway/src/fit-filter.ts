import * as svi from '@volstream/svi';
import { fitSmile, type SmileQuote } from '@volstream/svi';
import { otmQuotes, type StoredPoint } from '@volstream/surface';
import type { VolPoint } from '@volstream/events';

// Why a quote is not in the fit of its expiry, by the same pure functions the surface stage
// fits with, so the gateway cannot drift from the fitter's rules:
//   1. `otmQuotes` (apps/surface): out-of-the-money options only, with a mid or both sides;
//   2. the quote filter of @volstream/svi (`prepareQuotes`, run by `fitSmile` before it
//      optimises): `invalid`, `no_iv`, `crossed`, `one_sided`, `too_wide`, `vol_cliff`.
// The svi filter reports counts per reason, not which quote; per quote reasons follow from
// counts: the per-quote filters do not depend on other quotes, so one quote at a time gives its
// own reason; the vol-cliff filter cuts a tail off each wing, walking out from the quote
// nearest ATM, so the right wing's cut is the count on the quotes from ATM outward and the
// left wing's is the rest.

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

type FilterCounts = { used: number; dropped: Record<string, number> };

// The quote filter on its own. `prepareQuotes` is not exported by @volstream/svi yet; until it
// is, `fitSmile` with minQuotes = ∞ runs the very same filter and stops before optimising
// (its "too few quotes" exit), returning the filter's counts.
type SviFilter = { prepareQuotes?: (a: { quotes: readonly SmileQuote[]; t: number; weighting: 'vega' }) => { kept: unknown[]; dropped: Record<string, number> } };
const lib = svi as unknown as SviFilter;

function filterCounts(quotes: readonly SmileQuote[], t: number): FilterCounts {
  if (lib.prepareQuotes) {
    const r = lib.prepareQuotes({ quotes, t, weighting: 'vega' });
    return { used: r.kept.length, dropped: r.dropped };
  }
  const r = fitSmile({ quotes, t, minQuotes: Number.POSITIVE_INFINITY, clock: () => 0 });
  if (r.ok) throw new Error('fitSmile fitted with minQuotes = Infinity: its filter can no longer be run alone');
  return { used: r.diagnostics?.used ?? 0, dropped: r.diagnostics?.dropped ?? {} };
}

const firstReason = (d: Record<string, number>) => Object.keys(d).find((k) => (d[k] ?? 0) > 0);

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

  // Per-quote filters, one quote at a time.
  const passed: SmileQuote[] = [];
  for (const q of otm) {
    const reason = firstReason(filterCounts([q], t).dropped);
    if (reason) out[Number(q.instrument)] = reason;
    else passed.push(q);
  }

  // Vol cliffs: a tail of each wing, counted on the quotes sorted by k as the filter sorts them.
  const cliffs = filterCounts(passed, t).dropped['vol_cliff'] ?? 0;
  if (cliffs > 0) {
    const sorted = passed.slice().sort((a, b) => a.k - b.k); // stable, as in the filter
    let atm = 0;
    for (let i = 1; i < sorted.length; i++) if (Math.abs(sorted[i]!.k) < Math.abs(sorted[atm]!.k)) atm = i;
    const right = filterCounts(sorted.slice(atm), t).dropped['vol_cliff'] ?? 0;
    const left = cliffs - right;
    for (let i = 0; i < left; i++) out[Number(sorted[i]!.instrument)] = 'vol_cliff';
    for (let i = sorted.length - right; i < sorted.length; i++) out[Number(sorted[i]!.instrument)] = 'vol_cliff';
  }
  return out;
}
