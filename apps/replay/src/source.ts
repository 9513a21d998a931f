import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

export type StreamMessage = { seq: number; subject: string; data: Uint8Array };

/** Messages a stream holds for one subject filter (sum over the matching subjects). */
export async function countMessages(nc: NatsConnection, stream: string, filterSubject: string): Promise<number> {
  const info = await (await jetstreamManager(nc)).streams.info(stream, { subjects_filter: filterSubject });
  return Object.values((info.state.subjects ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
}

/**
 * Every message of a stream matching one subject filter, in stream order, from the stream's
 * first message to the last one stored when reading reaches it, with an ordered consumer (no
 * acks, ~270k msg/s here: STACK.md). Breaking out of the loop stops the consumer.
 */
export async function* readOrdered(nc: NatsConnection, stream: string, filterSubject: string, batch = 10_000): AsyncGenerator<StreamMessage> {
  if ((await countMessages(nc, stream, filterSubject)) === 0) return;
  // One filter as a string: nats-server 2.9 silently ignores the `filter_subjects` array form.
  const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: filterSubject, deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume({ max_messages: batch });
  try {
    for await (const m of messages) {
      yield { seq: m.seq, subject: m.subject, data: m.data };
      if (m.info.pending === 0) break;
    }
  } finally {
    messages.stop();
  }
}
