import type { BookDelta, BookSnapshot, InstrumentDef, MdEvent, Rejected } from '@volstream/events';
import { rejectedFrame } from '../rejected.ts';
import type { InstrumentInfo, MapResult, VenueMapper } from '../venue.ts';
import { ContinuityTracker } from './continuity.ts';
import { bookResyncStatus } from './status.ts';

/** Mapper context every pipeline keeps: the instruments listed so far. */
export type RegistryContext = { instruments: Map<string, InstrumentInfo> };

/**
 * A venue-specific check of a book message against the book built so far (OKX: CRC32 of the
 * top 25 levels). It applies the message to its own copy and returns why they disagree, or
 * undefined when they agree.
 */
export type BookVerifier<C> = {
  check(ev: BookSnapshot | BookDelta, control: C | undefined): string | undefined;
  forget(instrument?: string): void;
};

/** A book that must be rebuilt from a fresh snapshot (the session resubscribes its channel). */
export type Resync = { instrument: string; reason: string };

export type PipelineResult<C> = {
  /** What to publish, in order (book_resync statuses included). */
  events: MdEvent[];
  rejected?: Rejected;
  control?: C;
  ignored?: string;
  resync: Resync[];
};

export type PipelineStats = {
  frames: number;
  events: number;
  rejected: number;
  ignored: number;
  resyncs: number;
  checksumMismatches: number;
  duplicates: number;
  droppedWhileResync: number;
};

/**
 * Everything between a raw frame and the events to publish, shared by the live sessions and
 * `volstream import` (mapRecordedFrame): the venue's pure mapper, then the book sequencing rules
 * that need memory of earlier frames:
 *  - instruments listed are remembered (the mapper's read-only context);
 *  - a snapshot restarts an instrument's chain; the first one after a resync is preceded by a
 *    `book_resync` status with `detail.phase: 'resynced'` (the fresh snapshot is flagged);
 *  - a delta that does not link (prevSeq != last seq) is published (the book stage sees the
 *    gap too), followed by a `book_resync` status, and a resync is requested; deltas are then
 *    dropped until the snapshot;
 *  - a repeated delta (seq <= last) is dropped: a duplicated or late frame;
 *  - a delta or snapshot the verifier disagrees with is NOT published: a `book_resync` status
 *    says why and a resync is requested, so downstream never holds a book known to be wrong.
 * State lives here and in the context only; time is the frames' receive time.
 */
export class FramePipeline<Ctx extends RegistryContext, C> {
  readonly stats: PipelineStats = { frames: 0, events: 0, rejected: 0, ignored: 0, resyncs: 0, checksumMismatches: 0, duplicates: 0, droppedWhileResync: 0 };
  private readonly continuity = new ContinuityTracker();
  private readonly lastSnapshot = new Map<string, number>();

  constructor(private readonly opts: {
    venue: string;
    map: VenueMapper<Ctx, C>;
    ctx: Ctx;
    verifier?: BookVerifier<C>;
    /** Ask again for a snapshot that has not come after this long (frame time, ms). */
    resyncTimeoutMs?: number;
    /**
     * Snapshot-only streams (Binance partial depth): every push is a whole book whose seq only
     * grows, so a snapshot older than the last one applied is a late or reordered frame and is
     * dropped. Not for venues whose sequence restarts (Bybit u = 1, OKX resets).
     */
    dropOlderSnapshots?: boolean;
  }) {}

  get ctx(): Ctx {
    return this.opts.ctx;
  }

