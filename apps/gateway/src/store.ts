import { COMPOSITE_VENUE, type SmileFit, type Status, type Surface, type SurfaceEvent, type VolEvent, type VolPoint } from '@volstream/events';

/** Input of the store: everything the gateway reads from the SURFACE and VOL streams. */
export type StoreEvent = SurfaceEvent | VolEvent;

/**
 * What one `apply` changed, for the streaming side to fan out. `seq` counts changes of that
 * channel (starting at 1), so a client that sees seq jump knows it missed a state.
 */
export type StoreChange =
  | { kind: 'surface'; venue: string; underlying: string; seq: number }
  | { kind: 'smile'; venue: string; underlying: string; expiryTs: number; seq: number }
  | { kind: 'quote'; venue: string; underlying: string; expiryTs: number; instrument: string }
  | { kind: 'status'; seq: number };

/** Latest state of one (venue, underlying). */
export type VenueEntry = {
  readonly venue: string;
  readonly underlying: string;
  surface: Surface | undefined;
  /** Changes of this entry's surface channel. */
  seq: number;
  /** Store version at the entry's last surface: "most recently updated" without a clock. */
  version: number;
  /** Latest per-expiry fits (`surface.smile`), which may be newer than the surface. */
  readonly smiles: Map<number, SmileFit>;
  /** Changes of each expiry's fit (the `smile` channel's seq): a new surface slice or a newer smile fit. */
  readonly expirySeqs: Map<number, number>;
};

/** How many status events to keep for the desk. */
const STATUS_HISTORY = 200;

const key = (...parts: (string | number)[]) => parts.join('\u0000');
const bump = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);

/**
 * Pure in-memory projection of the SURFACE and VOL streams: the latest surface per
 * (venue, underlying), the latest fit per expiry, the latest vol point per instrument and the
 * recent status events. No clock and no I/O: the order of `apply` calls (the streams' order)
 * is the only notion of time, so a replay of the same messages gives the same state.
 */
export class SurfaceStore {
  /** underlying -> venue -> entry */
  private readonly entries = new Map<string, Map<string, VenueEntry>>();
  /** (venue, underlying, expiryTs) -> instrument -> latest vol point */
  private readonly quoteGroups = new Map<string, Map<string, VolPoint>>();
  private readonly statusLog: Status[] = [];
  private statusSeq = 0;
  private version = 0;
  /** Events applied, by type, for health and tests. */
  readonly counts = { surface: 0, smile: 0, quote: 0, status: 0 };

  apply(event: StoreEvent): StoreChange {
    this.version++;
    switch (event.type) {
      case 'surface.surface': return this.applySurface(event);
      case 'surface.smile': return this.applySmile(event);
      case 'vol.point': return this.applyQuote(event);
      case 'status': return this.applyStatus(event);
    }
  }

  private entry(venue: string, underlying: string): VenueEntry {
    let byVenue = this.entries.get(underlying);
    if (!byVenue) this.entries.set(underlying, (byVenue = new Map()));
    let e = byVenue.get(venue);
    if (!e) byVenue.set(venue, (e = { venue, underlying, surface: undefined, seq: 0, version: 0, smiles: new Map(), expirySeqs: new Map() }));
    return e;
  }

  private applySurface(s: Surface): StoreChange {
    this.counts.surface++;
    const e = this.entry(s.venue, s.underlying);
    e.surface = s;
    e.seq++;
    e.version = this.version;
    // Each slice is a change of its expiry, unless it is the smile fit of the same round that
    // was already applied (the surface stage emits a round's smiles, then its surface).
    for (const slice of s.expiries) {
      const f = e.smiles.get(slice.expiryTs);
      if (!(f && f.ts === s.ts)) bump(e.expirySeqs, slice.expiryTs);
    }
    for (const expiryTs of e.expirySeqs.keys()) if (expiryTs <= s.ts) e.expirySeqs.delete(expiryTs);
    // Expiries at or before the fit time are gone: drop their fits and quotes so memory does not
    // grow with every expiry ever listed (the VOL stream keeps expired instruments for a day).
    // A smile fit no newer than this surface is superseded by the surface's own slice.
    for (const [expiryTs, f] of e.smiles) if (expiryTs <= s.ts || f.ts <= s.ts) e.smiles.delete(expiryTs);
    for (const [k, group] of this.quoteGroups) {
      const first = group.values().next().value;
      if (first && first.venue === s.venue && first.underlying === s.underlying && first.expiryTs <= s.ts) this.quoteGroups.delete(k);
    }
    return { kind: 'surface', venue: s.venue, underlying: s.underlying, seq: e.seq };
  }

  private applySmile(f: SmileFit): StoreChange {
    this.counts.smile++;
    const e = this.entry(f.venue, f.underlying);
    // Kept only when newer than the surface (a surface carries the same fits of its run).
    if (!e.surface || f.ts > e.surface.ts) {
      e.smiles.set(f.expiryTs, f);
      bump(e.expirySeqs, f.expiryTs);
    }
    return { kind: 'smile', venue: f.venue, underlying: f.underlying, expiryTs: f.expiryTs, seq: e.expirySeqs.get(f.expiryTs) ?? 0 };
  }

