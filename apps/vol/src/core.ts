import { derivedId, type BookEvent, type Forward, type Mark, type TopOfBook, type VolEvent, type VolPoint } from '@volstream/events';
import type { Core } from '@volstream/runtime';
import { priceQuote, type PricedQuote } from './price-quote.ts';
import { movedVisibly } from './visible-change.ts';
import { YEAR_MS, yearsToExpiry } from '@volstream/svi';
import {
  emptyState, expiryKey, fromSnapshot, groupKey, isVolSnapshot, toSnapshot,
  type ExpiryState, type GroupState, type InstrumentState, type VolState,
} from './state.ts';
import { CheckpointStateError } from './errors.ts';

export type VolCoreOptions = {
  /** Width of the reprice window in ms of EVENT time: expiries whose forward (or marks) moved
   * are repriced once when an input of their (venue, underlying) opens a new window. */
  repriceMs?: number;
};

export const DEFAULT_REPRICE_MS = 500;

/** VolPoint needs t > 0; an expired point carries 1 ms so it still validates (its IVs are null). */
const EXPIRED_T = 1 / YEAR_MS;

/** What caused an output: its id, time and receive time are derived from it. */
type Cause = { id: string; ts: number; recvTs: number };

/**
 * Implied vols per option quote, doing as little work per update as the output allows:
 *
 * - book.top: that one option is priced at once and published unless nothing visible changed
 *   (every IV within 0.1 bp and the same reasons; visible-change.ts). A top flagged `refresh`
 *   (re-sent after a reconnect) is always published, its point flagged `refresh` too.
 * - book.forward: the expiry is only marked dirty. When the event time of its (venue,
 *   underlying) crosses into a new window (floor(ts / repriceMs)), each dirty expiry is repriced
 *   once, at the window's start, and only visibly moved points are published. A baseline that
 *   reprices the expiry on every forward tick is measured against this in bench/vol.bench.ts.
 * - book.mark: kept, and the option repriced at the next window like a forward move.
 * - No forward yet: quotes are held and published when the first forward of the expiry arrives.
 * - Expired (t ≤ 0): every published option of the expiry gets one last point with reason
 *   'expired', then the expiry is dropped; later input for it is ignored.
 * - status events pass through.
 *
 * Pure and deterministic: time is the events' `ts`, ids derive from the causing input's id,
 * and snapshot/restore anywhere in the stream does not change the outputs. A `CoreFactory`
 * as it is (default repriceMs); no `flush`, so outputs depend on the input sequence only.
 */
