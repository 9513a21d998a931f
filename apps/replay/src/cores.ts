import { createBookCore } from '@volstream/book';
import { createVolCore, DEFAULT_REPRICE_MS, parseVolConfig } from '@volstream/vol';
import { createSurfaceCore, parseSurfaceConfig, DEFAULT_FIT_INTERVAL_MS, DEFAULT_MIN_POINTS, DEFAULT_MIN_T_MS } from '@volstream/surface';
import { getFitter } from '@volstream/svi';
import type { PipelineCores } from './engine.ts';
import { ReplayOptionsError } from './errors.ts';

/** Settings of the live cores. A replay must use the values the live apps ran with, or the
 * replayed fits of the live fitter will not match the live ones. */
export type ReplaySettings = {
  /** vol: VOL_REPRICE_MS */
  repriceMs: number;
  /** surface: FIT_INTERVAL_MS, the fit cadence in event time */
  fitIntervalMs: number;
  /** surface: MIN_POINTS */
  minPoints: number;
  /** surface: expiries closer than this at the fit time are left out (not configurable live) */
  minTMs: number;
};

export const DEFAULT_SETTINGS: ReplaySettings = {
  repriceMs: DEFAULT_REPRICE_MS,
  fitIntervalMs: DEFAULT_FIT_INTERVAL_MS,
  minPoints: DEFAULT_MIN_POINTS,
  minTMs: DEFAULT_MIN_T_MS,
};

/** The settings the live apps would read from this environment (same variables, same parsers). */
export function settingsFromEnv(env: Record<string, string | undefined>): ReplaySettings {
  const vol = parseVolConfig(env);
  const surface = parseSurfaceConfig(env);
  return { repriceMs: vol.VOL_REPRICE_MS, fitIntervalMs: surface.FIT_INTERVAL_MS, minPoints: surface.MIN_POINTS, minTMs: DEFAULT_MIN_T_MS };
}

/**
 * The live apps' own cores with the given settings, exactly as their workers build them
 * (apps/book, apps/vol, apps/surface `start*`), except that the surface clock (which only feeds
 * the `ms` diagnostic) is always the wall clock.
 */
export function liveCores(settings: ReplaySettings): PipelineCores {
  return {
    book: () => createBookCore(),
    vol: () => createVolCore(undefined, { repriceMs: settings.repriceMs }),
    surface: (id) => {
      const found = getFitter(id);
      if (!found.ok) throw new ReplayOptionsError(`--fitters: ${found.reason}`);
      return createSurfaceCore({
        fitter: found.fitter, fitIntervalMs: settings.fitIntervalMs, minPoints: settings.minPoints, minTMs: settings.minTMs,
        clock: () => performance.now(),
      });
    },
  };
}
