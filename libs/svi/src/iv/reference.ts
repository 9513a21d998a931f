import { normCdf } from '../normal.ts';

/*
 * Slow, obviously-correct reference implied vol for tests (STYLE.md habit 10): bisection on
 * ln σ over [1e-6, 50] against the textbook Black-76 formula (Black 1976; QUANT.md b8),
 * evaluated on the out-of-the-money side (put–call parity) so that deep-ITM prices do
 * not lose digits, with no shared code with the fast solver besides normCdf.
 */

/** Textbook undiscounted Black-76 price, OTM side plus intrinsic (Black 1976). */
export function referenceBlack76Price({ forward, strike, t, sigma, isCall }: {
  forward: number; strike: number; t: number; sigma: number; isCall: boolean;
}): number {
  const sd = sigma * Math.sqrt(t);
  const d1 = Math.log(forward / strike) / sd + sd / 2;
  const d2 = d1 - sd;
  const call = forward <= strike;
  const otm = call ? forward * normCdf(d1) - strike * normCdf(d2) : strike * normCdf(-d2) - forward * normCdf(-d1);
  const intrinsic = isCall ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
  return Math.max(otm, 0) + intrinsic;
}

/**
 * Implied vol by bisection (200 halvings of ln σ: the bracket shrinks to adjacent doubles).
 * Returns NaN if the price is outside what σ ∈ [1e-6, 50] can produce.
 *
 * @example referenceImpliedVol({ price: 7.965567455405796, forward: 100, strike: 100, t: 1, isCall: true }) // ≈ 0.2 (0.1999999999999998)
 */
export function referenceImpliedVol({ price, forward, strike, t, isCall }: {
  price: number; forward: number; strike: number; t: number; isCall: boolean;
}): number {
  let lo = Math.log(1e-6);
  let hi = Math.log(50);
  const p = (lnSigma: number): number => referenceBlack76Price({ forward, strike, t, sigma: Math.exp(lnSigma), isCall });
  if (!(p(lo) <= price && price <= p(hi))) return Number.NaN;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (p(mid) < price) lo = mid;
    else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}
