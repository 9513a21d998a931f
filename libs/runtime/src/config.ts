import { z } from 'zod';

/** Configuration that cannot start the process; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/**
 * Parse environment variables with a zod object whose keys ARE the variable names, so every
 * error names the variable, what was wrong and the value given.
 *
 * @example parseEnv(z.object({ PORT: port(8080) }), process.env) // { PORT: 8080 }
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    input[key] = v === undefined || v.trim() === '' ? undefined : v.trim();
  }
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const name = String(i.path[0] ?? '(env)');
    return `${name}: ${i.message} (got ${JSON.stringify(input[name])})`;
  });
  throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
}

/** Helpers for env values (strings in, typed values out). */
export const env = {
  port: (def: number) => z.coerce.number({ error: 'must be a port number' }).int('must be an integer').min(0).max(65535).default(def),
  int: (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be >= ${min}`).max(max, `must be <= ${max}`).default(def),
  number: (def: number, min = -Infinity, max = Infinity) =>
    z.coerce.number({ error: 'must be a number' }).refine(Number.isFinite, 'must be a finite number').pipe(z.number().min(min, `must be >= ${min}`).max(max, `must be <= ${max}`)).default(def),
  url: (def: string, protocols: string[]) =>
    z.string().default(def).refine((s) => {
      try { return protocols.includes(new URL(s).protocol.replace(':', '')); } catch { return false; }
    }, `must be a URL with scheme ${protocols.join(' or ')}`),
  list: (def: string[], item: RegExp = /^[A-Za-z0-9_\-]+$/) =>
    z.string().optional().transform((s) => (s === undefined ? def : s.split(',').map((x) => x.trim()).filter(Boolean)))
      .refine((xs) => xs.length > 0 && xs.every((x) => item.test(x)), `must be a comma-separated list matching ${item}`),
  bool: (def: boolean) => z.enum(['1', '0', 'true', 'false', 'yes', 'no']).optional().transform((s) => (s === undefined ? def : ['1', 'true', 'yes'].includes(s))),
};
