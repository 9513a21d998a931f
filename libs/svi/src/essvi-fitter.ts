import { minButterflyG } from './butterfly.ts';
import { fitErrors } from './fit-smile.ts';
import { finalizeSurface } from './finalize-surface.ts';
import { nelderMead } from './nelder-mead.ts';
import { prepareQuotes } from './prepare-quotes.ts';
import type { PreparedQuote } from './prepare-quotes.ts';
import { ssviToRaw, ssviTotalVariance } from './ssvi.ts';
import type { SsviSlice } from './ssvi.ts';
import { calendarGrid, expiryGGrid } from './surface-grid.ts';
import type { SmileFitter, SurfaceExpiryFit, SurfaceFitInput, SurfaceFitOptions, SurfaceFitResult } from './surface-types.ts';

/** Previous slice in eSSVI coordinates (ψ = θφ). */
type Anchor = { theta: number; rho: number; psi: number };

/**
 * Admissible ψ-interval of an eSSVI slice (θ, ρ) given the previous slice.
 *
 * Butterfly (GJ 2014 Thm 4.2 with ψ = θφ): ψ < 4/(1 + |ρ|) and ψ ≤ 2√(θ/(1 + |ρ|)).
 * Calendar (Hendriks–Martini 2019 Thm 4.1 / Eq. 4.10, in the form used by Corbetta et al. 2019
 * §3): with p = max((1 + ρ₁)/(1 + ρ₂), (1 − ρ₁)/(1 − ρ₂)), θ₂ ≥ p·θ₁ and ψ₂ ≥ p·ψ₁ keep the
 * slices from crossing; Corbetta et al. add ψ₂ ≤ ψ₁·θ₂/θ₁ (φ non-increasing) so that slices
 * interpolated between them stay arbitrage-free too. The non-crossing is checked by a property
 * test (essvi-fitter.unit.test.ts; dropping the p·ψ₁ bound makes it fail).
 */
export function essviPsiBounds(theta: number, rho: number, prev: Anchor | null): { lo: number; hi: number; p: number } {
  const q = 1 + Math.abs(rho);
  let hi = Math.min((4 / q) * (1 - 1e-9), 2 * Math.sqrt(theta / q));
  let lo = 0;
  let p = 1;
  if (prev) {
    p = essviP(prev.rho, rho);
    lo = p * prev.psi;
    hi = Math.min(hi, (prev.psi * theta) / prev.theta);
  }
  return { lo, hi, p };
}

