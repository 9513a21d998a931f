import { z } from 'zod';
import { CommonEnv, ConfigError, env, parseEnv } from '@volstream/runtime';
import { parseShare } from '@volstream/events';
import { DEFAULT_FIT_INTERVAL_MS, DEFAULT_MIN_POINTS } from './core.ts';
import { getFitter, listFitters } from '@volstream/svi';

/** What the worker fits: each venue's surfaces only, those and the composite, or the composite only. */
export type CompositeMode = 'off' | 'also' | 'only';

const COMPOSITE_VALUES = { '1': 'also', true: 'also', yes: 'also', '0': 'off', false: 'off', no: 'off', only: 'only' } as const satisfies Record<string, CompositeMode>;

/** Environment of the surface stage: CommonEnv plus FITTER (`name` or `name@version` of a
 * registered fitter), FIT_INTERVAL_MS (fit cadence, ms of event time), MIN_POINTS and COMPOSITE.
 *
 * COMPOSITE (1|0|only) fits the composite surface of each underlying from every venue's quotes
 * (venue `composite`, subjects `surface.composite.<underlying>…`). It needs every venue of the
 * underlying, so only the surface worker whose SHARE covers all venues fits it (no SHARE, or
 * `*.BTC`); default: on unless SHARE takes one venue. `only` fits the composite alone, for a
 * deployment whose per-venue surfaces come from per-venue workers (SHARE=deribit, SHARE=okx…)
 * beside one composite worker per underlying (SHARE=*.BTC COMPOSITE=only). */
export const SurfaceEnv = CommonEnv.extend({
  FITTER: z.string().default('svi-qe').refine((id) => getFitter(id).ok, {
    error: (issue) => `unknown fitter ${JSON.stringify(issue.input)}; known fitters: ${listFitters().map((f) => f.id).join(', ')}`,
  }),
  FIT_INTERVAL_MS: env.int(DEFAULT_FIT_INTERVAL_MS, 10, 3_600_000),
  MIN_POINTS: env.int(DEFAULT_MIN_POINTS, 5, 10_000),
  COMPOSITE: z.enum(Object.keys(COMPOSITE_VALUES) as [keyof typeof COMPOSITE_VALUES], { error: `must be one of ${Object.keys(COMPOSITE_VALUES).join(', ')}` }).optional(),
});
export type SurfaceConfig = Omit<z.infer<typeof SurfaceEnv>, 'COMPOSITE'> & { COMPOSITE: CompositeMode };

/** @throws ConfigError naming the variable (e.g. FITTER with the known fitters), what was wrong and the value given */
export function parseSurfaceConfig(vars: Record<string, string | undefined>): SurfaceConfig {
  const e = parseEnv(SurfaceEnv, vars);
  const share = parseShare(e.SHARE);
  // A surface is fitted over all expiries of an underlying (calendar checks, tenors, the index),
  // and its events carry no share in their ids: the surface stage shards by venue and underlying.
  if (share.expiry !== undefined) {
    throw new ConfigError(`Invalid configuration:\n  SHARE: the surface stage fits every expiry of an underlying together, so its share is venue[.underlying], not an expiry (got ${JSON.stringify(e.SHARE)})`);
  }
  const oneVenue = share.venue !== undefined;
  const mode: CompositeMode = e.COMPOSITE === undefined ? (oneVenue ? 'off' : 'also') : COMPOSITE_VALUES[e.COMPOSITE];
  if (mode !== 'off' && oneVenue) {
    throw new ConfigError(`Invalid configuration:\n  COMPOSITE: the composite needs every venue of an underlying, but SHARE=${e.SHARE} takes one venue; fit it in a worker whose SHARE covers all venues (e.g. *.BTC) (got ${JSON.stringify(e.COMPOSITE)})`);
  }
  return { ...e, COMPOSITE: mode };
}
