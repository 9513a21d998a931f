import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { z } from 'zod';
import { MAX_RAW, STREAM_NAMES, decode, eventId, filter, type AnyEvent, type Rejected, type ShareFilter, type Stage } from '@volstream/events';
import type { CoreFactory, Core } from './core.ts';
import { Publisher } from './publisher.ts';
import { CheckpointStore } from './checkpoint.ts';
import { ensureStreams, isNotFound } from './nats.ts';
import { createLogger, type Logger } from './log.ts';

export type WorkerOptions<In, Out extends AnyEvent> = {
  /** App name: the durable consumer and checkpoint are `<name>_<share>`. */
  name: string;
  nc: NatsConnection;
  input: { stage: Stage; schema: z.ZodType<In>; share?: ShareFilter };
  output: Stage;
  core: CoreFactory<In, Out>;
  /** Commit (wait for output acks, ack input) at least every this many inputs. */
  batchSize?: number;
  /** Save a checkpoint at most this often (ms of wall time). */
  checkpointEveryMs?: number;
  /** After the input has been idle this long (ms): the core's flush, a commit and a checkpoint. */
  idleFlushMs?: number;
  maxInFlight?: number;
  log?: Logger;
};

export type WorkerStats = {
  inputs: number;
  outputs: number;
  rejected: number;
  commits: number;
  checkpoints: number;
  lastSeq: number;
  resumedFrom: number;
  published: number;
  duplicates: number;
  /** Total wall ms spent inside the core, to see whether the core or the I/O is the limit. */
  coreMs: number;
};

export type WorkerHandle = {
  readonly durable: string;
  readonly stats: WorkerStats;
  /** Stop consuming, commit, save a final checkpoint. */
  stop(): Promise<void>;
  /** Settles when the worker stops; rejects if it failed (the supervisor restarts it). */
  readonly done: Promise<void>;
};

