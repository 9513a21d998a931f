import type { JetStreamManager } from '@nats-io/jetstream';
import { decode } from '@volstream/events';

/** The last message already stored on a subject, and whether this import has moved past it. */
type Mark = { recvTs: number; id: string; passed: boolean };

/**
 * Skips events a previous import already stored, even long after JetStream's duplicate window
 * (which only drops a repeated Nats-Msg-Id for `duplicate_window`, 2 min here) has closed.
 *
 * How: the first time this import meets a subject, it reads the subject's last stored message
 * (one direct get, `last_by_subj`); that message is the high-water mark. An event of the subject
 * is skipped while it is at or before the mark in receive time (`recvTs`); among events of the
 * mark's own receive time, up to and including the event with the mark's id. From the first
 * event after the mark on, the subject's events are published. So a repeated import adds
 * nothing, and an interrupted one resumes where it stopped.
 *
 * This trusts each subject's events to come in receive-time order in the file, which both
 * sources guarantee (Tardis files are sorted by local_timestamp; the recorder writes frames as
 * they arrive), and the stream to hold nothing newer on those subjects: importing older history
 * behind newer (e.g. live) messages of the same instrument skips it. Import history into a store
 * of its own (DATA_DIR) or before live data.
 */
export class StreamCheck {
  private readonly marks = new Map<string, Mark | null>();
  /** Events skipped as already stored. */
  skipped = 0;

  constructor(private readonly jsm: JetStreamManager, private readonly stream: string) {}

  /** Whether the event is already stored on its subject (then it must not be published again);
   * undefined until the subject's mark is `load`ed (kept synchronous: the import loop awaits
   * nothing it need not, so the client can coalesce its writes). */
  stored(subject: string, e: { id: string; recvTs: number }): boolean | undefined {
    const mark = this.marks.get(subject);
    if (mark === undefined) return undefined;
    if (mark === null || mark.passed) return false;
    if (e.recvTs > mark.recvTs) {
      mark.passed = true;
      return false;
    }
    // At or before the mark: stored. Once the mark itself is met, what follows is new.
    if (e.recvTs === mark.recvTs && e.id === mark.id) mark.passed = true;
    this.skipped++;
    return true;
  }

  /** Reads the subject's mark (its last stored message), once. */
  async load(subject: string): Promise<void> {
    if (!this.marks.has(subject)) this.marks.set(subject, await this.lastOn(subject));
  }

  private async lastOn(subject: string): Promise<Mark | null> {
    const m = await this.jsm.direct.getMessage(this.stream, { last_by_subj: subject });
    if (!m) return null;
    const r = decode(m.data);
    // Not an event (cannot happen through the pipeline's publishers): no mark, publish.
    return r.ok ? { recvTs: r.event.recvTs, id: r.event.id, passed: false } : null;
  }
}
