import { createBookCore } from '@volstream/book';
import { createVolCore, DEFAULT_REPRICE_MS, parseVolConfig } from '@volstream/vol';
import { createSurfaceCore, parseSurfaceConfig, DEFAULT_FIT_INTERVAL_MS, DEFAULT_MIN_POINTS, DEFAULT_MIN_T_MS, type CompositeMode } from '@volstream/surface';
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
  /** surface: COMPOSITE, whether the composite surface of the underlying (venue `composite`,
   * from every venue's quotes) is fitted too ('also'), alone ('only') or not ('off'). A replay
   * of one venue fits no composite, as a live worker whose SHARE takes one venue. */
  composite: CompositeMode;
};

export const DEFAULT_SETTINGS: ReplaySettings = {
  repriceMs: DEFAULT_REPRICE_MS,
  fitIntervalMs: DEFAULT_FIT_INTERVAL_MS,
  minPoints: DEFAULT_MIN_POINTS,
  minTMs: DEFAULT_MIN_T_MS,
  // The live default when one worker takes every venue (no SHARE).
  composite: 'also',
};

/** The settings the live apps would read from this environment (same variables, same parsers). */
export function settingsFromEnv(env: Record<string, string | undefined>): ReplaySettings {
  // SHARE is the live worker's, not the replay's (--venue decides): read the rest as for every venue.
  const vars = { ...env, SHARE: undefined };
  const vol = parseVolConfig(vars);
  const surface = parseSurfaceConfig(vars);
  return { repriceMs: vol.VOL_REPRICE_MS, fitIntervalMs: surface.FIT_INTERVAL_MS, minPoints: surface.MIN_POINTS, minTMs: DEFAULT_MIN_T_MS, composite: surface.COMPOSITE };
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
        clock: () => performance.now(), composite: settings.composite !== 'off', venueSurfaces: settings.composite !== 'only',
      });
    },
  };
}
