import { z } from 'zod';
import { ConfigError, env, parseEnv } from '@volstream/runtime';
import type { DeribitConfig } from './exchanges/deribit/client.ts';
import type { OkxConfig } from './exchanges/okx/session.ts';
import type { BybitConfig } from './exchanges/bybit/session.ts';
import type { BinanceConfig } from './exchanges/binance/session.ts';
import { VENUE_NAMES, type VenueName } from './exchanges/names.ts';

const optionalUrl = (protocols: string[]) => z.string().optional().refine((s) => {
  if (s === undefined) return true;
  try { return protocols.includes(new URL(s).protocol.replace(':', '')); } catch { return false; }
}, `must be a URL with scheme ${protocols.join(' or ')}`);

/** Environment of the connector; keys are the variable names so every error names one. */
export const ConnectorEnv = z.object({
  NATS_URL: env.url('nats://127.0.0.1:4222', ['nats', 'tls']),
  /** Venues to connect, comma-separated; all run in this one process. */
  VENUES: env.list(['deribit']).refine((vs) => vs.every((v) => (VENUE_NAMES as readonly string[]).includes(v)), `must list only known venues: ${VENUE_NAMES.join(', ')}`),
  /** A ticker, index or summary channel silent this long is reported with a `feed_stale` status. */
  STALE_AFTER_MS: env.int(30_000, 100, 3_600_000),

  /** Default: the simulated venue (apps/sim). Production: wss://www.deribit.com/ws/api/v2. */
  DERIBIT_WS_URL: env.url('ws://127.0.0.1:8090/ws/api/v2', ['ws', 'wss']),
  /** BTC, ETH (inverse, coin-quoted) and USDC (linear options of many bases). */
  DERIBIT_CURRENCIES: env.list(['BTC', 'ETH'], /^[A-Z][A-Z0-9]{0,15}$/),
  /** Bases of the USDC-settled linear instruments to keep when USDC is listed; `*` = all. */
  DERIBIT_LINEAR_BASES: env.list(['BTC', 'ETH'], /^(\*|[A-Z][A-Z0-9]{0,15})$/),
  /** Deribit refuses intervals under 10 s (docs public-set_heartbeat). */
  DERIBIT_HEARTBEAT_S: env.int(10, 10, 3_600),
  DERIBIT_SUBSCRIBE_PER_S: env.number(3, 0.1, 3.3),
  DERIBIT_RECONNECT_MIN_MS: env.int(500, 10, 60_000),
  DERIBIT_RECONNECT_MAX_MS: env.int(30_000, 100, 600_000),
  DERIBIT_REQUEST_TIMEOUT_MS: env.int(10_000, 100, 120_000),
  DERIBIT_INSTRUMENTS_REFRESH_MS: env.int(3_600_000, 0, 86_400_000),
  /** No frame this long: reconnect. Default two heartbeat intervals + 5 s (tickers usually arrive far more often). */
  DERIBIT_SILENCE_MS: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(300, 'must be >= 300').max(3_600_000, 'must be <= 3600000').optional(),

  OKX_WS_URL: env.url('wss://ws.okx.com:8443/ws/v5/public', ['ws', 'wss']),
  /** Optional: also poll the REST instrument list (the websocket `instruments` channel is the main source). */
  OKX_REST_URL: optionalUrl(['http', 'https']),
  OKX_INST_FAMILIES: env.list(['BTC-USD', 'ETH-USD'], /^[A-Z0-9]+-[A-Z0-9_]+$/),
  /** OKX drops a connection after 30 s without data: ping well before. */
  OKX_PING_MS: env.int(20_000, 100, 29_000),
  /** OKX recommends fewer than 30 depth channels per connection. */
  OKX_BOOKS_PER_CONNECTION: env.int(30, 1, 1_000),

  BYBIT_WS_URL: env.url('wss://stream.bybit.com/v5/public/option', ['ws', 'wss']),
  BYBIT_REST_URL: env.url('https://api.bybit.com', ['http', 'https']),
  BYBIT_BASE_COINS: env.list(['BTC', 'ETH'], /^[A-Z][A-Z0-9]{0,15}$/),
  BYBIT_BOOK_DEPTH: z.enum(['25', '100']).default('25').transform((s) => (s === '25' ? 25 : 100) as 25 | 100),
  BYBIT_PING_MS: env.int(20_000, 100, 300_000),

  BINANCE_WS_URL: env.url('wss://fstream.binance.com/public/stream', ['ws', 'wss']),
  BINANCE_MARKET_WS_URL: env.url('wss://fstream.binance.com/market/stream', ['ws', 'wss']),
  BINANCE_REST_URL: env.url('https://eapi.binance.com', ['http', 'https']),
  /** Stream names and payloads: 2025 (fstream, lowercase) or 2023 (nbstream eoptions). */
  BINANCE_STREAM_FORMAT: z.enum(['2023', '2025']).default('2025'),
  BINANCE_UNDERLYINGS: env.list(['BTCUSDT', 'ETHUSDT'], /^[A-Z0-9]+(USDT|USDC|USD)$/),
  /** No frame (data, ping or answer) this long on a Binance connection: reconnect. */
  BINANCE_SILENCE_MS: env.int(60_000, 300, 3_600_000),

  /** OKX, Bybit and Binance connections (Deribit has its own DERIBIT_* variables). */
  RECONNECT_MIN_MS: env.int(500, 10, 60_000),
  RECONNECT_MAX_MS: env.int(30_000, 100, 600_000),
  REQUEST_TIMEOUT_MS: env.int(10_000, 100, 120_000),
  /** Re-read REST instrument lists this often (new listings, expiries); 0 = only at start. */
  INSTRUMENTS_REFRESH_MS: env.int(300_000, 0, 86_400_000),

  /** Keep every raw frame in rotating gzip JSON-lines files here; unset = off. */
  RECORD_DIR: z.string().min(1).optional(),
  /** Start a new recording file after this many compressed MB. */
  RECORD_ROTATE_MB: env.number(256, 0.001, 100_000),
});
export type ConnectorEnv = z.infer<typeof ConnectorEnv>;

