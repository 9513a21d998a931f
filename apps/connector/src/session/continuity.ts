/**
 * Per-instrument sequence linkage of book channels: a delta is in sequence iff its prevSeq
 * equals the seq of the previous message (Deribit change_id/prev_change_id, OKX
 * seqId/prevSeqId, Bybit u-1/u, Binance pu/u; EXCHANGES.md §0). Pure state, no timers: the
 * caller decides what to do with a gap (publish a status, resubscribe).
 */
export type Continuity =
  | 'ok'
  /** The chain broke: resubscribe, drop deltas until the fresh snapshot. */
  | 'gap'
  /** A delta while waiting for the snapshot of a resync: drop it. */
  | 'awaiting_snapshot'
  /**
   * seq at or below the last applied one: a repeat of a message already applied (a duplicated
   * or late frame). Dropping it is safe; treating it as a gap would resync for nothing. Every
   * venue's sequence grows within a session, and a venue reset (OKX seqId < prevSeqId) still
   * links by prevSeq, so it is checked first.
   */
  | 'duplicate';

type ChannelState = { last: number | undefined; resyncSince: number | undefined };

export class ContinuityTracker {
  private readonly state = new Map<string, ChannelState>();

  /** A snapshot restarts the chain. */
  snapshot(instrument: string, seq: number): void {
    this.state.set(instrument, { last: seq, resyncSince: undefined });
  }

  /**
   * Check a delta. A delta with no snapshot before it in this session is a gap too (the first
   * message after subscribe must be a snapshot). While resyncing, deltas are dropped; after
   * `resyncTimeoutMs` without a snapshot the resync is requested again.
   */
  change(instrument: string, prevSeq: number, seq: number, now: number, resyncTimeoutMs = 10_000): Continuity {
    const s = this.state.get(instrument);
    if (s?.resyncSince !== undefined) {
      if (now - s.resyncSince < resyncTimeoutMs) return 'awaiting_snapshot';
      s.resyncSince = now;
      return 'gap';
    }
    if (s !== undefined && s.last === prevSeq) {
      s.last = seq;
      return 'ok';
    }
    if (s?.last !== undefined && seq <= s.last) return 'duplicate';
    this.state.set(instrument, { last: undefined, resyncSince: now });
    return 'gap';
  }

  /** Stop trusting a chain for a reason found elsewhere (a checksum mismatch): resync it. */
  fail(instrument: string, now: number): void {
    this.state.set(instrument, { last: undefined, resyncSince: now });
  }

  isResyncing(instrument: string): boolean {
    return this.state.get(instrument)?.resyncSince !== undefined;
  }

  /** Forget one instrument (delisted) or, without an argument, all (a new session). */
  clear(instrument?: string): void {
    if (instrument === undefined) this.state.clear();
    else this.state.delete(instrument);
  }
}
