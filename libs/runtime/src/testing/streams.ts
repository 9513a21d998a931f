import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';
import { decode, type AnyEvent } from '@volstream/events';
import { connectNats } from '../nats.ts';

/** One stored message of a stream, decoded. */
export interface StoredEvent<T> {
  seq: number;
  subject: string;
  event: T;
}

/** What {@link readStream} read. */
export interface StreamRead<T> {
  /** Messages read (decoded or not). */
  messages: number;
  /** The messages that decode with the schema, in stream order. */
  events: T[];
  /** The same, with their stream sequence and subject. */
  stored: StoredEvent<T>[];
}

/**
 * Every message a stream holds now (tests), optionally only those of one subject filter, read with an
 * ordered consumer, in stream order. `conn` is a connection or a server URL (then a connection of its
 * own is opened and closed). Messages that do not decode with `schema` (default: any event) are
 * counted in `messages` but left out of `events`, or with `strict` thrown.
 */
export async function readStream<T = AnyEvent>(
  conn: NatsConnection | string,
  stream: string,
  opts: { filterSubject?: string; schema?: z.ZodType<T>; strict?: boolean } = {},
): Promise<StreamRead<T>> {
  const nc = typeof conn === 'string' ? await connectNats({ url: conn, name: 'test-reader' }) : conn;
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    const last = info.state.last_seq;
    const out: StreamRead<T> = { messages: 0, events: [], stored: [] };
    if (info.state.messages === 0) return out;
    // nats-server 2.9 takes one filter subject as a string, not as a list.
    const consumer = await jetstream(nc).consumers.get(stream, {
      ...(opts.filterSubject ? { filter_subjects: opts.filterSubject } : {}),
      deliver_policy: DeliverPolicy.All,
    });
    let done = false;
    while (!done) {
      const batch = await consumer.fetch({ max_messages: 10_000, expires: 5_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        out.messages++;
        const r = decode(m.data, opts.schema);
        if (!r.ok && opts.strict) throw r.error;
        if (r.ok) {
          const event = r.event as T;
          out.events.push(event);
          out.stored.push({ seq: m.seq, subject: m.subject, event });
        }
        if (m.seq >= last || m.info.pending === 0) {
          done = true;
          break;
        }
      }
      if (got === 0) break;
    }
    return out;
  } finally {
    if (typeof conn === 'string') await nc.close();
  }
}

/** Every event a stream holds now, in stream order; an undecodable message throws its DecodeError. */
export async function readEvents(conn: NatsConnection | string, stream: string): Promise<AnyEvent[]> {
  return (await readStream(conn, stream, { strict: true })).events;
}

/** Message count per subject of a stream, for subjects matching a filter. */
export async function subjectCounts(nc: NatsConnection, stream: string, filter: string): Promise<Record<string, number>> {
  const info = await (await jetstreamManager(nc)).streams.info(stream, { subjects_filter: filter });
  return (info.state.subjects ?? {}) as Record<string, number>;
}
