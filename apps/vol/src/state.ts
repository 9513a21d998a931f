import type { OptionType, Settlement } from '@volstream/events';
import type { Visible } from './visible-change.ts';

/** Latest quote of one option, with what was last published for it. */
export type InstrumentState = {
  instrument: string;
  strike: number;
  optionType: OptionType;
  settlement: Settlement;
  contractSize: number;
  /** Premium-currency prices of the latest book.top (null: side empty). */
  bid: number | null;
  ask: number | null;
  /** What the last published point showed; undefined until one was published. */
  last?: Visible;
};

export type MarkState = { price: number; recvTs: number };

/** One (venue, underlying, expiry): its forward, quotes and marks, and what waits for repricing. */
export type ExpiryState = {
  venue: string;
  underlying: string;
  expiryTs: number;
  /** Latest forward (USD per unit of underlying); null until the first book.forward: quotes are held. */
  forward: number | null;
  fwdRecvTs: number;
  instruments: Map<string, InstrumentState>;
  /** Venue marks by instrument; kept even before the instrument's first book.top. */
  marks: Map<string, MarkState>;
  /** The forward moved since the last reprice: every instrument is repriced at the next window. */
  dirtyAll: boolean;
  /** Instruments whose mark moved since the last reprice. */
  dirty: Set<string>;
};

/** One (venue, underlying): its reprice window clock and the expiries waiting for it. */
export type GroupState = {
  /** floor(ts / repriceMs) of the latest input of the group. */
  window: number;
  /** Keys of the group's live expiries, in creation order. */
  expiries: Set<string>;
  /** Keys of expiries with something to reprice at the next window boundary, in marking order. */
  dirty: Set<string>;
};

export type VolState = {
  expiries: Map<string, ExpiryState>;
  groups: Map<string, GroupState>;
  /** Expiries already expired and dropped; late input for them is ignored. */
  expired: Set<string>;
};

export const expiryKey = (venue: string, underlying: string, expiryTs: number): string => `${venue}|${underlying}|${expiryTs}`;
export const groupKey = (venue: string, underlying: string): string => `${venue}|${underlying}`;

/** Plain-data form of VolState (msgpack-encodable). Arrays keep the maps' iteration order,
 * which decides the order of repriced outputs, so a restored core emits exactly as the original. */
export type VolSnapshot = {
  v: 1;
  expiries: (Omit<ExpiryState, 'instruments' | 'marks' | 'dirty'> & {
    instruments: InstrumentState[];
    marks: [string, number, number][];
    dirty: string[];
  })[];
  groups: { key: string; window: number; dirty: string[] }[];
  expired: string[];
};

export function emptyState(): VolState {
  return { expiries: new Map(), groups: new Map(), expired: new Set() };
}

export function toSnapshot(s: VolState): VolSnapshot {
  return {
    v: 1,
    expiries: [...s.expiries.values()].map((e) => ({
      venue: e.venue,
      underlying: e.underlying,
      expiryTs: e.expiryTs,
      forward: e.forward,
      fwdRecvTs: e.fwdRecvTs,
      dirtyAll: e.dirtyAll,
      instruments: [...e.instruments.values()].map((i) => ({ ...i })),
      marks: [...e.marks].map(([name, m]) => [name, m.price, m.recvTs]),
      dirty: [...e.dirty],
    })),
    groups: [...s.groups].map(([key, g]) => ({ key, window: g.window, dirty: [...g.dirty] })),
    expired: [...s.expired],
  };
}

export function fromSnapshot(snap: VolSnapshot): VolState {
  const s = emptyState();
  for (const g of snap.groups) s.groups.set(g.key, { window: g.window, expiries: new Set(), dirty: new Set(g.dirty) });
  for (const e of snap.expiries) {
    const key = expiryKey(e.venue, e.underlying, e.expiryTs);
    s.expiries.set(key, {
      venue: e.venue,
      underlying: e.underlying,
      expiryTs: e.expiryTs,
      forward: e.forward,
      fwdRecvTs: e.fwdRecvTs,
      dirtyAll: e.dirtyAll,
      instruments: new Map(e.instruments.map((i) => [i.instrument, { ...i }])),
      marks: new Map(e.marks.map(([name, price, recvTs]) => [name, { price, recvTs }])),
      dirty: new Set(e.dirty),
    });
    // Both maps gain and lose an expiry together, so the global order filtered by group is
    // the group's own order.
    s.groups.get(groupKey(e.venue, e.underlying))?.expiries.add(key);
  }
  for (const k of snap.expired) s.expired.add(k);
  return s;
}

/** Checks the shape of a checkpointed state before trusting it. */
export function isVolSnapshot(x: unknown): x is VolSnapshot {
  const s = x as Partial<VolSnapshot> | null;
  return !!s && s.v === 1 && Array.isArray(s.expiries) && Array.isArray(s.groups) && Array.isArray(s.expired);
}
