import { brentRoot } from './brent.ts';
import { normInv } from './normal.ts';
import { sviTotalVariance } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';

/**
 * Forward log-moneyness of the strike whose undiscounted forward Black delta equals `delta`
 * on a raw SVI slice. Call deltas are in (0, 1); put deltas in (−1, 0).
 *
 * Δ_C = N(d₁), Δ_P = N(d₁) − 1, d₁(k) = −k/√w(k) + √w(k)/2; so solve d₁(k) = N⁻¹(Δ_C) with
 * Δ_C = Δ for calls and 1 + Δ for puts. Because w depends on k this is a 1-D root find (Brent)
 * (QUANT.md b10). The bracket is grown outward from k = 0 in doubling steps.
 *
 * @returns k, or NaN when no strike attains the delta (e.g. w ≤ 0 or the wing is too steep)
 * @example
 * strikeForDelta({ params: { a: 0.04, b: 0, rho: 0, m: 0, sigma: 0.1 }, delta: 0.5 }) // 0.02 (= w/2)
 */
export function strikeForDelta({ params, delta }: { params: SviRaw; delta: number }): number {
  const callDelta = delta < 0 ? 1 + delta : delta;
  if (!(callDelta > 0 && callDelta < 1)) return Number.NaN;
  const target = normInv(callDelta);
  const h = (k: number): number => {
    const w = sviTotalVariance(params, k);
    if (!(w > 0)) return Number.NaN;
    const s = Math.sqrt(w);
    return -k / s + s / 2 - target;
  };
  const h0 = h(0);
  if (!Number.isFinite(h0)) return Number.NaN;
  if (h0 === 0) return 0;
  // d₁ falls with k on an arbitrage-free slice, so the root lies to the right iff h(0) > 0.
  const dir = h0 > 0 ? 1 : -1;
  const w0 = sviTotalVariance(params, 0);
  let step = Math.max(Math.sqrt(w0), 1e-4);
  let lo = 0;
  let hi = dir * step;
  for (let i = 0; i < 60; i++) {
    const hv = h(hi);
    if (!Number.isFinite(hv)) return Number.NaN;
    if (hv * h0 <= 0) {
      const r = brentRoot({ f: h, lo: Math.min(lo, hi), hi: Math.max(lo, hi), tol: 1e-12 });
      return r.ok ? r.x : Number.NaN;
    }
    lo = hi;
    step *= 2;
    hi = lo + dir * step;
    if (Math.abs(hi) > 50) return Number.NaN;
  }
  return Number.NaN;
}
