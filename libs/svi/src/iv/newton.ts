import { normCdf, normPdf } from '../normal.ts';

/*
 * Baseline for the benchmark: plain Newton on σ with a bisection fallback, pricing with
 * the textbook Black-76 formula (Black 1976) and Newton steps Δσ = (P(σ) − price)/vega.
 * Start σ₀ = √(2|ln(F/K)|/t) + 0.2 (near the inflection point of price in σ,
 * Manaster & Koehler 1982). Stops at |Δσ| ≤ 1e-12·σ.
 */

/**
 * σ (fraction) or NaN when outside no-arbitrage bounds or not converged in 100 steps.
 *
 * @example newtonImpliedVol({ price: 7.965567455405796, forward: 100, strike: 100, t: 1, isCall: true }) // 0.2
 */
export function newtonImpliedVol({ price, forward, strike, t, isCall }: {
  price: number; forward: number; strike: number; t: number; isCall: boolean;
}): number {
  const intrinsic = isCall ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
  if (!(price > intrinsic && price < (isCall ? forward : strike) && t > 0)) return Number.NaN;
  const x = Math.log(forward / strike);
  const sqrtT = Math.sqrt(t);
  let lo = 0;
  let hi = 20;
  let sigma = Math.sqrt((2 * Math.abs(x)) / t) + 0.2;
  for (let i = 0; i < 100; i++) {
    const sd = sigma * sqrtT;
    const d1 = x / sd + 0.5 * sd;
    const d2 = d1 - sd;
    const p = isCall ? forward * normCdf(d1) - strike * normCdf(d2) : strike * normCdf(-d2) - forward * normCdf(-d1);
    const diff = p - price;
    if (diff > 0) hi = sigma;
    else lo = sigma;
    const vega = forward * normPdf(d1) * sqrtT;
    let next = sigma - diff / vega;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - sigma) <= 1e-12 * sigma) return next;
    sigma = next;
  }
  return Number.NaN;
}
