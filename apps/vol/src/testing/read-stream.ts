import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { z } from 'zod';
import { decode } from '@volstream/events';
import { connectNats } from '@volstream/runtime';

/**
 * Every message of a stream (tests): its message count and the events that decode with
 * `schema`, in stream order, read with an ordered consumer on a connection of its own.
 */
export async function readStream<T>({ url, stream, schema }: { url: string; stream: string; schema: z.ZodType<T> }): Promise<{ messages: number; events: T[] }> {
  const nc = await connectNats({ url, name: 'test-reader' });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    const messages = info.state.messages;
    const events: T[] = [];
    if (messages === 0) return { messages, events };
    const consumer = await jetstream(nc).consumers.get(stream);
    let seen = 0;
    while (seen < messages) {
      const batch = await consumer.fetch({ max_messages: Math.min(messages - seen, 10_000), expires: 5_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        const r = decode(m.data, schema);
        if (r.ok) events.push(r.event);
      }
      if (got === 0) break;
      seen += got;
    }
    return { messages, events };
  } finally {
    await nc.close();
  }
}

/** Polls `cond` every 50 ms until it holds; throws after `ms`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, { ms = 30_000, what = 'condition' }: { ms?: number; what?: string } = {}): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}