/** p = max((1 + ρ₁)/(1 + ρ₂), (1 − ρ₁)/(1 − ρ₂)) ≥ 1 (Corbetta et al. 2019 §3; HM 2019 Eq. 4.10). */
export function essviP(rhoPrev: number, rho: number): number {
  return Math.max((1 + rhoPrev) / (1 + rho), (1 - rhoPrev) / (1 - rho));
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Decodes optimiser coordinates into an admissible slice, or null when the ψ-interval is empty. */
function decode(x: readonly number[], prev: Anchor | null): SsviSlice & { psi: number } | null {
  const rho = 0.999 * Math.tanh(x[0] ?? 0);
  const base = prev ? essviP(prev.rho, rho) * prev.theta : 0;
  const theta = base + Math.exp(x[1] ?? 0);
  const { lo, hi } = essviPsiBounds(theta, rho, prev);
  if (!(hi > lo)) return null;
  const psi = lo + (hi - lo) * sigmoid(x[2] ?? 0);
  return { theta, rho, phi: psi / theta, psi };
}

/** Market ATM total variance: linear interpolation of mid w in k around 0 (nearest if one-sided). */
function atmVariance(kept: readonly PreparedQuote[], t: number): number {
  let below: PreparedQuote | undefined;
  let above: PreparedQuote | undefined;
  for (const q of kept) {
    if (q.k <= 0 && (!below || q.k > below.k)) below = q;
    if (q.k >= 0 && (!above || q.k < above.k)) above = q;
  }
  const w = (q: PreparedQuote) => q.mid * q.mid * t;
  if (below && above && above.k > below.k) return w(below) + ((w(above) - w(below)) * (0 - below.k)) / (above.k - below.k);
  return w((below ?? above)!);
}

/**
 * eSSVI: one SSVI slice (θ, ρ, ψ = θφ) per expiry, fitted in increasing t, each constrained to
 * the butterfly region of GJ 2014 Thm 4.2 and the calendar condition of Hendriks–Martini 2019
 * (Thm 4.1) against the previous slice, so the surface is calendar-free by construction
 * (Corbetta, Cohort, Laachir, Martini 2019, "Robust calibration and arbitrage-free
 * interpolation of SSVI slices", slice-by-slice scheme; QUANT.md b5). Each slice is published
 * as its exact raw-SVI equivalent a = θ/2(1 − ρ²), b = θφ/2, m = −ρ/φ, σ = √(1 − ρ²)/φ.
 * Residuals are vol errors weighted as in fitSmile; optimiser: 3-D Nelder–Mead from a few
 * deterministic starts in (atanh ρ, ln(θ − pθ₁), logit ψ).
 */
export const essviFitter: SmileFitter = {
  name: 'essvi',
  version: '1',
  description: 'eSSVI slices (Hendriks–Martini 2019, Corbetta et al. 2019), calendar-free by construction',
  fitSurface(input: SurfaceFitInput, previous?: SurfaceFitResult, options?: SurfaceFitOptions): SurfaceFitResult {
    const clock = options?.clock ?? (() => performance.now());
    const t0 = clock();
    const expiries = input.expiries.slice().sort((x, y) => x.t - y.t || x.expiryTs - y.expiryTs);
    const kGrid = calendarGrid(expiries);
    const prevRho = new Map<number, number>();
    for (const e of previous?.expiries ?? []) if (e.ok && e.ssvi) prevRho.set(e.expiryTs, e.ssvi.rho);
    const fits: SurfaceExpiryFit[] = [];
    let anchor: Anchor | null = null;
    for (const e of expiries) {
      const s0 = clock();
      const base = { expiryTs: e.expiryTs, t: e.t, forward: e.forward };
      if (!(e.t > 0)) {
        fits.push({ ok: false, ...base, reason: `invalid t: ${e.t} (years, must be > 0)` });
        continue;
      }
      const { kept, dropped } = prepareQuotes({ quotes: e.quotes, t: e.t, weighting: options?.weighting ?? 'vega' });
      if (kept.length < 3) {
        fits.push({ ok: false, ...base, reason: `too_few_quotes: ${kept.length} < 3`, diagnostics: { used: kept.length, dropped } });
        continue;
      }
      const prev = anchor;
      let evaluations = 0;
      const f = (x: number[]): number => {
        evaluations++;
        const s = decode(x, prev);
        if (!s) return 1e6;
        let err = 0;
        for (const q of kept) {
          const v = Math.sqrt(Math.max(ssviTotalVariance(s, q.k), 0) / e.t) - q.mid;
          err += q.fitWeight * v * v;
        }
        return err;
      };
      const wAtm = atmVariance(kept, e.t);
      const rhoStarts = [prevRho.get(e.expiryTs) ?? prev?.rho ?? 0, -0.5, 0.5, 0];
      let best: { x: number[]; f: number } = { x: [0, 0, 0], f: Number.POSITIVE_INFINITY };
      for (const r0 of rhoStarts) {
        const rho = Math.max(-0.99, Math.min(0.99, r0));
        const floorTheta = prev ? essviP(prev.rho, rho) * prev.theta : 0;
        const x0 = [Math.atanh(rho / 0.999), Math.log(Math.max(wAtm - floorTheta, 1e-3 * wAtm + 1e-12)), 0];
        const r = nelderMead({ f, x0, step: [0.3, 0.3, 1], maxEvaluations: 500, fTol: 1e-14, xTol: 1e-6 });
        if (r.f < best.f) best = r;
      }
      const s = decode(best.x, prev);
      if (!s) {
        fits.push({ ok: false, ...base, reason: 'no_admissible_essvi_slice', diagnostics: { used: kept.length, dropped, iterations: evaluations } });
        continue;
      }
      const params = ssviToRaw(s);
      const gGrid = expiryGGrid(e);
      const { minG } = minButterflyG(params, gGrid.kMin, gGrid.kMax, gGrid.n);
      fits.push({
        ok: true,
        ...base,
        params,
        ssvi: { theta: s.theta, rho: s.rho, phi: s.phi },
        gGrid,
        calendar: { action: 'none', deficit: 0 },
        diagnostics: {
          ...fitErrors(params, kept, e.t),
          minG,
          iterations: evaluations,
          ms: clock() - s0,
          used: kept.length,
          dropped,
        },
      });
      anchor = { theta: s.theta, rho: s.rho, psi: s.psi };
    }
    const fin = finalizeSurface(fits, kGrid);
    return {
      fitter: { name: this.name, version: this.version },
      expiries: fin.fits,
      kGrid,
      calendar: { violationsBefore: 0, repaired: 0, rejected: fin.unpublished },
      ms: clock() - t0,
    };
  },
};
