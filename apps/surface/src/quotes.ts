import type { SmileQuote } from '@volstream/svi';

/** What the surface keeps of a vol point: enough to rebuild its quote at any forward. */
export type StoredPoint = {
  instrument: string;
  /** USD */
  strike: number;
  isCall: boolean;
  bidIv: number | null;
  askIv: number | null;
  midIv: number | null;
  /** USD per vol point per unit of underlying */
  vega: number | null;
  /** Set when the venue's feed disconnected after this point: left out of every fit (the venue's
   * and the composite) until the instrument's next vol point replaces it. Absent when fresh. */
  stale?: true;
};

const usable = (p: StoredPoint) => p.midIv !== null || (p.bidIv !== null && p.askIv !== null);

/**
 * The quotes one expiry is fitted to: out-of-the-money options only (calls at K ≥ F, puts
 * below), whose prices carry the smile's information without the intrinsic value's noise, with
 * k = ln(K/F) recomputed at the expiry's latest forward and t at the fit time (the points' own
 * IVs are kept: sticky moneyness over the fit interval). Points without a mid or two sides are
 * left out.
 *
 * @param forward latest forward of the expiry, USD
 * @param t years to expiry at the fit time
 */
export function otmQuotes({ points, forward, t }: { points: Iterable<StoredPoint>; forward: number; t: number }): SmileQuote[] {
  const out: SmileQuote[] = [];
  for (const p of points) {
    if (p.isCall !== p.strike >= forward || !usable(p)) continue;
    out.push({ k: Math.log(p.strike / forward), t, bidIv: p.bidIv, askIv: p.askIv, midIv: p.midIv, vega: p.vega, instrument: p.instrument });
  }
  return out;
}
