import { MAX_RAW, SCHEMA_VERSION, eventId, type Rejected } from '@volstream/events';

/** 32-bit FNV-1a of a string, hex: a short content key for ids of frames without their own. */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Dead-letter event for a frame the mapper could not use (routed to `rejected.connector.<venue>`). */
export function rejectedFrame(p: { venue: string; frame: string; recvTs: number; reason: string }): Rejected {
  const truncated = p.frame.length > MAX_RAW;
  return {
    type: 'rejected', v: SCHEMA_VERSION, id: eventId(p.venue, 'rejected', p.recvTs, fnv1a(p.frame)), venue: p.venue,
    ts: p.recvTs, recvTs: p.recvTs, stage: 'connector', reason: p.reason.slice(0, 2_000),
    raw: truncated ? p.frame.slice(0, MAX_RAW) : p.frame, truncated,
  };
}
