import { z } from 'zod';
import { CommonEnv, env, parseEnv } from '@volstream/runtime';
import { DEFAULT_FIT_INTERVAL_MS, DEFAULT_MIN_POINTS } from './core.ts';
import { getFitter, listFitters } from '@volstream/svi';

/** Environment of the surface stage: CommonEnv plus FITTER (`name` or `name@version` of a
 * registered fitter), FIT_INTERVAL_MS (fit cadence, ms of event time) and MIN_POINTS. */
export const SurfaceEnv = CommonEnv.extend({
  FITTER: z.string().default('svi-qe').refine((id) => getFitter(id).ok, {
    error: (issue) => `unknown fitter ${JSON.stringify(issue.input)}; known fitters: ${listFitters().map((f) => f.id).join(', ')}`,
  }),
  FIT_INTERVAL_MS: env.int(DEFAULT_FIT_INTERVAL_MS, 10, 3_600_000),
  MIN_POINTS: env.int(DEFAULT_MIN_POINTS, 5, 10_000),
});
export type SurfaceConfig = z.infer<typeof SurfaceEnv>;

/** @throws ConfigError naming the variable (e.g. FITTER with the known fitters), what was wrong and the value given */
export function parseSurfaceConfig(vars: Record<string, string | undefined>): SurfaceConfig {
  return parseEnv(SurfaceEnv, vars);
}
