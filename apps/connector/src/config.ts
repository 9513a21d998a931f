import { z } from 'zod';
import { ConfigError, env, parseEnv } from '@volstream/runtime';
import type { DeribitConfig } from './exchanges/deribit/client.ts';
import { VENUE_NAMES } from './exchanges/registry.ts';

/** Environment of the connector; keys are the variable names so every error names one. */
export const ConnectorEnv = z.object({
  NATS_URL: env.url('nats://127.0.0.1:4222', ['nats', 'tls']),
  /** Venues to connect, comma-separated. */
  VENUES: env.list(['deribit']).refine((vs) => vs.every((v) => (VENUE_NAMES as readonly string[]).includes(v)), `must list only known venues: ${VENUE_NAMES.join(', ')}`),
  /** Default: the simulated venue (apps/sim). Production: wss://www.deribit.com/ws/api/v2. */
  DERIBIT_WS_URL: env.url('ws://127.0.0.1:8090/ws/api/v2', ['ws', 'wss']),
  DERIBIT_CURRENCIES: env.list(['BTC', 'ETH'], /^[A-Z][A-Z0-9]{0,15}$/),
  /** Deribit refuses intervals under 10 s (docs public-set_heartbeat). */
  DERIBIT_HEARTBEAT_S: env.int(10, 10, 3_600),
  DERIBIT_SUBSCRIBE_PER_S: env.number(3, 0.1, 3.3),
  DERIBIT_RECONNECT_MIN_MS: env.int(500, 10, 60_000),
  DERIBIT_RECONNECT_MAX_MS: env.int(30_000, 100, 600_000),
  DERIBIT_REQUEST_TIMEOUT_MS: env.int(10_000, 100, 120_000),
  DERIBIT_INSTRUMENTS_REFRESH_MS: env.int(3_600_000, 0, 86_400_000),
  /** A ticker or index channel silent this long is reported with a `feed_stale` status. */
  STALE_AFTER_MS: env.int(30_000, 100, 3_600_000),
});
export type ConnectorEnv = z.infer<typeof ConnectorEnv>;

export type ConnectorConfig = {
  natsUrl: string;
  venues: string[];
  deribit: DeribitConfig;
};

/** Parse the connector's environment once; throws ConfigError naming each bad variable. */
export function parseConnectorConfig(source: Record<string, string | undefined>): ConnectorConfig {
  const e = parseEnv(ConnectorEnv, source);
  if (e.DERIBIT_RECONNECT_MAX_MS < e.DERIBIT_RECONNECT_MIN_MS) {
    throw new ConfigError(`Invalid configuration:\n  DERIBIT_RECONNECT_MAX_MS: must be >= DERIBIT_RECONNECT_MIN_MS (${e.DERIBIT_RECONNECT_MIN_MS}) (got ${JSON.stringify(source.DERIBIT_RECONNECT_MAX_MS)})`);
  }
  return {
    natsUrl: e.NATS_URL,
    venues: e.VENUES,
    deribit: {
      url: e.DERIBIT_WS_URL,
      currencies: e.DERIBIT_CURRENCIES,
      heartbeatS: e.DERIBIT_HEARTBEAT_S,
      staleAfterMs: e.STALE_AFTER_MS,
      subscribePerS: e.DERIBIT_SUBSCRIBE_PER_S,
      reconnectMinMs: e.DERIBIT_RECONNECT_MIN_MS,
      reconnectMaxMs: e.DERIBIT_RECONNECT_MAX_MS,
      requestTimeoutMs: e.DERIBIT_REQUEST_TIMEOUT_MS,
      instrumentsRefreshMs: e.DERIBIT_INSTRUMENTS_REFRESH_MS,
    },
  };
}
