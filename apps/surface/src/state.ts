import type { SmileSlice } from '@volstream/events';
import type { OkFit } from './fitter.ts';
import type { StoredPoint } from './quotes.ts';

/** Last good fit of an expiry: the published slice, and the fitter's own result (warm start). */
export type LastFit = { slice: SmileSlice; fit: OkFit };

/** One (venue, underlying, expiry). */
export type ExpiryState = {
  venue: string;
  underlying: string;
  expiryTs: number;
  /** Forward of the latest vol point, USD. */
  forward: number;
  /** recvTs of the latest vol point: the freshest market data a fit of this expiry contains. */
  lastRecvTs: number;
  points: Map<string, StoredPoint>;
  /** A point arrived since the last fit attempt. */
  changed: boolean;
  last: LastFit | null;
};

/** One (venue, underlying): when it fits next, and its expiries. */
export type GroupState = { venue: string; underlying: string; nextFitTs: number; expiries: Set<string> };

export type SurfaceState = { groups: Map<string, GroupState>; expiries: Map<string, ExpiryState> };

export const expiryKey = (venue: string, underlying: string, expiryTs: number): string => `${venue}|${underlying}|${expiryTs}`;
export const groupKey = (venue: string, underlying: string): string => `${venue}|${underlying}`;

/** Plain-data form (msgpack-encodable); arrays keep the maps' order. */
export type SurfaceSnapshot = {
  v: 1;
  groups: Omit<GroupState, 'expiries'>[];
  expiries: (Omit<ExpiryState, 'points'> & { points: StoredPoint[] })[];
};

export function emptyState(): SurfaceState {
  return { groups: new Map(), expiries: new Map() };
}

export function toSnapshot(s: SurfaceState): SurfaceSnapshot {
  return {
    v: 1,
    groups: [...s.groups.values()].map((g) => ({ venue: g.venue, underlying: g.underlying, nextFitTs: g.nextFitTs })),
    expiries: [...s.expiries.values()].map((e) => ({ ...e, points: [...e.points.values()] })),
  };
}

export function fromSnapshot(snap: SurfaceSnapshot): SurfaceState {
  const s = emptyState();
  for (const g of snap.groups) s.groups.set(groupKey(g.venue, g.underlying), { ...g, expiries: new Set() });
  for (const e of snap.expiries) {
    const key = expiryKey(e.venue, e.underlying, e.expiryTs);
    s.expiries.set(key, { ...e, points: new Map(e.points.map((p) => [p.instrument, p])) });
    s.groups.get(groupKey(e.venue, e.underlying))?.expiries.add(key);
  }
  return s;
}

export function isSurfaceSnapshot(x: unknown): x is SurfaceSnapshot {
  const s = x as Partial<SurfaceSnapshot> | null;
  return !!s && s.v === 1 && Array.isArray(s.groups) && Array.isArray(s.expiries);
}