export type RecordConfig = { dir: string; rotateBytes: number };

export type ConnectorConfig = {
  natsUrl: string;
  venues: VenueName[];
  deribit: DeribitConfig;
  okx: OkxConfig;
  bybit: BybitConfig;
  binance: BinanceConfig;
  record: RecordConfig | undefined;
};

/** Parse the connector's environment once; throws ConfigError naming each bad variable. */
export function parseConnectorConfig(source: Record<string, string | undefined>): ConnectorConfig {
  const e = parseEnv(ConnectorEnv, source);
  for (const [min, max] of [['DERIBIT_RECONNECT_MIN_MS', 'DERIBIT_RECONNECT_MAX_MS'], ['RECONNECT_MIN_MS', 'RECONNECT_MAX_MS']] as const) {
    if (e[max] < e[min]) throw new ConfigError(`Invalid configuration:\n  ${max}: must be >= ${min} (${e[min]}) (got ${JSON.stringify(source[max])})`);
  }
  const shared = { staleAfterMs: e.STALE_AFTER_MS, reconnectMinMs: e.RECONNECT_MIN_MS, reconnectMaxMs: e.RECONNECT_MAX_MS, requestTimeoutMs: e.REQUEST_TIMEOUT_MS, instrumentsRefreshMs: e.INSTRUMENTS_REFRESH_MS };
  return {
    natsUrl: e.NATS_URL,
    venues: e.VENUES as VenueName[],
    deribit: {
      url: e.DERIBIT_WS_URL,
      currencies: e.DERIBIT_CURRENCIES,
      linearBases: e.DERIBIT_LINEAR_BASES,
      heartbeatS: e.DERIBIT_HEARTBEAT_S,
      staleAfterMs: e.STALE_AFTER_MS,
      subscribePerS: e.DERIBIT_SUBSCRIBE_PER_S,
      reconnectMinMs: e.DERIBIT_RECONNECT_MIN_MS,
      reconnectMaxMs: e.DERIBIT_RECONNECT_MAX_MS,
      requestTimeoutMs: e.DERIBIT_REQUEST_TIMEOUT_MS,
      instrumentsRefreshMs: e.DERIBIT_INSTRUMENTS_REFRESH_MS,
      ...(e.DERIBIT_SILENCE_MS !== undefined ? { silenceMs: e.DERIBIT_SILENCE_MS } : {}),
    },
    okx: { url: e.OKX_WS_URL, restUrl: e.OKX_REST_URL, families: e.OKX_INST_FAMILIES, pingMs: e.OKX_PING_MS, booksPerConnection: e.OKX_BOOKS_PER_CONNECTION, ...shared },
    bybit: { url: e.BYBIT_WS_URL, restUrl: e.BYBIT_REST_URL, baseCoins: e.BYBIT_BASE_COINS, bookDepth: e.BYBIT_BOOK_DEPTH, pingMs: e.BYBIT_PING_MS, ...shared },
    binance: {
      url: e.BINANCE_WS_URL, marketUrl: e.BINANCE_MARKET_WS_URL, restUrl: e.BINANCE_REST_URL, format: e.BINANCE_STREAM_FORMAT,
      underlyings: e.BINANCE_UNDERLYINGS, silenceMs: e.BINANCE_SILENCE_MS, ...shared,
    },
    record: e.RECORD_DIR === undefined ? undefined : { dir: e.RECORD_DIR, rotateBytes: Math.round(e.RECORD_ROTATE_MB * 1024 * 1024) },
  };
}
