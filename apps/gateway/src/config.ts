import { z } from 'zod';
import { CommonEnv, env, parseEnv } from '@volstream/runtime';
import { parseApiKeys, type ApiKeys } from './auth.ts';

/** Environment of the gateway process; every key is the variable's name, so errors name it. */
const GatewayEnv = z.object({
  NATS_URL: CommonEnv.shape.NATS_URL,
  PORT: env.port(8080),
  HOST: z.string().regex(/^[A-Za-z0-9.:\-\[\]]+$/, 'must be a host name or IP address').default('0.0.0.0'),
  /** Protocol ping and app heartbeat interval of the websocket (ms). */
  WS_PING_MS: env.int(15_000, 100, 600_000),
  /** Above this many unsent bytes a client gets conflated updates (latest state wins). */
  WS_CONFLATE_BYTES: env.int(1 << 20, 1_024),
  /** Above this many unsent bytes a client is dropped. */
  WS_DROP_BYTES: env.int(8 << 20, 1_024),
  /** A client that stays above the conflation bound this long is dropped (it is not reading). */
  WS_STALL_MS: env.int(30_000, 100),
  /** Comma-separated API keys, each `key` or `name:key`; unset = no key needed. */
  API_KEYS: z.string().optional(),
  /** Origins allowed to call the API from a browser: `*`, or a comma-separated list; unset = same origin only. */
  CORS_ORIGINS: z.string().regex(/^(\*|https?:\/\/[^\s,]+(\s*,\s*https?:\/\/[^\s,]+)*)$/, 'must be * or a comma-separated list of http(s) origins').optional(),
  /** Sustained requests per second per API key (or per client address without keys); 0 turns the limit off. */
  RATE_LIMIT_RPS: env.number(20, 0, 100_000),
  /** Requests a key may make at once above the sustained rate. */
  RATE_LIMIT_BURST: env.int(40, 1, 1_000_000),
  /** Upper bound of `maxPoints` of a history request. */
  HISTORY_MAX_POINTS: env.int(2_000, 10, 100_000),
  /** How often consumer lag and stream rates are read from JetStream for /health and /metrics (ms). */
  PIPELINE_POLL_MS: env.int(5_000, 250, 600_000),
}).refine((e) => e.WS_DROP_BYTES > e.WS_CONFLATE_BYTES, { path: ['WS_DROP_BYTES'], message: 'must be greater than WS_CONFLATE_BYTES' })
  .refine((e) => e.RATE_LIMIT_RPS === 0 || e.RATE_LIMIT_BURST >= 1, { path: ['RATE_LIMIT_BURST'], message: 'must be at least 1' })
  .superRefine((e, ctx) => {
    if (e.API_KEYS === undefined) return;
    const r = parseApiKeys(e.API_KEYS);
    if (!r.ok) ctx.addIssue({ code: 'custom', path: ['API_KEYS'], message: r.message });
  });

export type WsLimits = {
  pingMs: number;
  conflateBytes: number;
  dropBytes: number;
  stallMs: number;
};

export type RateLimit = {
  /** Sustained requests per second; 0 = no limit. */
  rps: number;
  burst: number;
};

export type GatewayConfig = {
  natsUrl: string;
  port: number;
  host: string;
  ws: WsLimits;
  /** Keys that REST and websocket need; undefined = open. */
  apiKeys: ApiKeys | undefined;
  /** `*`, a list of origins, or undefined for no CORS headers. */
  corsOrigins: '*' | string[] | undefined;
  rateLimit: RateLimit;
  historyMaxPoints: number;
  pipelinePollMs: number;
};

/**
 * Parse the gateway's environment once, at start. Throws `ConfigError` naming the variable.
 *
 * @example parseGatewayConfig({ PORT: '9000' }) // { port: 9000, host: '0.0.0.0', natsUrl: 'nats://127.0.0.1:4222', ws: {…}, … }
 */
export function parseGatewayConfig(vars: Record<string, string | undefined>): GatewayConfig {
  const e = parseEnv(GatewayEnv, vars);
  const keys = e.API_KEYS === undefined ? undefined : parseApiKeys(e.API_KEYS);
  return {
    natsUrl: e.NATS_URL,
    port: e.PORT,
    host: e.HOST,
    ws: { pingMs: e.WS_PING_MS, conflateBytes: e.WS_CONFLATE_BYTES, dropBytes: e.WS_DROP_BYTES, stallMs: e.WS_STALL_MS },
    apiKeys: keys?.ok ? keys.keys : undefined,
    corsOrigins: e.CORS_ORIGINS === undefined ? undefined : e.CORS_ORIGINS === '*' ? '*' : e.CORS_ORIGINS.split(',').map((s) => s.trim()),
    rateLimit: { rps: e.RATE_LIMIT_RPS, burst: e.RATE_LIMIT_BURST },
    historyMaxPoints: e.HISTORY_MAX_POINTS,
    pipelinePollMs: e.PIPELINE_POLL_MS,
  };
}

export const DEFAULT_WS_LIMITS: WsLimits = { pingMs: 15_000, conflateBytes: 1 << 20, dropBytes: 8 << 20, stallMs: 30_000 };
