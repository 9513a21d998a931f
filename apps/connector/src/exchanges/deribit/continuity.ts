/**
 * Per-instrument `change_id` linkage of Deribit book channels (EXCHANGES.md §1.4): a change is
 * in sequence iff its prev_change_id equals the change_id of the previous message. Pure state,
 * no timers: the session decides what to do with a gap (publish status, resubscribe).
 */
export type Continuity =
  | 'ok'
  /** The chain broke: resubscribe, drop changes until the fresh snapshot. */
  | 'gap'
  /** A change while waiting for the snapshot of a resubscribe: drop it. */
  | 'awaiting_snapshot';

type ChannelState = { last: number | undefined; resyncSince: number | undefined };

export class ContinuityTracker {
  private readonly state = new Map<string, ChannelState>();

  /** A snapshot restarts the chain. */
  snapshot(instrument: string, changeId: number): void {
    this.state.set(instrument, { last: changeId, resyncSince: undefined });
  }

  /**
   * Check a change. A change with no snapshot before it in this session is a gap too (the
   * first message after subscribe must be a snapshot). While resyncing, changes are dropped;
   * after `resyncTimeoutMs` without a snapshot the resync is requested again.
   */
  change(instrument: string, prevChangeId: number, changeId: number, now: number, resyncTimeoutMs = 10_000): Continuity {
    const s = this.state.get(instrument);
    if (s?.resyncSince !== undefined) {
      if (now - s.resyncSince < resyncTimeoutMs) return 'awaiting_snapshot';
      s.resyncSince = now;
      return 'gap';
    }
    if (s === undefined || s.last !== prevChangeId) {
      this.state.set(instrument, { last: undefined, resyncSince: now });
      return 'gap';
    }
    s.last = changeId;
    return 'ok';
  }

  isResyncing(instrument: string): boolean {
    return this.state.get(instrument)?.resyncSince !== undefined;
  }

  /** A new session: every channel starts again with its snapshot. */
  clear(): void {
    this.state.clear();
  }
}
