import { jetstream } from '@nats-io/jetstream';
import { Publisher, connectNats, createLogger, ensureStreams, jetstreamManager, type Logger, type PublisherStats } from '@volstream/runtime';
import type { ConnectorConfig } from './config.ts';
import { VENUES, type VenueName } from './exchanges/registry.ts';
import { PublishSink, type PublishSinkStats } from './sink.ts';
import type { VenueSession, VenueStats } from './venue.ts';

export type ConnectorStats = {
  venues: Record<string, VenueStats>;
  publisher: PublisherStats;
  sink: PublishSinkStats;
};

export type ConnectorHandle = {
  readonly stats: ConnectorStats;
  /** Close the venue sockets, publish what is queued, close NATS. */
  stop(): Promise<void>;
  /** Settles when stopped; rejects when the NATS connection is lost for good. */
  readonly done: Promise<void>;
};

/**
 * Start the connector: one session per configured venue, every event published in order on the
 * MD stream with its deterministic id as Nats-Msg-Id. Venue sessions reconnect on their own; a
 * failed publish (events possibly lost) restarts the sessions so every book starts again from a
 * snapshot.
 */
export async function startConnector(config: ConnectorConfig, opts: { log?: Logger; now?: () => number; random?: () => number } = {}): Promise<ConnectorHandle> {
  const log = opts.log ?? createLogger('connector');
  const nc = await connectNats({ url: config.natsUrl, name: 'volstream-connector' });
  await ensureStreams(await jetstreamManager(nc));
  const publisher = new Publisher(jetstream(nc));
  const sessions: VenueSession[] = [];
  const sink = new PublishSink({
    publisher,
    onFailure: (err) => {
      log.error('publish failed; restarting venue sessions to resynchronise', { err: err.message });
      for (const s of sessions) s.restart('publish failed');
    },
    onUnroutable: (ev, err) => log.error('event could not be routed', { type: ev.type, id: ev.id, err: err.message }),
    onPause: (paused) => {
      log.warn(paused ? 'publish queue full, pausing venue sockets' : 'publish queue drained, resuming');
      for (const s of sessions) s.pause?.(paused);
    },
  });
  for (const venue of config.venues) {
    const start = VENUES[venue as VenueName];
    sessions.push(start(config, { sink, log: opts.log ?? createLogger(`connector:${venue}`), now: opts.now, random: opts.random }));
  }
  log.info('started', { venues: config.venues.join(','), nats: config.natsUrl });

  const stats: ConnectorStats = {
    get venues() { return Object.fromEntries(sessions.map((s) => [s.venue, s.stats])); },
    publisher: publisher.stats,
    sink: sink.stats,
  };

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    await Promise.all(sessions.map((s) => s.stop()));
    await sink.drain();
    await nc.drain().catch(() => undefined);
    log.info('stopped', { published: publisher.stats.published, duplicates: publisher.stats.duplicates, failed: publisher.stats.failed });
  })());

  const done = (async () => {
    const closed = await nc.closed();
    if (!stopping) {
      await Promise.all(sessions.map((s) => s.stop()));
      throw closed ?? new Error('NATS connection closed');
    }
    await stopping;
  })();
  return { stats, stop, done };
}
