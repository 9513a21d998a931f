import { join } from 'node:path';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { STREAM_NAMES, SurfaceEvent, VolEvent, decode, filter, parseShare, type ShareFilter } from '@volstream/events';
import { connectNats, createLogger, ensureStreams, isNotFound, type Logger, type NatsConnection } from '@volstream/runtime';
import { openDuck, type Row } from '@volstream/replay/archive';
import { ARCHIVE_TABLES, partName, partitionDir, surfaceEventRows, volEventRows, type ArchiveRow, type Partition } from './rows.ts';
import { clearTmp, partRanges, writePart } from './parquet-part.ts';
import type { RecorderConfig } from './config.ts';

export type RecorderStats = { messages: number; rows: number; skipped: number; undecodable: number; parts: number; flushes: number; acked: Record<string, number> };

export type RecorderHandle = {
  readonly stats: RecorderStats;
  /** Write what is buffered now (tests; the timer does it every RECORDER_FLUSH_MS). */
  flush(): Promise<void>;
  /** Stop consuming, write what is buffered, ack it, close. */
  stop(): Promise<void>;
  /** Stop at once without writing or acking the buffer, as a crash would (tests). */
  kill(): Promise<void>;
  readonly done: Promise<void>;
};

export type RecorderDeps = {
  nc?: NatsConnection;
  log?: Logger;
  /** Called after the parts of a flush are renamed and before the ack (tests inject crashes here). */
  beforeAck?: (stream: string) => Promise<void> | void;
};

type Source = { stage: 'surface' | 'vol'; map: (data: Uint8Array, seq: number) => ArchiveRow[] | undefined };

const SOURCES: Source[] = [
  { stage: 'surface', map: (d, seq) => { const r = decode(d, SurfaceEvent); return r.ok ? surfaceEventRows(r.event, seq) : undefined; } },
  { stage: 'vol', map: (d, seq) => { const r = decode(d, VolEvent); return r.ok ? volEventRows(r.event, seq) : undefined; } },
];

type Buffer = { partition: Partition; rows: Row[]; firstSeq: number; lastSeq: number };

/**
 * The archive recorder: durable consumers on the SURFACE and VOL streams, rows buffered per
 * partition and written as parquet parts every RECORDER_FLUSH_MS (and on stop). A message is
 * acked only after every part holding its rows is renamed into place, so a crash loses nothing;
 * on restart the consumer resumes at its ack floor and a row whose sequence an existing part of
 * its partition already covers is skipped, so nothing is written twice either.
 */
