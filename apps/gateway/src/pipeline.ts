import type { JetStreamManager } from '@nats-io/jetstream';
import { STREAM_NAMES } from '@volstream/events';
import type { Logger } from '@volstream/runtime';

// Consumer lag and stream rates of the pipeline, for /health, /metrics and the dashboard's
// diagnostics: JetStream is asked every few seconds (not per request), and rates are
// differences of each stream's last sequence between two polls.

export type ConsumerLag = { stream: string; consumer: string; pending: number; ackPending: number; redelivered: number };
export type StreamState = { stream: string; messages: number; bytes: number; lastSeq: number };
export type StreamRate = StreamState & { ratePerSec: number | null };

export type PipelineSnapshot = { ts: number; consumers: ConsumerLag[]; streams: StreamRate[] };

/**
 * Messages per second of each stream between two polls, from `last_seq` (messages stored, which
 * unlike `messages` does not fall when old ones expire). Null on the first poll or a reset stream.
 */
export function streamRates(prev: { ts: number; streams: readonly StreamState[] } | undefined, ts: number, now: readonly StreamState[]): StreamRate[] {
  return now.map((s) => {
    const p = prev?.streams.find((x) => x.stream === s.stream);
    const dt = prev ? (ts - prev.ts) / 1_000 : 0;
    const rate = p && dt > 0 && s.lastSeq >= p.lastSeq ? (s.lastSeq - p.lastSeq) / dt : null;
    return { ...s, ratePerSec: rate };
  });
}

export type PipelineWatch = {
  /** The latest poll, undefined before the first one succeeded. */
  get(): PipelineSnapshot | undefined;
  stop(): void;
};

/** The pipeline's streams in flow order (MD -> BOOK -> VOL -> SURFACE, then dead letters). */
export const PIPELINE_STREAMS = [STREAM_NAMES.md, STREAM_NAMES.book, STREAM_NAMES.vol, STREAM_NAMES.surface, STREAM_NAMES.rejected] as const;

/** Read every stream and durable consumer once. Missing streams are skipped. */
export async function pollPipeline(jsm: JetStreamManager): Promise<{ consumers: ConsumerLag[]; streams: StreamState[] }> {
  const consumers: ConsumerLag[] = [];
  const streams: StreamState[] = [];
  for (const stream of PIPELINE_STREAMS) {
    let info;
    try {
      info = await jsm.streams.info(stream);
    } catch {
      continue; // not created yet
    }
    streams.push({ stream, messages: info.state.messages, bytes: info.state.bytes, lastSeq: info.state.last_seq });
    // Durable consumers are the pipeline's workers (`book_all`, `vol_all`, …); the ordered
    // consumers of gateways and tools come and go and are left out.
    for await (const c of jsm.consumers.list(stream)) {
      if (!c.config.durable_name) continue;
      consumers.push({ stream, consumer: c.name, pending: c.num_pending, ackPending: c.num_ack_pending, redelivered: c.num_redelivered });
    }
  }
  consumers.sort((a, b) => PIPELINE_STREAMS.indexOf(a.stream as never) - PIPELINE_STREAMS.indexOf(b.stream as never) || a.consumer.localeCompare(b.consumer));
  return { consumers, streams };
}

/** Poll the pipeline every `everyMs` in the background; a failed poll keeps the last snapshot. */
export function watchPipeline(jsm: JetStreamManager, opts: { everyMs: number; log?: Logger; now?: () => number }): PipelineWatch {
  const now = opts.now ?? Date.now;
  let last: PipelineSnapshot | undefined;
  let prevStates: { ts: number; streams: StreamState[] } | undefined;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    try {
      const r = await pollPipeline(jsm);
      const ts = now();
      last = { ts, consumers: r.consumers, streams: streamRates(prevStates, ts, r.streams) };
      prevStates = { ts, streams: r.streams };
      failures = 0;
    } catch (err) {
      if (failures++ === 0) opts.log?.warn('pipeline poll failed', { err: (err as Error).message });
    }
    if (!stopped) timer = setTimeout(() => void poll(), opts.everyMs);
  };
  void poll();
  return {
    get: () => last,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
