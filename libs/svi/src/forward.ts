/** One strike of an expiry with both sides quoted, prices in coin (Deribit inverse options). */
export type ParityPair = {
  /** Strike in USD. */
  strike: number;
  /** Call price in coin (use the mid of best bid/ask, or the mark). */
  callCoin: number;
  /** Put price in coin, same convention as callCoin. */
  putCoin: number;
};

/** Forward implied by put–call parity over the nearest-the-money strikes. */
export type ParityForward = {
  /** Median of the per-strike forwards, USD per coin. */
  forward: number;
  /** Number of strikes used (≤ nearest). */
  pairsUsed: number;
  /** (max − min)/forward over the strikes used; 0 with one pair. */
  dispersion: number;
};

/**
 * Forward of one expiry from coin-space put–call parity, robust to one bad quote.
 *
 * With r_coin = 0, C_coin − P_coin = 1 − K/F, hence F = K / (1 − (C_coin − P_coin))
 * (QUANT.md b8, derived from the inverse payoffs max(S−K,0)/S and max(K−S,0)/S). Following
 * QUANT.md b9 (PCP from the chain, K* = argmin|C − P|), it takes the `nearest` strikes with
 * the smallest |C − P| — where parity is least sensitive to the bid/ask noise — and returns
 * the median of their forwards. Pairs with non-finite or negative prices, or C − P ≥ 1,
 * are skipped.
 *
 * @param pairs strikes of one expiry with call and put prices in coin (mid prices)
 * @param options.nearest how many near-the-money strikes to use (default 3)
 * @returns `{ forward, pairsUsed, dispersion }`, or null when no pair is usable
 * @example forwardFromParity([{ strike: 9250, callCoin: 0.0512, putCoin: 0.0401 }])
 * // { forward: 9353.827…, pairsUsed: 1, dispersion: 0 }  (9250 / (1 − 0.0111))
 */
export function forwardFromParity(pairs: readonly ParityPair[], options: { nearest?: number } = {}): ParityForward | null {
  const usable: { diff: number; forward: number }[] = [];
  for (const { strike, callCoin, putCoin } of pairs) {
    if (!(strike > 0 && strike < Infinity && callCoin >= 0 && callCoin < Infinity && putCoin >= 0 && putCoin < Infinity)) continue;
    const diff = callCoin - putCoin;
    if (!(diff < 1)) continue;
    usable.push({ diff: Math.abs(diff), forward: strike / (1 - diff) });
  }
  return medianOfNearest(usable, options.nearest);
}

/** One strike of an expiry with both sides quoted, premiums in the quote currency per unit of underlying (linear options). */
export type LinearParityPair = {
  /** Strike in the quote currency. */
  strike: number;
  /** Call premium per unit of underlying (price / contract multiplier; mid of best bid/ask). */
  call: number;
  /** Put premium per unit of underlying, same convention as call. */
  put: number;
};

/**
 * Forward of one expiry from linear put–call parity, r = 0: C − P = F − K, hence
 * F = K + (C − P) (QUANT.md b8 for linear/USDC premiums, b9 for PCP from the chain). Same
 * robust selection as forwardFromParity: the `nearest` strikes with the smallest |C − P|, then
 * the median. Pairs with non-finite or negative prices, or a forward ≤ 0, are skipped.
 *
 * @example forwardFromLinearParity([{ strike: 60000, call: 2100, put: 1900 }])
 * // { forward: 60200, pairsUsed: 1, dispersion: 0 }
 */
export function forwardFromLinearParity(pairs: readonly LinearParityPair[], options: { nearest?: number } = {}): ParityForward | null {
  const usable: { diff: number; forward: number }[] = [];
  for (const { strike, call, put } of pairs) {
    if (!(strike > 0 && strike < Infinity && call >= 0 && call < Infinity && put >= 0 && put < Infinity)) continue;
    const forward = strike + (call - put);
    if (!(forward > 0)) continue;
    usable.push({ diff: Math.abs(call - put), forward });
  }
  return medianOfNearest(usable, options.nearest);
}

function medianOfNearest(usable: { diff: number; forward: number }[], nearestOpt: number | undefined): ParityForward | null {
  const nearest = Math.max(1, Math.floor(nearestOpt ?? 3));
  if (usable.length === 0) return null;
  usable.sort((a, b) => a.diff - b.diff);
  const forwards = usable.slice(0, nearest).map((u) => u.forward).sort((a, b) => a - b);
  const n = forwards.length;
  const mid = n >> 1;
  const forward = n % 2 === 1 ? (forwards[mid] as number) : 0.5 * ((forwards[mid - 1] as number) + (forwards[mid] as number));
  const dispersion = ((forwards[n - 1] as number) - (forwards[0] as number)) / forward;
  return { forward, pairsUsed: n, dispersion };
}

/** The forward chosen for an expiry and where it came from. */
export type ChosenForward = {
  /** USD per coin. */
  forward: number;
  /** 'venue' = the exchange's underlying/future price; 'parity' = forwardFromParity. */
  source: 'venue' | 'parity';
  /** parity/venue − 1 when both are present, else null. */
  disagreement: number | null;
};

/**
 * Pick the forward for an expiry: the venue's (Deribit `underlying_price`, the expiry's
 * future or synthetic, which is also what Deribit's own IVs use; EXCHANGES.md §1.9) when
 * present, otherwise the put–call-parity forward (QUANT.md b9). Reports the relative
 * disagreement parity/venue − 1 so callers can flag a stale venue price.
 *
 * @param input.venueForward the venue's forward, USD per coin (ignored unless finite and > 0)
 * @param input.parityForward e.g. forwardFromParity(...)?.forward
 * @returns the choice, or null when neither is usable
 * @example chooseForward({ venueForward: 9352.58, parityForward: 9360 })
 * // { forward: 9352.58, source: 'venue', disagreement: 0.000793… }
 */
export function chooseForward({ venueForward, parityForward }: { venueForward?: number | null; parityForward?: number | null }): ChosenForward | null {
  const venueOk = typeof venueForward === 'number' && venueForward > 0 && venueForward < Infinity;
  const parityOk = typeof parityForward === 'number' && parityForward > 0 && parityForward < Infinity;
  const disagreement = venueOk && parityOk ? (parityForward as number) / (venueForward as number) - 1 : null;
  if (venueOk) return { forward: venueForward as number, source: 'venue', disagreement };
  if (parityOk) return { forward: parityForward as number, source: 'parity', disagreement };
  return null;
}