export async function startRecorder(config: RecorderConfig, deps: RecorderDeps = {}): Promise<RecorderHandle> {
  const log = deps.log ?? createLogger('recorder');
  const root = config.ARCHIVE_DIR;
  const share: ShareFilter = parseShare(config.SHARE);
  const nc = deps.nc ?? (await connectNats({ url: config.NATS_URL, name: 'recorder' }));
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm);
  await clearTmp(root);
  const db = await openDuck();
  const stats: RecorderStats = { messages: 0, rows: 0, skipped: 0, undecodable: 0, parts: 0, flushes: 0, acked: {} };

  // Parts already on disk per partition folder, loaded when the partition is first touched.
  const known = new Map<string, { firstSeq: number; lastSeq: number }[]>();
  const rangesOf = async (dir: string) => {
    let r = known.get(dir);
    if (!r) known.set(dir, (r = await partRanges(join(root, dir))));
    return r;
  };

  // One DuckDB connection writes every part; writes from the two streams take turns.
  let writeLock: Promise<void> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = writeLock.then(fn);
    writeLock = p.then(() => undefined, () => undefined);
    return p;
  };

  const sinks = await Promise.all(SOURCES.map(async (src) => {
    const stream = STREAM_NAMES[src.stage];
    const durable = `recorder_${src.stage}${share.venue || share.underlying ? `_${share.venue ?? 'any'}_${share.underlying ?? 'any'}` : ''}`;
    // Resume at the ack floor at once: a consumer recreated there redelivers what the previous
    // process consumed but never acked now, instead of after ack_wait.
    let floor = 0;
    try {
      floor = (await jsm.consumers.info(stream, durable)).ack_floor.stream_seq;
      await jsm.consumers.delete(stream, durable);
    } catch (err) { if (!isNotFound(err)) throw err; }
    await jsm.consumers.add(stream, {
      durable_name: durable,
      filter_subject: filter(src.stage, share),
      ack_policy: AckPolicy.All,
      ack_wait: (config.RECORDER_FLUSH_MS * 2 + 60_000) * 1_000_000,
      max_ack_pending: config.RECORDER_MAX_BUFFER * 2,
      ...(floor > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: floor + 1 } : { deliver_policy: DeliverPolicy.All }),
    });
    const consumer = await jetstream(nc).consumers.get(stream, durable);
    stats.acked[stream] = floor;
    return { src, stream, durable, consumer, buffers: new Map<string, Buffer>(), lastMsg: undefined as JsMsg | undefined, lastSeq: floor, buffered: 0, lock: Promise.resolve() as Promise<void> };
  }));
  type Sink = (typeof sinks)[number];

  const serial = (s: Sink, fn: () => Promise<void>): Promise<void> => {
    const p = s.lock.then(fn);
    s.lock = p.catch(() => undefined);
    return p;
  };

  const flushSink = async (s: Sink) => {
    if (!s.lastMsg) return;
    for (const [dir, b] of [...s.buffers]) {
      const name = partName(b.firstSeq, b.lastSeq);
      await exclusive(() => writePart(db.conn, root, ARCHIVE_TABLES[b.partition.table], b.rows, join(root, dir, name)));
      // On disk now: never written again, even if the ack below fails and the flush is retried.
      (await rangesOf(dir)).push({ firstSeq: b.firstSeq, lastSeq: b.lastSeq });
      s.buffers.delete(dir);
      stats.parts++;
    }
    await deps.beforeAck?.(s.stream);
    // AckAll: this one ack covers every message up to it, all of which are now on disk.
    const last = s.lastMsg;
    await last.ackAck();
    stats.acked[s.stream] = last.seq;
    if (s.lastMsg === last) {
      s.lastMsg = undefined;
      s.buffered = 0;
    }
    stats.flushes++;
  };

  const handle = async (s: Sink, m: JsMsg) => {
    if (m.seq <= s.lastSeq) return; // redelivered while still buffered
    s.lastSeq = m.seq;
    s.lastMsg = m;
    s.buffered++;
    stats.messages++;
    const rows = s.src.map(m.data, m.seq);
    if (!rows) stats.undecodable++;
    for (const { partition, row } of rows ?? []) {
      const dir = partitionDir(partition);
      if ((await rangesOf(dir)).some((r) => r.firstSeq <= m.seq && m.seq <= r.lastSeq)) { stats.skipped++; continue; }
      let b = s.buffers.get(dir);
      if (!b) s.buffers.set(dir, (b = { partition, rows: [], firstSeq: m.seq, lastSeq: m.seq }));
      b.rows.push(row);
      b.lastSeq = m.seq;
      stats.rows++;
    }
    if (s.buffered >= config.RECORDER_MAX_BUFFER) await flushSink(s);
  };

  let stopping = false;
  const iterators = await Promise.all(sinks.map((s) => s.consumer.consume({ max_messages: 5_000 })));
  const loops = sinks.map(async (s, i) => {
    for await (const m of iterators[i]!) {
      await serial(s, () => handle(s, m));
      if (stopping) break;
    }
  });
  const flushAll = async () => { await Promise.all(sinks.map((s) => serial(s, () => flushSink(s)))); };
  // A failed write or ack ends the process (the supervisor restarts it and nothing was acked).
  let fail: (err: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => { fail = reject; });
  failed.catch(() => undefined);
  const timer = setInterval(() => {
    flushAll().catch((err) => { log.error('flush failed', { err: String(err) }); fail(err); });
  }, config.RECORDER_FLUSH_MS);
  const done = Promise.race([Promise.all(loops).then(() => undefined), failed]).finally(() => clearInterval(timer));
  log.info('started', { archive: root, flushMs: config.RECORDER_FLUSH_MS, consumers: sinks.map((s) => `${s.stream}/${s.durable}@${stats.acked[s.stream]! + 1}`).join(' ') });

  let stopped: Promise<void> | undefined;
  const halt = (write: boolean) => {
    stopped ??= (async () => {
      stopping = true;
      clearInterval(timer);
      for (const it of iterators) it.stop();
      await Promise.all(loops).catch(() => undefined);
      try {
        if (write) await flushAll();
      } finally {
        db.close();
        if (!deps.nc) await nc.close();
        log.info(write ? 'stopped' : 'killed', { ...stats });
      }
    })();
    return stopped;
  };
  return { stats, flush: flushAll, done, stop: () => halt(true), kill: () => halt(false) };
}
