import { minButterflyG } from './butterfly.ts';
import { checkCalendar, linspace } from './calendar.ts';
import type { KGrid, SurfaceExpiryFit } from './surface-types.ts';

/**
 * Last line of defence before publication: re-verifies every published slice (g ≥ 0 on its
 * grid, GJ 2014 Lemma 2.2) and every consecutive pair (∂_T w ≥ 0 on `kGrid`, QUANT.md b3), and
 * unpublishes a later slice of a violating pair until the surface is clean. Fitters are meant
 * to make this a no-op; it turns "should" into "is".
 *
 * @returns the fits (sorted by t) and how many slices were unpublished here
 */
export function finalizeSurface(fits: readonly SurfaceExpiryFit[], kGrid: KGrid): { fits: SurfaceExpiryFit[]; unpublished: number } {
  const out = fits.slice().sort((x, y) => x.t - y.t || x.expiryTs - y.expiryTs);
  let unpublished = 0;
  for (let i = 0; i < out.length; i++) {
    const f = out[i]!;
    if (!f.ok) continue;
    const g = minButterflyG(f.params, f.gGrid.kMin, f.gGrid.kMax, f.gGrid.n).minG;
    if (!(g >= 0)) {
      out[i] = { ok: false, expiryTs: f.expiryTs, t: f.t, forward: f.forward, reason: `butterfly_check_failed: minG ${g}`, diagnostics: f.diagnostics };
      unpublished++;
    }
  }
  const grid = linspace(kGrid.kMin, kGrid.kMax, kGrid.n);
  for (;;) {
    const idx: number[] = [];
    out.forEach((f, i) => { if (f.ok) idx.push(i); });
    const slices = idx.map((i) => {
      const f = out[i] as Extract<SurfaceExpiryFit, { ok: true }>;
      return { t: f.t, params: f.params };
    });
    const c = checkCalendar(slices, grid);
    if (c.ok) break;
    const v = c.violations[0]!;
    const i = idx[v.index]!;
    const f = out[i]!;
    out[i] = {
      ok: false,
      expiryTs: f.expiryTs,
      t: f.t,
      forward: f.forward,
      reason: `calendar_check_failed: w ${v.w} < ${v.wPrev} of t=${v.tPrev} at k=${v.k}`,
      ...(f.diagnostics ? { diagnostics: f.diagnostics } : {}),
    };
    unpublished++;
  }
  return { fits: out, unpublished };
}
