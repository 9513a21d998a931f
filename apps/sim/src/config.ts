/**
 * Simulated-venue configuration, parsed once from the environment in the entry point
 * (STYLE.md habit 2). The zod schema is keyed by the variable names, so every error names the
 * variable, what is wrong and the value given.
 */
import { z } from 'zod';
import { UNDERLYINGS, type Underlying } from './model/types.ts';

export type SimConfig = {
  /** SIM_PORT: 0 picks a free port */
  port: number;
  /** SIM_HOST */
  host: string;
  /** SIM_SEED: seed of the model's PRNG */
  seed: number;
  /** SIM_UNDERLYINGS */
  underlyings: Underlying[];
  /** SIM_INSTRUMENTS_PER_UNDERLYING: options + futures, approximately */
  instrumentsPerUnderlying: number;
  /** SIM_STEP_MS: wall time between model steps */
  stepMs: number;
  /** SIM_UPDATES_PER_SECOND: book messages per second per underlying (options + futures) */
  updatesPerSecond: number;
  /** SIM_SPEED: multiplier of model time for the dynamics; timestamps and time to expiry stay wall time */
  speed: number;
  /** SIM_TICKER_INTERVAL_MS: minimum gap between two tickers of one option */
  tickerIntervalMs: number;
  /** SIM_SUBSCRIBE_BURST / SIM_SUBSCRIBE_PER_SECOND: subscribe+unsubscribe token bucket per connection
   *  (Deribit: cost 3,000 of a 30,000 pool ⇒ burst 10, ~3.3/s; EXCHANGES.md §1.3) */
  subscribeBurst: number;
  subscribePerSecond: number;
  /** SIM_MIN_HEARTBEAT_S: smallest accepted public/set_heartbeat interval (Deribit: 10) */
  minHeartbeatIntervalS: number;
  /** channels allowed in one subscribe request (Deribit: 500, EXCHANGES.md §1.3) */
  maxChannelsPerSubscribe: number;
};

export class SimConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SimConfigError';
  }
}

const int = (def: number, min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be >= ${min}`).max(max, `must be <= ${max}`).default(def);
const num = (def: number, min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).min(min, `must be >= ${min}`).max(max, `must be <= ${max}`).default(def);

const EnvSchema = z.object({
  SIM_PORT: int(8090, 0, 65535),
  SIM_HOST: z.string().min(1).default('127.0.0.1'),
  SIM_SEED: int(42, -2147483648, 2147483647),
  SIM_UNDERLYINGS: z
    .string()
    .default('BTC,ETH')
    .transform((s) => [...new Set(s.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean))])
    .refine((xs) => xs.length > 0 && xs.every((x) => (UNDERLYINGS as readonly string[]).includes(x)), `must be a comma-separated subset of ${UNDERLYINGS.join(',')}`)
    .transform((xs) => xs as Underlying[]),
  SIM_INSTRUMENTS_PER_UNDERLYING: int(400, 40, 4000),
  SIM_STEP_MS: int(100, 10, 10_000),
  SIM_UPDATES_PER_SECOND: num(300, 0, 100_000),
  SIM_SPEED: num(1, 0, 1_000_000),
  SIM_TICKER_INTERVAL_MS: int(1000, 0, 3_600_000),
  SIM_SUBSCRIBE_BURST: int(10, 1, 1_000_000),
  SIM_SUBSCRIBE_PER_SECOND: num(10_000 / 3_000, 0.001, 1_000_000),
  SIM_MIN_HEARTBEAT_S: num(10, 0.05, 3600),
});

export const DEFAULT_SIM_CONFIG: SimConfig = parseSimConfig({});

/**
 * Parse and validate `SIM_*` variables (empty = default).
 * @throws SimConfigError naming each bad variable, e.g. `SIM_PORT: must be <= 65535 (got "70000")`
 * @example parseSimConfig({ SIM_PORT: '0' }).port // 0
 */
export function parseSimConfig(env: Record<string, string | undefined>): SimConfig {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const v = env[key];
    input[key] = v === undefined || v.trim() === '' ? undefined : v.trim();
  }
  const r = EnvSchema.safeParse(input);
  if (!r.success) {
    const lines = r.error.issues.map((i) => {
      const name = String(i.path[0] ?? '(env)');
      return `${name}: ${i.message} (got ${JSON.stringify(input[name])})`;
    });
    throw new SimConfigError(`Invalid sim configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = r.data;
  return {
    port: e.SIM_PORT,
    host: e.SIM_HOST,
    seed: e.SIM_SEED,
    underlyings: e.SIM_UNDERLYINGS,
    instrumentsPerUnderlying: e.SIM_INSTRUMENTS_PER_UNDERLYING,
    stepMs: e.SIM_STEP_MS,
    updatesPerSecond: e.SIM_UPDATES_PER_SECOND,
    speed: e.SIM_SPEED,
    tickerIntervalMs: e.SIM_TICKER_INTERVAL_MS,
    subscribeBurst: e.SIM_SUBSCRIBE_BURST,
    subscribePerSecond: e.SIM_SUBSCRIBE_PER_SECOND,
    minHeartbeatIntervalS: e.SIM_MIN_HEARTBEAT_S,
    maxChannelsPerSubscribe: 500,
  };
}
