import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { ALL_STREAMS, DEFAULT_LIMITS, streamConfig, type StreamLimits } from '@volstream/events';
import { ConfigError } from './config.ts';

/** Connect with the settings every volstream process uses. */
export async function connectNats(opts: { url: string; name: string; reconnect?: boolean }): Promise<NatsConnection> {
  return connect({
    servers: opts.url,
    name: opts.name,
    // Building stack traces for every async publish costs over half a publisher's CPU (STACK.md).
    noAsyncTraces: true,
    maxReconnectAttempts: opts.reconnect === false ? 0 : -1,
    reconnectTimeWait: 500,
    pingInterval: 10_000,
  });
}

export type StreamOverrides = Partial<Record<(typeof ALL_STREAMS)[number], Partial<StreamLimits>>>;

/**
 * Create the pipeline's streams that are missing (every process may call it at start). Limits
 * given explicitly (`volstream start` / `streams` from the environment, tests) are also applied
 * to existing streams; without them an existing stream keeps the limits its operator set.
 */
export async function ensureStreams(jsm: JetStreamManager, overrides: StreamOverrides = {}): Promise<void> {
  for (const stage of ALL_STREAMS) {
    const cfg = streamConfig(stage, { ...DEFAULT_LIMITS[stage], ...overrides[stage] });
    try {
      await jsm.streams.info(cfg.name);
      if (overrides[stage]) await jsm.streams.update(cfg.name, cfg as never);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.streams.add(cfg as never);
    }
  }
}

const GB = 1e9;
/** Retention settings from the environment: `<STAGE>_MAX_GB` (MD, BOOK, VOL, SURFACE) and
 * `STREAM_MAX_AGE_H` for the market-data, book and vol streams. Only variables that are set
 * become overrides; a bad value names its variable. */
export function streamLimitsFromEnv(env: Record<string, string | undefined>): StreamOverrides {
  const out: StreamOverrides = {};
  const num = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0) throw new ConfigError(`Invalid configuration:\n  ${name}: must be a positive number (got ${JSON.stringify(raw)})`);
    return v;
  };
  for (const stage of ['md', 'book', 'vol', 'surface'] as const) {
    const gb = num(`${stage.toUpperCase()}_MAX_GB`);
    if (gb !== undefined) out[stage] = { ...out[stage], maxBytes: gb * GB };
  }
  const hours = num('STREAM_MAX_AGE_H');
  if (hours !== undefined) for (const stage of ['md', 'book', 'vol'] as const) out[stage] = { ...out[stage], maxAgeMs: hours * 3_600_000 };
  return out;
}

export function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10059 || e?.api_error?.err_code === 10014 || /not found/i.test(e?.message ?? '');
}

export { jetstreamManager };
export type { NatsConnection, JetStreamManager };
