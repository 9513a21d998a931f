import type { JetStreamClient } from '@nats-io/jetstream';
import { encode, subjectFor, type AnyEvent, type Stage } from '@volstream/events';

export type PublisherStats = { published: number; duplicates: number; failed: number };

/**
 * JetStream publisher that keeps many publishes in flight (an awaited ack per message caps a
 * worker near 34k msg/s, STACK.md) and lets the caller wait until all are stored before acking
 * its input. Every event is sent with its deterministic id as Nats-Msg-Id.
 */
export class Publisher {
  readonly stats: PublisherStats = { published: 0, duplicates: 0, failed: 0 };
  private inFlight = new Set<Promise<void>>();
  private firstError: Error | undefined;

  constructor(private readonly js: JetStreamClient, private readonly maxInFlight = 2_000) {}

  /** Queue one event on its stage's subject; resolves once there is room in the window. */
  async publish(stage: Stage, event: AnyEvent): Promise<void> {
    await this.publishRaw(subjectFor(stage, event), encode(event), event.id);
  }

  async publishRaw(subject: string, data: Uint8Array, msgID: string): Promise<void> {
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    const p: Promise<void> = this.js
      .publish(subject, data, { msgID, timeout: 10_000 })
      .then((ack) => {
        if (ack.duplicate) this.stats.duplicates++;
        else this.stats.published++;
      })
      .catch((err: Error) => {
        this.stats.failed++;
        this.firstError ??= err;
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Wait until every queued publish is stored; throws the first failure so the input is not acked. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    const err = this.firstError;
    this.firstError = undefined;
    if (err) throw err;
  }
}
