import type { StoredPoint } from './quotes.ts';

/** Fewest venues an underlying needs before its composite is fitted: with one venue the
 * composite would be that venue's own surface fitted a second time. */
export const COMPOSITE_MIN_VENUES = 2;

/** One venue's quotes of one expiry, as the surface core keeps them. */
export type VenueExpiry = {
  venue: string;
  /** The venue's latest forward of the expiry, USD. */
  forward: number;
  points: Iterable<StoredPoint>;
};

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/**
 * The composite market of one expiry from every venue that quotes it: per (strike, call/put),
 * the BEST BID and BEST ASK across venues in implied-vol terms (highest bid IV, lowest ask IV),
 * i.e. the consolidated market anyone could trade at.
 *
 * Why best-of rather than every venue's quote weighted: IVs are what is comparable across venues
 * (premiums are not: coin vs USD, contract sizes, each venue's own forward); the consolidated
 * market is the tightest band a fit can be held to; and it counts a strike once however many
 * venues list it, where pooled quotes would give more weight to strikes quoted in more places
 * and let a wide or stale venue pull the mid. Sizes are not considered.
 *
 * - crossed across venues (best bid IV > best ask IV; stale quotes or differing forwards): the
 *   centre of the cross is kept as the mid, with no sides (the fitter uses it as a mid-only
 *   quote, never as a spread);
 * - a side no venue quotes stays null; without both sides the mid is the mean of the venues'
 *   mid IVs (none: null, and the quote is not usable, as for one venue);
 * - vega: mean of the venues' vegas (USD per vol point per unit of underlying, so comparable);
 * - forward: the median of the venues' forwards; the fit recomputes k = ln(K/F) at it, keeping
 *   each venue's IV at its strike (the venues' forwards differ by basis points, so this moves a
 *   quote's k by as much).
 *
 * Pure and deterministic: venues are taken in name order and points come out sorted by strike,
 * then calls before puts, whatever order they were given in.
 *
 * @example
 * compositePoints([
 *   { venue: 'deribit', forward: 100, points: [{ instrument: 'D-100-C', strike: 100, isCall: true, bidIv: 0.50, askIv: 0.54, midIv: 0.52, vega: 1 }] },
 *   { venue: 'okx', forward: 102, points: [{ instrument: 'O-100-C', strike: 100, isCall: true, bidIv: 0.51, askIv: 0.55, midIv: 0.53, vega: 3 }] },
 * ]) // { forward: 101, points: [{ instrument: '100-C', strike: 100, isCall: true, bidIv: 0.51, askIv: 0.54, midIv: null, vega: 2 }] }
 */
export function compositePoints(venues: readonly VenueExpiry[]): { forward: number; points: StoredPoint[] } | null {
  const sorted = venues.slice().sort((a, b) => (a.venue < b.venue ? -1 : a.venue > b.venue ? 1 : 0));
  if (sorted.length === 0) return null;
  const byKey = new Map<string, StoredPoint[]>();
  for (const v of sorted) {
    for (const p of v.points) {
      const key = `${p.strike}|${p.isCall ? 'C' : 'P'}`;
      const list = byKey.get(key);
      if (list) list.push(p);
      else byKey.set(key, [p]);
    }
  }
  const points: StoredPoint[] = [];
  for (const quotes of byKey.values()) {
    const { strike, isCall } = quotes[0]!;
    const bids = quotes.flatMap((q) => (q.bidIv !== null ? [q.bidIv] : []));
    const asks = quotes.flatMap((q) => (q.askIv !== null ? [q.askIv] : []));
    let bidIv = bids.length > 0 ? Math.max(...bids) : null;
    let askIv = asks.length > 0 ? Math.min(...asks) : null;
    let midIv: number | null = null;
    if (bidIv !== null && askIv !== null) {
      if (bidIv > askIv) {
        midIv = (bidIv + askIv) / 2;
        bidIv = null;
        askIv = null;
      }
    } else {
      midIv = mean(quotes.flatMap((q) => (q.midIv !== null ? [q.midIv] : [])));
    }
    const vega = mean(quotes.flatMap((q) => (q.vega !== null ? [q.vega] : [])));
    points.push({ instrument: `${strike}-${isCall ? 'C' : 'P'}`, strike, isCall, bidIv, askIv, midIv, vega });
  }
  points.sort((a, b) => a.strike - b.strike || Number(b.isCall) - Number(a.isCall));
  return { forward: median(sorted.map((v) => v.forward)), points };
}