  private applyQuote(p: VolPoint): StoreChange {
    this.counts.quote++;
    const k = key(p.venue, p.underlying, p.expiryTs);
    let group = this.quoteGroups.get(k);
    if (!group) this.quoteGroups.set(k, (group = new Map()));
    group.set(p.instrument, p);
    return { kind: 'quote', venue: p.venue, underlying: p.underlying, expiryTs: p.expiryTs, instrument: p.instrument };
  }

  private applyStatus(s: Status): StoreChange {
    this.counts.status++;
    this.statusLog.push(s);
    if (this.statusLog.length > STATUS_HISTORY) this.statusLog.shift();
    return { kind: 'status', seq: ++this.statusSeq };
  }

  /** Underlyings that have at least one surface, sorted. */
  underlyings(): string[] {
    return [...this.entries].filter(([, m]) => [...m.values()].some((e) => e.surface)).map(([u]) => u).sort();
  }

  /** Venues with a surface, for one underlying or for all, sorted. */
  venues(underlying?: string): string[] {
    const maps = underlying === undefined ? [...this.entries.values()] : [this.entries.get(underlying) ?? new Map<string, VenueEntry>()];
    const out = new Set<string>();
    for (const m of maps) for (const e of m.values()) if (e.surface) out.add(e.venue);
    return [...out].sort();
  }

  /** Every (venue, underlying) entry that has a surface. */
  surfaces(): VenueEntry[] {
    const out: VenueEntry[] = [];
    for (const m of this.entries.values()) for (const e of m.values()) if (e.surface) out.push(e);
    return out;
  }

  /**
   * The venue served when a request names none: the only venue, else `composite` when present,
   * else the most recently updated one.
   */
  defaultVenue(underlying: string): string | undefined {
    const withSurface = [...(this.entries.get(underlying)?.values() ?? [])].filter((e) => e.surface);
    if (withSurface.length === 0) return undefined;
    if (withSurface.length === 1) return withSurface[0]!.venue;
    if (withSurface.some((e) => e.venue === COMPOSITE_VENUE)) return COMPOSITE_VENUE;
    return withSurface.reduce((a, b) => (b.version > a.version ? b : a)).venue;
  }

  /** Latest surface entry of an underlying on a venue (default: `defaultVenue`). */
  surface(underlying: string, venue?: string): VenueEntry | undefined {
    const v = venue ?? this.defaultVenue(underlying);
    if (v === undefined) return undefined;
    const e = this.entries.get(underlying)?.get(v);
    return e?.surface ? e : undefined;
  }

  /** Latest `surface.smile` of one expiry when it is newer (by `ts`) than the entry's surface. */
  smile(underlying: string, venue: string, expiryTs: number): SmileFit | undefined {
    return this.entries.get(underlying)?.get(venue)?.smiles.get(expiryTs);
  }

  /**
   * Latest vol points of one expiry, sorted by strike then type. For the composite venue, the
   * quotes of every venue (each point names its venue).
   */
  quotes(underlying: string, venue: string, expiryTs: number): VolPoint[] {
    const venues = venue === COMPOSITE_VENUE ? this.quoteVenues(underlying) : [venue];
    const out: VolPoint[] = [];
    for (const v of venues) for (const p of this.quoteGroups.get(key(v, underlying, expiryTs))?.values() ?? []) out.push(p);
    return out.sort((a, b) => a.strike - b.strike || a.optionType.localeCompare(b.optionType) || a.venue.localeCompare(b.venue));
  }

  private quoteVenues(underlying: string): string[] {
    const out = new Set<string>();
    for (const group of this.quoteGroups.values()) {
      const first = group.values().next().value;
      if (first && first.underlying === underlying) out.add(first.venue);
    }
    return [...out];
  }

  /** Changes of one expiry's fit on an entry (0 before the first). */
  expirySeq(e: VenueEntry, expiryTs: number): number {
    return e.expirySeqs.get(expiryTs) ?? 0;
  }

  /** Latest vol point of every instrument, optionally of one underlying and/or venue. */
  *allQuotes(filter: { underlying?: string; venue?: string } = {}): Generator<VolPoint> {
    for (const group of this.quoteGroups.values()) {
      const first = group.values().next().value;
      if (!first || (filter.underlying !== undefined && first.underlying !== filter.underlying) || (filter.venue !== undefined && first.venue !== filter.venue)) continue;
      yield* group.values();
    }
  }

  /** Underlyings with vol points (possibly before their first surface), sorted. */
  quoteUnderlyings(): string[] {
    const out = new Set<string>();
    for (const group of this.quoteGroups.values()) {
      const first = group.values().next().value;
      if (first) out.add(first.underlying);
    }
    return [...out].sort();
  }

  /** Number of instruments with a current vol point. */
  quoteCount(): number {
    let n = 0;
    for (const g of this.quoteGroups.values()) n += g.size;
    return n;
  }

  /** Recent status events, oldest first, and the sequence of the newest. */
  statuses(): { seq: number; events: readonly Status[] } {
    return { seq: this.statusSeq, events: this.statusLog };
  }
}
