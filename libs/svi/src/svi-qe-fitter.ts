import { linspace } from './calendar.ts';
import { finalizeSurface } from './finalize-surface.ts';
import { fitSmile } from './fit-smile.ts';
import { calendarGrid, expiryGGrid } from './surface-grid.ts';
import { sviTotalVariance } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';
import type { SmileFitter, SurfaceExpiryFit, SurfaceFitInput, SurfaceFitOptions, SurfaceFitResult } from './surface-types.ts';

/**
 * Slice-by-slice Zeliade quasi-explicit SVI with calendar repair.
 *
 * Each expiry is fitted by {@link fitSmile} (warm-started from the previous surface's fit of
 * the same expiry). Walking forward in t, a slice whose total variance dips below the previous
 * published slice on the shared calendar grid is refitted with that slice as a floor
 * (penalised refit, else `a` lifted by the deficit; QUANT.md b3); if no valid refit exists it is
 * not published and the next slice is compared with the last published one. A final
 * verification pass (finalize-surface.ts) guarantees the published slices are butterfly- and
 * calendar-free on the grids reported in the result.
 */
export const sviQeFitter: SmileFitter = {
  name: 'svi-qe',
  version: '1',
  description: 'raw SVI per expiry, Zeliade quasi-explicit calibration (2009), butterfly/calendar repair',
  fitSurface(input: SurfaceFitInput, previous?: SurfaceFitResult, options?: SurfaceFitOptions): SurfaceFitResult {
    const clock = options?.clock ?? (() => performance.now());
    const t0 = clock();
    const expiries = input.expiries.slice().sort((x, y) => x.t - y.t || x.expiryTs - y.expiryTs);
    const kGrid = calendarGrid(expiries);
    const grid = linspace(kGrid.kMin, kGrid.kMax, kGrid.n);
    const prevParams = new Map<number, SviRaw>();
    for (const e of previous?.expiries ?? []) if (e.ok) prevParams.set(e.expiryTs, e.params);

    const fits: SurfaceExpiryFit[] = [];
    let last: SviRaw | null = null;
    let violationsBefore = 0;
    let repaired = 0;
    let rejected = 0;
    for (const e of expiries) {
      const base = { expiryTs: e.expiryTs, t: e.t, forward: e.forward };
      const warm = prevParams.get(e.expiryTs);
      const common = {
        quotes: e.quotes,
        t: e.t,
        clock,
        ...(warm ? { previous: warm } : {}),
        ...(options?.weighting ? { weighting: options.weighting } : {}),
      };
      // The previous published slice is the calendar floor on the shared grid (QUANT.md b3);
      // fitSmile only pays for a constrained refit when the plain fit dips below it.
      const floorFrom = last;
      const r = fitSmile(floorFrom ? { ...common, calendarFloor: { k: grid, w: grid.map((k) => sviTotalVariance(floorFrom, k)) } } : common);
      if (!r.ok) {
        if (r.reason.startsWith('calendar_arbitrage')) {
          violationsBefore++;
          rejected++;
        }
        fits.push({ ok: false, ...base, reason: r.reason, ...(r.diagnostics ? { diagnostics: r.diagnostics } : {}) });
        continue;
      }
      const deficit = r.diagnostics.calendarDeficit ?? 0;
      if (deficit > 0) {
        violationsBefore++;
        repaired++;
      }
      fits.push({
        ok: true,
        ...base,
        params: r.params,
        diagnostics: r.diagnostics,
        calendar: { action: deficit > 0 ? 'refit' : 'none', deficit },
        gGrid: expiryGGrid(e),
      });
      last = r.params;
    }
    const fin = finalizeSurface(fits, kGrid);
    return {
      fitter: { name: this.name, version: this.version },
      expiries: fin.fits,
      kGrid,
      calendar: { violationsBefore, repaired, rejected: rejected + fin.unpublished },
      ms: clock() - t0,
    };
  },
};