/** Consumer and checkpoint key for a share: `vol_deribit_BTC`, or `vol_all`. */
export function durableName(name: string, share: ShareFilter = {}): string {
  const parts = [share.venue ?? '', share.underlying ?? '', share.expiry ?? ''];
  while (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts.length ? `${name}_${parts.map((p) => p || 'any').join('_')}` : `${name}_all`;
}

/**
 * The thin adapter around a core: consume a share of the input stream with a durable consumer,
 * decode, apply, publish outputs with many acks in flight, and ack the input only after
 * JetStream stored the outputs. The core's state is checkpointed with the input sequence it
 * reflects; after a crash the worker restarts from the checkpoint and re-publishes the same
 * deterministic ids, which JetStream's duplicate window drops, so nothing is lost or doubled.
 */
export async function runWorker<In, Out extends AnyEvent>(opts: WorkerOptions<In, Out>): Promise<WorkerHandle> {
  const log = opts.log ?? createLogger(opts.name);
  const batchSize = opts.batchSize ?? 1_000;
  const checkpointEveryMs = opts.checkpointEveryMs ?? 1_000;
  const idleFlushMs = opts.idleFlushMs ?? 2_000;
  const durable = durableName(opts.name, opts.input.share);
  const stream = STREAM_NAMES[opts.input.stage];
  const js = jetstream(opts.nc);
  const jsm = await jetstreamManager(opts.nc);
  const pub = new Publisher(js, opts.maxInFlight);
  await ensureStreams(jsm);
  const store = await CheckpointStore.open(opts.nc);

  const cp = await store.load(durable);
  const core: Core<In, Out> = opts.core(cp?.state);
  const stats: WorkerStats = { inputs: 0, outputs: 0, rejected: 0, commits: 0, checkpoints: 0, lastSeq: cp?.seq ?? 0, resumedFrom: cp?.seq ?? 0, published: 0, duplicates: 0, coreMs: 0 };

  // The checkpoint, not the consumer's ack floor, says where to resume: the state and the
  // position must match. Recreate the consumer at the checkpoint's next sequence.
  await jsm.consumers.delete(stream, durable).catch((err) => { if (!isNotFound(err)) throw err; });
  await jsm.consumers.add(stream, {
    durable_name: durable,
    filter_subject: filter(opts.input.stage, opts.input.share),
    ack_policy: AckPolicy.All,
    ack_wait: 60_000_000_000,
    max_ack_pending: Math.max(batchSize * 4, 10_000),
    ...(cp ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: cp.seq + 1 } : { deliver_policy: DeliverPolicy.All }),
  });
  const consumer = await js.consumers.get(stream, durable);
  log.info('started', { durable, filter: filter(opts.input.stage, opts.input.share), resumeFrom: cp ? cp.seq + 1 : 'start' });

  let lastMsg: JsMsg | undefined;
  let uncommitted = 0;
  let lastCheckpointAt = Date.now();
  let lastInputAt = Date.now();
  let flushedSinceInput = true;
  let stopping = false;
  let lock: Promise<void> = Promise.resolve();
  const serial = (fn: () => Promise<void>) => (lock = lock.then(fn));

  const emit = async (outs: readonly Out[]) => {
    for (const o of outs) {
      await pub.publish(opts.output, o);
      stats.outputs++;
    }
  };

  const reject = async (msg: JsMsg, reason: string) => {
    stats.rejected++;
    const venue = msg.subject.split('.')[1] ?? 'unknown';
    const raw = Buffer.from(msg.data).toString('base64');
    const ev: Rejected = {
      type: 'rejected', v: 1, id: eventId('rej', opts.input.stage, msg.seq), venue: /^[A-Za-z0-9_\-]+$/.test(venue) ? venue : 'unknown',
      ts: 0, recvTs: 0, stage: opts.name, reason: `${msg.subject}: ${reason}`, raw: raw.slice(0, MAX_RAW), truncated: raw.length > MAX_RAW,
    };
    await pub.publish('md', ev); // routed to `rejected.<stage>.<venue>` by subjectFor
  };

  const commit = async (force = false) => {
    await pub.flush();
    if (lastMsg) {
      lastMsg.ack();
      lastMsg = undefined;
      stats.commits++;
    }
    uncommitted = 0;
    stats.published = pub.stats.published;
    stats.duplicates = pub.stats.duplicates;
    if (force || Date.now() - lastCheckpointAt >= checkpointEveryMs) {
      await store.save(durable, { seq: stats.lastSeq, state: core.snapshot() });
      stats.checkpoints++;
      lastCheckpointAt = Date.now();
    }
  };

  const handle = async (msg: JsMsg, pending: number) => {
    lastInputAt = Date.now();
    flushedSinceInput = false;
    lastMsg = msg;
    if (msg.seq <= stats.lastSeq) return; // a redelivery of something already applied
    stats.lastSeq = msg.seq;
    stats.inputs++;
    uncommitted++;
    const r = decode(msg.data, opts.input.schema);
    if (!r.ok) {
      await reject(msg, r.error.message);
    } else {
      const t0 = performance.now();
      const outs = core.apply(r.event);
      stats.coreMs += performance.now() - t0;
      await emit(outs);
    }
    // getPending() can dip below zero (it subtracts the iterator's internal status entries).
    if (pending <= 0 || uncommitted >= batchSize) await commit();
  };

  // When the input goes quiet: emit what the core holds back, commit and checkpoint.
  const idleTimer = setInterval(() => {
    if (flushedSinceInput || stopping || Date.now() - lastInputAt < idleFlushMs) return;
    flushedSinceInput = true;
    void serial(async () => {
      if (core.flush) await emit(core.flush());
      await commit(true);
    }).catch((err) => log.error('idle flush failed', { err: String(err) }));
  }, Math.min(500, idleFlushMs));

  const messages = await consumer.consume({ max_messages: Math.min(batchSize * 2, 5_000) });
  const done = (async () => {
    try {
      for await (const msg of messages) {
        await serial(() => handle(msg, messages.getPending()));
        if (stopping) break;
      }
      await serial(() => commit(true));
    } finally {
      clearInterval(idleTimer);
    }
  })();

  return {
    durable,
    stats,
    done,
    async stop() {
      stopping = true;
      messages.stop();
      await done.catch(() => undefined);
      log.info('stopped', { ...stats });
    },
  };
}
