import type { NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import type { z } from 'zod';
import { STREAM_NAMES, SurfaceEvent, VolEvent, decode, filter } from '@volstream/events';
import type { Logger } from '@volstream/runtime';
import type { StoreChange, StoreEvent, SurfaceStore } from './store.ts';

export type FeedStats = {
  surfaceMessages: number;
  volMessages: number;
  /** Messages that failed to decode (counted and skipped). */
  decodeErrors: number;
  /** 1 once the stream's latest-per-subject backlog has been applied. */
  surfaceCaughtUp: number;
  volCaughtUp: number;
  /** Times a consumer had to be (re)created after an error. */
  restarts: number;
  /** Messages of each stream not read yet (from the last delivery), i.e. the gateway's own lag. */
  surfacePending: number;
  volPending: number;
};

export type Feed = {
  readonly stats: FeedStats;
  stop(): Promise<void>;
  /** Settles when both consumers have stopped. */
  readonly done: Promise<void>;
};

export type FeedOptions = {
  nc: NatsConnection;
  store: SurfaceStore;
  /** Called after each applied event, in stream order. */
  onChange: (change: StoreChange) => void;
  log: Logger;
  /** Wait between attempts while a stream does not exist yet or a consumer failed (ms). */
  retryMs?: number;
};

type Source = {
  stage: 'surface' | 'vol';
  schema: z.ZodType<StoreEvent>;
  count: 'surfaceMessages' | 'volMessages';
  caughtUp: 'surfaceCaughtUp' | 'volCaughtUp';
  pending: 'surfacePending' | 'volPending';
};

const SOURCES: readonly Source[] = [
  { stage: 'surface', schema: SurfaceEvent, count: 'surfaceMessages', caughtUp: 'surfaceCaughtUp', pending: 'surfacePending' },
  { stage: 'vol', schema: VolEvent, count: 'volMessages', caughtUp: 'volCaughtUp', pending: 'volPending' },
];

/**
 * Thin NATS adapter of the gateway: an ordered (ephemeral, unacked) consumer per stream that
 * starts with the last message of every subject, so a (re)started gateway holds the latest
 * surface of every (venue, underlying) and the latest vol point of every option at once, then
 * follows live. Decode -> store.apply -> onChange, nothing else. No durable state: any number
 * of replicas can run.
 */
export async function startFeed(opts: FeedOptions): Promise<Feed> {
  const { nc, store, onChange, log } = opts;
  const retryMs = opts.retryMs ?? 1_000;
  const js = jetstream(nc);
  const stats: FeedStats = { surfaceMessages: 0, volMessages: 0, decodeErrors: 0, surfaceCaughtUp: 0, volCaughtUp: 0, restarts: 0, surfacePending: 0, volPending: 0 };
  let stopping = false;
  const running = new Set<ConsumerMessages>();
  const sleepers = new Set<() => void>();
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const wake = () => { clearTimeout(t); sleepers.delete(wake); resolve(); };
    const t = setTimeout(wake, ms);
    sleepers.add(wake);
  });

  // A failing subscriber must not stop the consumer (which would restart it and re-apply).
  const notify = (change: StoreChange) => {
    try {
      onChange(change);
    } catch (err) {
      log.error('change subscriber failed', { err: (err as Error).stack ?? String(err) });
    }
  };

  const follow = async (src: Source): Promise<void> => {
    const stream = STREAM_NAMES[src.stage];
    let failures = 0;
    while (!stopping && !nc.isClosed()) {
      try {
        const consumer = await js.consumers.get(stream, { filter_subjects: filter(src.stage), deliver_policy: DeliverPolicy.LastPerSubject });
        const backlog = (await consumer.info(true)).num_pending;
        stats[src.pending] = backlog;
        if (backlog === 0) stats[src.caughtUp] = 1;
        log.info('following stream', { stream, backlog });
        failures = 0;
        const messages = await consumer.consume({ max_messages: 1_000 });
        running.add(messages);
        try {
          for await (const m of messages) {
            stats[src.count]++;
            const r = decode(m.data, src.schema);
            if (r.ok) notify(store.apply(r.event));
            else {
              stats.decodeErrors++;
              if (stats.decodeErrors <= 10 || stats.decodeErrors % 1_000 === 0) log.warn('skipping undecodable message', { subject: m.subject, seq: m.seq, err: r.error.message, count: stats.decodeErrors });
            }
            stats[src.pending] = m.info.pending;
            if (m.info.pending === 0) stats[src.caughtUp] = 1;
          }
        } finally {
          running.delete(messages);
        }
        if (stopping) return;
        // The iterator ended without a stop: the consumer is gone (e.g. the stream was deleted).
        throw new Error('consumer ended');
      } catch (err) {
        if (stopping || nc.isClosed()) return;
        stats.restarts++;
        // Normal while the pipeline has not created its streams yet: say so once a minute.
        if (failures++ % Math.max(1, Math.round(60_000 / retryMs)) === 0) log.warn('stream consumer failed; retrying', { stream, err: (err as Error).message, everyMs: retryMs });
        await sleep(retryMs);
      }
    }
  };

  const done = Promise.all(SOURCES.map(follow)).then(() => undefined);
  return {
    stats,
    done,
    async stop() {
      stopping = true;
      for (const wake of [...sleepers]) wake();
      for (const m of running) m.stop();
      await done;
    },
  };
}