export function createVolCore(state?: unknown, options: VolCoreOptions = {}): Core<BookEvent, VolEvent> {
  const repriceMs = options.repriceMs ?? DEFAULT_REPRICE_MS;
  if (!(Number.isInteger(repriceMs) && repriceMs > 0)) throw new RangeError(`repriceMs must be a positive integer (ms), got ${repriceMs}`);
  const s: VolState = state === undefined ? emptyState() : isVolSnapshot(state) ? fromSnapshot(state) : invalidState(state);

  function apply(e: BookEvent): VolEvent[] {
    if (e.type === 'status') return [e];
    const out: VolEvent[] = [];
    const group = advanceWindow(e, out);
    const key = expiryKey(e.venue, e.underlying, e.expiryTs);
    if (s.expired.has(key)) return out;
    let exp = s.expiries.get(key);
    if (e.ts >= e.expiryTs) {
      if (exp) expire(exp, key, group, e, out);
      else s.expired.add(key);
      return out;
    }
    if (!exp) {
      exp = { venue: e.venue, underlying: e.underlying, expiryTs: e.expiryTs, forward: null, fwdRecvTs: 0, instruments: new Map(), marks: new Map(), dirtyAll: false, dirty: new Set() };
      s.expiries.set(key, exp);
      group.expiries.add(key);
    }
    switch (e.type) {
      case 'book.top': onTop(exp, e, out); break;
      case 'book.forward': onForward(exp, key, group, e, out); break;
      case 'book.mark': onMark(exp, key, group, e); break;
    }
    return out;
  }

  /** Moves the group's window clock; on entering a new window, expires what has expired and
   * reprices the dirty expiries at the window start, before the input itself is applied. */
  function advanceWindow(e: Exclude<BookEvent, { type: 'status' }>, out: VolEvent[]): GroupState {
    const gk = groupKey(e.venue, e.underlying);
    const window = Math.floor(e.ts / repriceMs);
    let g = s.groups.get(gk);
    if (!g) {
      g = { window, expiries: new Set(), dirty: new Set() };
      s.groups.set(gk, g);
      return g;
    }
    if (window <= g.window) return g;
    g.window = window;
    const boundaryTs = window * repriceMs;
    for (const key of [...g.expiries]) {
      const exp = s.expiries.get(key)!;
      if (exp.expiryTs <= boundaryTs) expire(exp, key, g, e, out);
    }
    // The input's own option is priced right after this; repricing it here too is wasted work.
    const ownKey = expiryKey(e.venue, e.underlying, e.expiryTs);
    for (const key of g.dirty) {
      const exp = s.expiries.get(key);
      if (!exp) continue;
      const skip = e.type === 'book.top' && key === ownKey ? e.instrument : undefined;
      if (exp.forward !== null) {
        for (const inst of exp.instruments.values()) {
          if (inst.instrument === skip || !(exp.dirtyAll || exp.dirty.has(inst.instrument))) continue;
          // recvTs of the input that made it dirty: the forward, else the option's mark.
          const recvTs = exp.dirtyAll ? exp.fwdRecvTs : exp.marks.get(inst.instrument)?.recvTs ?? e.recvTs;
          publishIfMoved(exp, inst, { id: e.id, ts: boundaryTs, recvTs }, 'volw', inst.instrument, out);
        }
      }
      exp.dirtyAll = false;
      exp.dirty.clear();
    }
    g.dirty.clear();
    return g;
  }

  function onTop(exp: ExpiryState, e: TopOfBook, out: VolEvent[]): void {
    let inst = exp.instruments.get(e.instrument);
    if (!inst) {
      inst = { instrument: e.instrument, strike: e.strike, optionType: e.optionType, settlement: e.settlement, contractSize: e.contractSize, bid: e.bid, ask: e.ask };
      exp.instruments.set(e.instrument, inst);
    } else {
      inst.bid = e.bid;
      inst.ask = e.ask;
    }
    if (exp.forward === null) return; // held until the expiry's first forward
    exp.dirty.delete(e.instrument);
    publishIfMoved(exp, inst, e, 'vol', 0, out, e.refresh === true);
  }

  function onForward(exp: ExpiryState, key: string, g: GroupState, e: Forward, out: VolEvent[]): void {
    const prev = exp.forward;
    exp.forward = e.forward;
    exp.fwdRecvTs = e.recvTs;
    if (prev === null) {
      // Release the held quotes now: nothing of this expiry was published yet.
      for (const inst of exp.instruments.values()) publishIfMoved(exp, inst, e, 'vol', inst.instrument, out);
      return;
    }
    if (e.forward !== prev) {
      exp.dirtyAll = true;
      g.dirty.add(key);
    }
  }

  function onMark(exp: ExpiryState, key: string, g: GroupState, e: Mark): void {
    const prev = exp.marks.get(e.instrument);
    exp.marks.set(e.instrument, { price: e.markPrice, recvTs: e.recvTs });
    if (prev?.price === e.markPrice || !exp.instruments.has(e.instrument)) return;
    exp.dirty.add(e.instrument);
    g.dirty.add(key);
  }

  /** Prices one option at the cause's time and publishes it if it moved visibly, or always when
   * `refresh` (a top re-sent after a reconnect: the point goes out flagged `refresh`). */
  function publishIfMoved(exp: ExpiryState, inst: InstrumentState, cause: Cause, kind: string, idKey: string | number, out: VolEvent[], refresh = false): void {
    const forward = exp.forward!;
    const t = yearsToExpiry({ expiryTs: exp.expiryTs, ts: cause.ts });
    const mark = exp.marks.get(inst.instrument)?.price ?? null;
    const p = priceQuote({ bid: inst.bid, ask: inst.ask, mark, forward, strike: inst.strike, t, optionType: inst.optionType, settlement: inst.settlement, contractSize: inst.contractSize });
    if (!refresh && !movedVisibly(inst.last, p)) return;
    inst.last = { bidIv: p.bidIv, askIv: p.askIv, midIv: p.midIv, markIv: p.markIv, reasons: p.reasons };
    const v = point(exp, inst, cause, derivedId(kind, cause.id, idKey), t, mark, p);
    out.push(refresh ? { ...v, refresh: true } : v);
  }

  /** One last 'expired' point per published option of the expiry, then the expiry is dropped. */
  function expire(exp: ExpiryState, key: string, g: GroupState, cause: Cause, out: VolEvent[]): void {
    if (exp.forward !== null) {
      for (const inst of exp.instruments.values()) {
        if (!inst.last) continue;
        const reasons = { bid: 'expired', ask: 'expired', mid: 'expired', mark: 'expired' } as const;
        out.push(point(exp, inst, cause, derivedId('volx', cause.id, inst.instrument), EXPIRED_T, exp.marks.get(inst.instrument)?.price ?? null, {
          k: Math.log(inst.strike / exp.forward), bidIv: null, askIv: null, midIv: null, markIv: null, delta: null, vega: null, reasons,
        }));
      }
    }
    s.expiries.delete(key);
    g.expiries.delete(key);
    g.dirty.delete(key);
    s.expired.add(key);
  }

  return { apply, snapshot: () => toSnapshot(s) };
}

/** The event of one option priced at the cause's time with the expiry's forward. */
function point(exp: ExpiryState, inst: InstrumentState, cause: Cause, id: string, t: number, mark: number | null, p: PricedQuote): VolPoint {
  return {
    type: 'vol.point', v: 1, id, venue: exp.venue, ts: cause.ts, recvTs: cause.recvTs,
    instrument: inst.instrument, underlying: exp.underlying, expiryTs: exp.expiryTs, strike: inst.strike,
    optionType: inst.optionType, settlement: inst.settlement, contractSize: inst.contractSize,
    t, forward: exp.forward!, k: p.k, bid: inst.bid, ask: inst.ask, mark,
    bidIv: p.bidIv, askIv: p.askIv, midIv: p.midIv, markIv: p.markIv, delta: p.delta, vega: p.vega, reasons: p.reasons,
  };
}

function invalidState(state: unknown): never {
  throw new CheckpointStateError(`not a vol core snapshot (v: 1 expected): ${JSON.stringify(state)?.slice(0, 200)}`);
}
