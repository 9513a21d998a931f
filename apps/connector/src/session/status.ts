import { SCHEMA_VERSION, eventId, type BookDelta, type BookSnapshot, type Status, type StatusKind } from '@volstream/events';

export type StatusFields = {
  underlying?: string | undefined;
  instrument?: string | undefined;
  expiryTs?: number | undefined;
  reason: string;
  detail?: Record<string, unknown>;
};

function build(venue: string, id: string, ts: number, recvTs: number, kind: StatusKind, f: StatusFields): Status {
  const ev: Status = { type: 'status', v: SCHEMA_VERSION, id, venue, ts, recvTs, kind, stage: 'connector', reason: f.reason };
  if (f.underlying !== undefined) ev.underlying = f.underlying;
  if (f.instrument !== undefined) ev.instrument = f.instrument;
  if (f.expiryTs !== undefined) ev.expiryTs = f.expiryTs;
  if (f.detail !== undefined) ev.detail = f.detail;
  return ev;
}

/**
 * Connection-level status events (connected, disconnected, stale): their time is the local
 * clock and their id carries a per-session counter, because no venue frame caused them.
 */
export class StatusFactory {
  private seq = 0;

  constructor(private readonly venue: string, private readonly now: () => number) {}

  make(kind: StatusKind, f: StatusFields): Status {
    const ts = this.now();
    return build(this.venue, eventId(this.venue, 'status', kind, f.instrument ?? f.underlying ?? '_', ts, ++this.seq), ts, ts, kind, f);
  }
}

/** Why a book is rebuilt: the chain broke, a checksum failed, or the fresh snapshot arrived. */
export type ResyncPhase = 'gap' | 'checksum' | 'resynced';

/**
 * A `book_resync` status caused by a book frame. Its id and times derive from that frame's
 * event, so mapping the same recorded frames again (volstream import) gives the same statuses.
 */
export function bookResyncStatus(venue: string, ev: BookSnapshot | BookDelta, phase: ResyncPhase, reason: string, detail: Record<string, unknown> = {}): Status {
  return build(venue, eventId(venue, 'status', 'book_resync', ev.instrument, ev.seq, phase), ev.ts, ev.recvTs, 'book_resync', {
    underlying: ev.underlying, instrument: ev.instrument, expiryTs: ev.expiryTs, reason, detail: { phase, ...detail },
  });
}
