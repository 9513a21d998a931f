import type { JetStreamManager } from '@nats-io/jetstream';
import { STREAM_NAMES, SurfaceEvent, TOPIC, decode, subject, type Surface } from '@volstream/events';
import { isNotFound } from '@volstream/runtime';

// History of one (venue, underlying) surface from the SURFACE stream, which keeps every stored
// surface for days (7 by default). A day at one fit a second is 86,400 surfaces of a few kB, so
// a range is never read in full: the sequence bounds of the range are found by bisection, then
// at most `maxPoints` surfaces are fetched, evenly spaced in stream sequence (which follows time
// while the fit rate is steady; every point carries its own time). Fetches are direct gets of
// "the first message on this subject at or after sequence s" (JetStream `next_by_subj`, nats-server
// 2.9+), so a sparse range costs one fetch per surface and a dense one at most maxPoints + ~50.

/** One stored surface and where it is in the stream. */
export type StoredSurface = { seq: number; ts: number; surface: Surface | undefined };

/** Reads one subject of a stream by sequence. */
export interface SubjectReader {
  /** First and last sequence of the stream (last < first when empty). */
  bounds(): Promise<{ first: number; last: number }>;
  /** The first message on the subject at or after `seq`, or null when there is none. */
  next(seq: number): Promise<StoredSurface | null>;
}

export type RangeQuery = { from: number; to: number; maxPoints: number };
export type RangeResult = { points: StoredSurface[]; sampled: boolean; fetches: number };

/**
 * At most `maxPoints` stored surfaces whose fit time is in [from, to], oldest first.
 * Requires fit times to rise along the subject (one surface worker per share fits at rising
 * event-time boundaries), which makes "time of the next message at or after s" monotone in s.
 */
export async function readRange(reader: SubjectReader, q: RangeQuery): Promise<RangeResult> {
  let fetches = 0;
  const next = (s: number) => {
    fetches++;
    return reader.next(s);
  };
  const { first, last } = await reader.bounds();
  if (last < first || q.maxPoints < 1 || q.to < q.from) return { points: [], sampled: false, fetches };
  /** Smallest s in [a, b] with pred(next(s)); b = last + 1 always satisfies it (no message). */
  const lowerBound = async (a: number, b: number, pred: (m: StoredSurface) => boolean) => {
    while (a < b) {
      const mid = a + Math.floor((b - a) / 2);
      const m = await next(mid);
      if (m === null || pred(m)) b = mid;
      else a = mid + 1;
    }
    return a;
  };
  const lo = await lowerBound(first, last + 1, (m) => m.ts >= q.from);
  const hi = await lowerBound(lo, last + 1, (m) => m.ts > q.to);
  const points: StoredSurface[] = [];
  let sampled = false;
  const span = hi - lo;
  const at = (i: number) => lo + Math.floor((i * span) / q.maxPoints);
  let prevSeq = lo - 1;
  let exhausted = span <= 0;
  for (let i = 0; i < q.maxPoints && !exhausted;) {
    const pos = at(i);
    if (pos > prevSeq + 1) sampled = true; // sequences in (prevSeq, pos) were not looked at
    const m = await next(pos);
    if (m === null || m.seq >= hi) {
      exhausted = true;
      break;
    }
    points.push(m);
    prevSeq = m.seq;
    while (i < q.maxPoints && at(i) <= m.seq) i++;
  }
  // Out of samples before the end of the range: the rest was not looked at.
  if (!exhausted && prevSeq + 1 < hi) sampled = true;
  return { points, sampled, fetches };
}

/**
 * A reader of the stored surfaces of one (venue, underlying), by JetStream direct gets. Decode
 * failures keep the point's stream time and an undefined surface (the caller skips it).
 */
export function natsSurfaceReader(jsm: JetStreamManager, p: { venue: string; underlying: string }): SubjectReader {
  const stream = STREAM_NAMES.surface;
  const subj = subject('surface', { venue: p.venue, underlying: p.underlying, topic: TOPIC.surface });
  return {
    async bounds() {
      try {
        const info = await jsm.streams.info(stream);
        return { first: info.state.first_seq, last: info.state.last_seq };
      } catch (err) {
        if (isNotFound(err)) return { first: 1, last: 0 };
        throw err;
      }
    },
    async next(seq) {
      const m = await jsm.direct.getMessage(stream, { seq, next_by_subj: subj });
      if (!m) return null;
      const r = decode(m.data, SurfaceEvent);
      const surface = r.ok && r.event.type === 'surface.surface' ? r.event : undefined;
      return { seq: m.seq, ts: surface?.ts ?? m.time.getTime(), surface };
    },
  };
}

/** What the app asks for history; the server supplies it over NATS. */
export type HistorySource = (q: RangeQuery & { venue: string; underlying: string }) => Promise<RangeResult>;

export function natsHistory(jsm: JetStreamManager): HistorySource {
  return (q) => readRange(natsSurfaceReader(jsm, q), q);
}
