import { z } from 'zod';
import { CommonEnv, env, parseEnv } from '@volstream/runtime';

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
}).refine((e) => e.WS_DROP_BYTES > e.WS_CONFLATE_BYTES, { path: ['WS_DROP_BYTES'], message: 'must be greater than WS_CONFLATE_BYTES' });

export type WsLimits = {
  pingMs: number;
  conflateBytes: number;
  dropBytes: number;
  stallMs: number;
};

export type GatewayConfig = {
  natsUrl: string;
  port: number;
  host: string;
  ws: WsLimits;
};

/**
 * Parse the gateway's environment once, at start. Throws `ConfigError` naming the variable.
 *
 * @example parseGatewayConfig({ PORT: '9000' }) // { port: 9000, host: '0.0.0.0', natsUrl: 'nats://127.0.0.1:4222', ws: {…} }
 */
export function parseGatewayConfig(vars: Record<string, string | undefined>): GatewayConfig {
  const e = parseEnv(GatewayEnv, vars);
  return {
    natsUrl: e.NATS_URL,
    port: e.PORT,
    host: e.HOST,
    ws: { pingMs: e.WS_PING_MS, conflateBytes: e.WS_CONFLATE_BYTES, dropBytes: e.WS_DROP_BYTES, stallMs: e.WS_STALL_MS },
  };
}

export const DEFAULT_WS_LIMITS: WsLimits = { pingMs: 15_000, conflateBytes: 1 << 20, dropBytes: 8 << 20, stallMs: 30_000 };
