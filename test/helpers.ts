import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { decode, type AnyEvent } from '@volstream/events';

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 500): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Every message of a stream (optionally one subject filter), decoded, in stream order. */
export async function readStream(nc: NatsConnection, stream: string, filterSubject?: string): Promise<{ seq: number; subject: string; event: AnyEvent }[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const last = info.state.last_seq;
  const out: { seq: number; subject: string; event: AnyEvent }[] = [];
  if (info.state.messages === 0) return out;
  const c = await jetstream(nc).consumers.get(stream, { ...(filterSubject ? { filter_subjects: filterSubject } : {}), deliver_policy: DeliverPolicy.All });
  const it = await c.consume({ max_messages: 5_000 });
  for await (const m of it) {
    const r = decode(m.data);
    if (r.ok) out.push({ seq: m.seq, subject: m.subject, event: r.event });
    if (m.seq >= last || m.info.pending === 0) break;
  }
  it.stop();
  return out;
}

/** Message count per subject of a stream, for subjects matching a filter. */
export async function subjectCounts(nc: NatsConnection, stream: string, filter: string): Promise<Record<string, number>> {
  const info = await (await jetstreamManager(nc)).streams.info(stream, { subjects_filter: filter });
  return (info.state.subjects ?? {}) as Record<string, number>;
}
