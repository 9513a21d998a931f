import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { ALL_STREAMS, DEFAULT_LIMITS, streamConfig, type StreamLimits } from '@volstream/events';

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

/** Create or update the pipeline's streams (idempotent; every process may call it at start). */
export async function ensureStreams(jsm: JetStreamManager, overrides: StreamOverrides = {}): Promise<void> {
  for (const stage of ALL_STREAMS) {
    const cfg = streamConfig(stage, { ...DEFAULT_LIMITS[stage], ...overrides[stage] });
    try {
      await jsm.streams.info(cfg.name);
      await jsm.streams.update(cfg.name, cfg as never);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.streams.add(cfg as never);
    }
  }
}

export function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10059 || e?.api_error?.err_code === 10014 || /not found/i.test(e?.message ?? '');
}

export { jetstreamManager };
export type { NatsConnection, JetStreamManager };
