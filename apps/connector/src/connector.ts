import { jetstream } from '@nats-io/jetstream';
import { Publisher, connectNats, createLogger, ensureStreams, jetstreamManager, type Logger, type PublisherStats } from '@volstream/runtime';
import type { ConnectorConfig } from './config.ts';
import { VENUES } from './exchanges/registry.ts';
import { FrameRecorder } from './recording/recorder.ts';
import { PublishSink, type PublishSinkStats } from './sink.ts';
import type { VenueSession, VenueStats } from './venue.ts';

export type ConnectorStats = {
  venues: Record<string, VenueStats>;
  publisher: PublisherStats;
  sink: PublishSinkStats;
  /** Raw-frame recording (RECORD_DIR), when on. */
  recording?: FrameRecorder['stats'];
};

export type ConnectorHandle = {
  readonly stats: ConnectorStats;
  /** Close the venue sockets, publish what is queued, close NATS. */
  stop(): Promise<void>;
  /** Settles when stopped; rejects when the NATS connection is lost for good. */
  readonly done: Promise<void>;
};

/**
 * Start the connector: one session per configured venue, all in this process, every event
 * published in order on the MD stream with its deterministic id as Nats-Msg-Id. One process
 * for several venues keeps one NATS connection and one ordered publish pump (the per-instrument
 * order the book stage checks), while each venue's sessions reconnect and fail on their own;
 * running one process per venue is the same code with VENUES=<one venue>. A failed publish
 * (events possibly lost) restarts the sessions so every book starts again from a snapshot.
 * With RECORD_DIR set, every raw frame is also recorded (recording/recorder.ts).
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
  const recorder = config.record ? new FrameRecorder({ ...config.record, prefix: `volstream-${config.venues.join('-')}`, log }) : undefined;
  const record = recorder ? recorder.record.bind(recorder) : undefined;
  for (const venue of config.venues) {
    const start = VENUES[venue];
    sessions.push(start(config, { sink, log: opts.log ?? createLogger(`connector:${venue}`), now: opts.now, random: opts.random, record }));
  }
  log.info('started', { venues: config.venues.join(','), nats: config.natsUrl });

  const stats: ConnectorStats = {
    get venues() { return Object.fromEntries(sessions.map((s) => [s.venue, s.stats])); },
    publisher: publisher.stats,
    sink: sink.stats,
    ...(recorder ? { recording: recorder.stats } : {}),
  };

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    await Promise.all(sessions.map((s) => s.stop()));
    await recorder?.close();
    await sink.drain();
    await nc.drain().catch(() => undefined);
    log.info('stopped', { published: publisher.stats.published, duplicates: publisher.stats.duplicates, failed: publisher.stats.failed });
  })());

  const done = (async () => {
    const closed = await nc.closed();
    if (!stopping) {
      await Promise.all(sessions.map((s) => s.stop()));
      await recorder?.close();
      throw closed ?? new Error('NATS connection closed');
    }
    await stopping;
  })();
  return { stats, stop, done };
}
