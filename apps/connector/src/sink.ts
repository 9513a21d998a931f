import type { MdEvent, Rejected } from '@volstream/events';
import type { Publisher } from '@volstream/runtime';
import type { EventSink } from './venue.ts';

export type PublishSinkStats = { queued: number; pushed: number; flushes: number; failures: number; paused: number; unroutable: number };

export type PublishSinkOptions = {
  publisher: Publisher;
  /** Wait for JetStream acks after this many publishes... */
  flushEvery?: number;
  /** ...or this long after the last flush when the queue runs dry (ms). */
  flushMs?: number;
  /** Above this many queued events ask the sources to pause reading; resume at half. */
  highWater?: number;
  /** A flush failed: events may be lost, so the sources should resynchronise. */
  onFailure?: (err: Error) => void;
  /** An event could not be routed to a subject (never expected: mappers validate tokens). */
  onUnroutable?: (event: MdEvent | Rejected, err: Error) => void;
  /** Backpressure signal: true = stop reading the socket, false = resume. */
  onPause?: (paused: boolean) => void;
};

/**
 * Ordered publishing for a connector: events are queued in arrival order and one pump hands
 * them to the Publisher (many acks in flight), waiting for acks every `flushEvery` events or
 * `flushMs` after the queue runs dry. One pump keeps the stream order equal to the venue order
 * per instrument, which the book stage's sequence checks rely on.
 */
export class PublishSink implements EventSink {
  readonly stats: PublishSinkStats = { queued: 0, pushed: 0, flushes: 0, failures: 0, paused: 0, unroutable: 0 };
  private queue: (MdEvent | Rejected)[] = [];
  private head = 0;
  private pumping = false;
  private sinceFlush = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private idle: Promise<void> = Promise.resolve();
  private idleResolve: (() => void) | undefined;
  private readonly flushEvery: number;
  private readonly flushMs: number;
  private readonly highWater: number;

  constructor(private readonly opts: PublishSinkOptions) {
    this.flushEvery = opts.flushEvery ?? 1_000;
    this.flushMs = opts.flushMs ?? 5;
    this.highWater = opts.highWater ?? 50_000;
  }

  push(event: MdEvent | Rejected): void {
    this.queue.push(event);
    this.stats.pushed++;
    const size = this.queue.length - this.head;
    this.stats.queued = size;
    if (!this.paused && size >= this.highWater) {
      this.paused = true;
      this.stats.paused++;
      this.opts.onPause?.(true);
    }
    if (!this.pumping) void this.pump();
  }

  /** Resolves when everything pushed so far is stored (or failed). */
  async drain(): Promise<void> {
    if (this.pumping) await this.idle;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    this.idle = new Promise((r) => (this.idleResolve = r));
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    try {
      while (this.head < this.queue.length) {
        const ev = this.queue[this.head]!;
        this.head++;
        // Compact now and then so the array does not grow without bound.
        if (this.head >= 4_096 && this.head * 2 >= this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        try {
          await this.opts.publisher.publish('md', ev);
        } catch (err) {
          // Only an event that cannot be routed (a bad subject token) throws here: a bug in a
          // mapper, counted and reported rather than allowed to stop the pump.
          this.stats.unroutable++;
          this.opts.onUnroutable?.(ev, err as Error);
          continue;
        }
        this.sinceFlush++;
        if (this.sinceFlush >= this.flushEvery) await this.flush();
        const size = this.queue.length - this.head;
        this.stats.queued = size;
        if (this.paused && size <= this.highWater / 2) {
          this.paused = false;
          this.opts.onPause?.(false);
        }
      }
    } finally {
      this.pumping = false;
      this.idleResolve?.();
    }
    if (this.sinceFlush > 0) this.flushTimer = setTimeout(() => void this.flush(), this.flushMs);
  }

  private async flush(): Promise<void> {
    this.sinceFlush = 0;
    try {
      await this.opts.publisher.flush();
      this.stats.flushes++;
    } catch (err) {
      this.stats.failures++;
      this.opts.onFailure?.(err as Error);
    }
  }
}
