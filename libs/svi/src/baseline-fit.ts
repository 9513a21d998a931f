import { nelderMead } from './nelder-mead.ts';
import { prepareQuotes } from './prepare-quotes.ts';
import { sviTotalVariance } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';
import type { SmileQuote } from './types.ts';
import { fromUnconstrained, toUnconstrained } from './unconstrained.ts';

/**
 * Baseline for benchmarks and cross-checks only: a plain 5-D Nelder–Mead over all raw SVI
 * parameters in unconstrained coordinates (QuantLib-style `SviSpecs` transform), with
 * penalties for negative minimum variance and Lee's bound, from one fixed start. Same
 * filters and vol-residual weights as fitSmile. No butterfly handling.
 */
export function baselineFit({ quotes, t, maxEvaluations = 3000 }: { quotes: readonly SmileQuote[]; t: number; maxEvaluations?: number }): {
  params: SviRaw;
  sse: number;
  evaluations: number;
} {
  const { kept } = prepareQuotes({ quotes, t, weighting: 'vega' });
  let wAtm = Number.POSITIVE_INFINITY;
  let kAtm = Number.POSITIVE_INFINITY;
  for (const q of kept) if (Math.abs(q.k) < kAtm) { kAtm = Math.abs(q.k); wAtm = q.mid * q.mid * t; }
  const f = (x: number[]): number => {
    const p = fromUnconstrained(x);
    let s = 0;
    for (const q of kept) {
      const w = sviTotalVariance(p, q.k);
      const e = Math.sqrt(Math.max(w, 0) / t) - q.mid;
      s += q.fitWeight * e * e;
    }
    const minW = p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho);
    const lee = p.b * (1 + Math.abs(p.rho)) - 2;
    return s + (minW < 0 ? minW * minW * 1e4 : 0) + (lee > 0 ? lee * lee : 0);
  };
  const x0 = toUnconstrained({ a: 0.5 * wAtm, b: 0.1, rho: -0.1, m: 0, sigma: 0.1 });
  const r = nelderMead({ f, x0, step: [0.5 * wAtm, 0.5, 0.3, 0.05, 0.5], maxEvaluations, fTol: 1e-14, xTol: 1e-8 });
  return { params: fromUnconstrained(r.x), sse: r.f, evaluations: r.evaluations };
}