  process(frame: string, recvTs: number): PipelineResult<C> {
    this.stats.frames++;
    let r: MapResult<C>;
    try {
      r = this.opts.map(frame, recvTs, this.opts.ctx);
    } catch (err) {
      // Mappers never throw by contract; a bug must still only reject the frame.
      r = { events: [], rejected: { reason: `mapper error: ${(err as Error)?.message ?? String(err)}` } };
    }
    const out: PipelineResult<C> = { events: [], resync: [] };
    if (r.control !== undefined) out.control = r.control;
    if (r.ignored !== undefined) {
      out.ignored = r.ignored;
      this.stats.ignored++;
    }
    if (r.rejected) {
      this.stats.rejected++;
      out.rejected = rejectedFrame({ venue: this.opts.venue, frame, recvTs, reason: r.rejected.reason });
    }
    for (const ev of r.events) this.onEvent(ev, r.control, out);
    this.stats.events += out.events.length;
    return out;
  }

  private onEvent(ev: MdEvent, control: C | undefined, out: PipelineResult<C>): void {
    const venue = this.opts.venue;
    switch (ev.type) {
      case 'md.instrument':
        this.learn(ev);
        out.events.push(ev);
        return;
      case 'md.book.snapshot': {
        if (this.opts.dropOlderSnapshots) {
          const last = this.lastSnapshot.get(ev.instrument);
          if (last !== undefined && ev.seq < last) {
            this.stats.duplicates++;
            return;
          }
          this.lastSnapshot.set(ev.instrument, ev.seq);
        }
        const mismatch = this.opts.verifier?.check(ev, control);
        if (mismatch !== undefined) return this.fail(ev, mismatch, out);
        const wasResyncing = this.continuity.isResyncing(ev.instrument);
        this.continuity.snapshot(ev.instrument, ev.seq);
        if (wasResyncing) out.events.push(bookResyncStatus(venue, ev, 'resynced', `fresh snapshot seq ${ev.seq}: book rebuilt`, { seq: ev.seq }));
        out.events.push(ev);
        return;
      }
      case 'md.book.delta': {
        const c = this.continuity.change(ev.instrument, ev.prevSeq, ev.seq, ev.recvTs, this.opts.resyncTimeoutMs);
        if (c === 'awaiting_snapshot') {
          this.stats.droppedWhileResync++;
          return;
        }
        if (c === 'duplicate') {
          this.stats.duplicates++;
          return;
        }
        if (c === 'gap') {
          this.opts.verifier?.forget(ev.instrument);
          this.stats.resyncs++;
          out.events.push(ev);
          out.events.push(bookResyncStatus(venue, ev, 'gap', `sequence gap on ${ev.instrument}: prevSeq ${ev.prevSeq} does not follow the last message; resubscribing`, { prevSeq: ev.prevSeq, seq: ev.seq }));
          out.resync.push({ instrument: ev.instrument, reason: 'sequence gap' });
          return;
        }
        const mismatch = this.opts.verifier?.check(ev, control);
        if (mismatch !== undefined) return this.fail(ev, mismatch, out);
        out.events.push(ev);
        return;
      }
      default:
        out.events.push(ev);
    }
  }

  private fail(ev: BookSnapshot | BookDelta, mismatch: string, out: PipelineResult<C>): void {
    this.stats.checksumMismatches++;
    this.stats.resyncs++;
    this.continuity.fail(ev.instrument, ev.recvTs);
    this.opts.verifier?.forget(ev.instrument);
    out.events.push(bookResyncStatus(this.opts.venue, ev, 'checksum', `${mismatch}; message withheld, resubscribing`, { seq: ev.seq }));
    out.resync.push({ instrument: ev.instrument, reason: mismatch });
  }

  private learn(ev: InstrumentDef): void {
    this.opts.ctx.instruments.set(ev.instrument, { kind: ev.kind, underlying: ev.underlying, expiryTs: ev.expiryTs, def: ev });
  }

  /** A book channel starts again (reconnect, resubscribe): forget its chain. */
  forget(instrument?: string): void {
    this.continuity.clear(instrument);
    this.opts.verifier?.forget(instrument);
    if (instrument === undefined) this.lastSnapshot.clear();
    else this.lastSnapshot.delete(instrument);
  }

  isResyncing(instrument: string): boolean {
    return this.continuity.isResyncing(instrument);
  }
}
