import {
  SCHEMA_VERSION, derivedId,
  type BookDelta, type BookEvent, type BookSnapshot, type Forward, type ForwardSource, type FuturePrice, type IndexPrice, type InstrumentDef,
  type Mark, type MdEvent, type OptionTerms, type OptionTicker, type Status, type TopOfBook,
} from '@volstream/events';
import type { Core } from '@volstream/runtime';
import { forwardFromLinearParity, forwardFromParity } from '@volstream/svi';
import { OrderBook, type Top } from './order-book.ts';
import { BookCoreState, type BookEntryState } from './state.ts';
import { CheckpointStateError } from './errors.ts';
import { Keyed } from './keyed.ts';

/**
 * A forward from an option ticker's `underlying_price` (the price Deribit's own IVs use,
 * EXCHANGES.md §1.9) is preferred; a future's mark stands in for an expiry only when no such
 * forward was seen for this long (venue time, ms).
 */
export const FORWARD_PREFERENCE_MS = 60_000;

/**
 * An expiry without a venue forward gets one derived from its tops (put-call parity, else the
 * index), recomputed at most once per window of event time (floor(ts / window)) in which its
 * tops or the index changed: bounded cost on busy books, and the same outputs on replay.
 */
export const DERIVED_FORWARD_WINDOW_MS = 1_000;

type BookCoreCounters = {
  /** Sequence gaps found (each made one book out of sync). */
  gaps: number;
  /** Deltas dropped: before the first snapshot, or while out of sync. */
  droppedDeltas: number;
  /** Levels removed by the crossed-book policy. */
  crossedLevelsRemoved: number;
};

export type BookCoreStats = BookCoreCounters & { books: number; outOfSync: number };

export type BookCore = Core<MdEvent, BookEvent> & { stats(): BookCoreStats };

type Entry = {
  /** The option's terms once md.instrument told them (book.top needs them). */
  terms: OptionTerms | undefined;
  venue: string;
  instrument: string;
  underlying: string;
  expiryTs: number | undefined;
  book: OrderBook;
  /** Last top emitted (null before the first), so only changes are published. */
  lastTop: Top | null;
  /** Member of its expiry's group (derived forwards) yet. */
  grouped?: boolean;
};

/** The options of one (venue, underlying, expiry), for a forward derived from their tops. */
type ExpiryGroup = {
  venue: string;
  underlying: string;
  expiryTs: number;
  /** Options with terms that published a top (not in the checkpoint: rebuilt from the books). */
  options: Entry[];
  /** Window of the last derivation (first one: the window of the first top), null before any top. */
  window: number | null;
  /** Tops or the index changed since the last derivation. */
  dirty: boolean;
};

type Cause = { id: string; venue: string; ts: number; recvTs: number };

type ForwardState = { forward: number; source: ForwardSource; sourceName: string | undefined; ts: number };

const isVenueForward = (f: ForwardState | undefined) => f !== undefined && (f.source === 'underlying_price' || f.source === 'future');

const sameTop = (a: Top | null, b: Top) => a !== null && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
const NULL_TOP: Top = [null, null, null, null];

/**
 * The book stage's pure core: MD events in, BOOK events out.
 *
 * - Option terms come from md.instrument; book.top is emitted only for options whose terms are
 *   known (it is self-contained), and only when best bid/ask price or size changes.
 * - A snapshot clears both sides. Deltas before the first snapshot are dropped. A delta whose
 *   prevSeq is not the book's last seq marks the book out of sync: ONE `status` book_resync and
 *   ONE book.top with both sides null, then deltas are dropped until the next snapshot. A
 *   connector's book_resync status for an instrument does the same (without a second status),
 *   except its `detail.phase: 'resynced'` notice, which flags the fresh snapshot that follows.
 * - Crossed books: `CROSSED_BOOK_POLICY` in order-book.ts.
 * - Forwards per (venue, underlying, expiry): md.ticker underlyingPrice, else md.future mark;
 *   book.forward only when the value changes. book.mark when an option's mark price changes.
 * - An expiry with neither (Binance; OKX before fwdPx) gets a derived forward: put-call parity
 *   of its two-sided tops (mids), else the venue's latest index (source 'parity' / 'index'),
 *   once per DERIVED_FORWARD_WINDOW_MS window after the one of its first top, never once a
 *   venue forward exists, nor on a venue whose tickers carry underlyingPrice for the underlying
 *   (its expiries wait for their own: a transient index forward would only bias the first vols).
 * - Status events from the MD stream pass through unchanged.
 * - A re-snapshot (a snapshot of a book that existed before, e.g. after a reconnect) whose top
 *   did not change re-sends that top with `refresh: true`, so consumers that dropped the venue's
 *   quotes while it was down get them back.
 * Ids: `derivedId(kind, input.id)`; no clock, so replay gives the same outputs.
 */
export function createBookCore(state?: unknown): BookCore {
  const terms = new Keyed<OptionTerms>();
  const nonOptions = new Keyed<true>();
  const books = new Keyed<Entry>();
  /** Keyed by venue, then `underlying|expiryTs`. */
  const forwards = new Keyed<ForwardState>();
  const marks = new Keyed<number>();
  /** Keyed by venue, then `underlying|expiryTs`, like forwards. */
  const groups = new Keyed<ExpiryGroup>();
  /** Latest index price by venue, then underlying. */
  const indexes = new Keyed<number>();
  /** (venue, underlying) whose tickers carry underlyingPrice: its expiries wait for their own
   * rather than take a derived forward for the seconds before their ticker arrives. */
  const tickerForwards = new Keyed<true>();
  const counters: BookCoreCounters = { gaps: 0, droppedDeltas: 0, crossedLevelsRemoved: 0 };

  if (state !== undefined) restore(state);

  function apply(e: MdEvent): BookEvent[] {
    switch (e.type) {
      case 'md.instrument':
        return onInstrument(e);
      case 'md.book.snapshot':
        return onSnapshot(e);
      case 'md.book.delta':
        return onDelta(e);
      case 'md.ticker':
        return onTicker(e);
      case 'md.future':
        return onFuture(e);
      case 'status':
        return onStatus(e);
      case 'md.index':
        return onIndex(e);
    }
  }

  function onInstrument(e: InstrumentDef): BookEvent[] {
    if (e.kind !== 'option' || e.expiryTs === undefined || e.strike === undefined || e.optionType === undefined) {
      nonOptions.set(e.venue, e.instrument, true);
      return [];
    }
    const known = terms.has(e.venue, e.instrument);
    const t: OptionTerms = {
      instrument: e.instrument, underlying: e.underlying, expiryTs: e.expiryTs, strike: e.strike,
      optionType: e.optionType, settlement: e.settlement, contractSize: e.contractSize,
    };
    terms.set(e.venue, e.instrument, t);
    const entry = books.get(e.venue, e.instrument);
    if (entry) entry.terms = t;
    // A book that was built before its terms arrived can now be published.
    if (known || !entry?.book.inSync) return [];
    return topIfChanged(entry, e);
  }

  function onSnapshot(e: BookSnapshot): BookEvent[] {
    if (nonOptions.has(e.venue, e.instrument)) return [];
    let entry = books.get(e.venue, e.instrument);
    const resnapshot = entry !== undefined;
    if (!entry) {
      entry = { terms: terms.get(e.venue, e.instrument), venue: e.venue, instrument: e.instrument, underlying: e.underlying, expiryTs: e.expiryTs, book: new OrderBook(), lastTop: null };
      books.set(e.venue, e.instrument, entry);
    }
    counters.crossedLevelsRemoved += entry.book.snapshot(e.bids, e.asks, e.seq);
    const changed = topIfChanged(entry, e);
    // A re-snapshot (resubscribe/reconnect) whose top did not change still re-sends it, flagged
    // `refresh`, so downstream stages that dropped the venue's quotes meanwhile get them back.
    // No forward derivation: nothing changed.
    if (changed.length > 0 || !resnapshot || !entry.terms || entry.lastTop === null) return changed;
    return [{ ...topEvent(entry.terms, entry.lastTop, entry.book.seq, e), refresh: true }];
  }

  function onDelta(e: BookDelta): BookEvent[] {
    const entry = books.get(e.venue, e.instrument);
    if (!entry || !entry.book.inSync) {
      if (!nonOptions.has(e.venue, e.instrument)) counters.droppedDeltas++;
      return [];
    }
    if (e.prevSeq !== entry.book.seq) {
      counters.gaps++;
      const status: Status = {
        type: 'status', v: SCHEMA_VERSION, id: derivedId('resync', e.id), venue: e.venue, ts: e.ts, recvTs: e.recvTs,
        kind: 'book_resync', stage: 'book', underlying: entry.underlying, instrument: entry.instrument,
        ...(entry.expiryTs !== undefined ? { expiryTs: entry.expiryTs } : {}),
        reason: `sequence gap: expected prevSeq ${entry.book.seq}, got ${e.prevSeq}; book withheld until the next snapshot`,
        detail: { expectedPrevSeq: entry.book.seq, prevSeq: e.prevSeq, seq: e.seq },
      };
      return [status, ...outOfSync(entry, e)];
    }
    counters.crossedLevelsRemoved += entry.book.delta(e.bids, e.asks, e.seq);
    return topIfChanged(entry, e);
  }

  /** Stop trusting a book: publish a top with both sides null (once) and wait for a snapshot. */
  function outOfSync(entry: Entry, e: BookDelta | Status): BookEvent[] {
    entry.book.inSync = false;
    const t = entry.terms;
    if (!t) return [];
    entry.lastTop = NULL_TOP;
    return [topEvent(t, NULL_TOP, 'seq' in e ? e.seq : entry.book.seq, e), ...topChanged(entry, t, e)];
  }

  function topIfChanged(entry: Entry, cause: Cause): BookEvent[] {
    const t = entry.terms;
    if (!t) return [];
    const top = entry.book.top();
    if (sameTop(entry.lastTop, top)) return [];
    entry.lastTop = top;
    return [topEvent(t, top, entry.book.seq, cause), ...topChanged(entry, t, cause)];
  }

  /** A published top changed: its expiry's derived forward may be due. */
  function topChanged(entry: Entry, t: OptionTerms, cause: Cause): Forward[] {
    const k = forwardKey(t.underlying, t.expiryTs);
    let g = groups.get(entry.venue, k);
    if (!g) groups.set(entry.venue, k, (g = { venue: entry.venue, underlying: t.underlying, expiryTs: t.expiryTs, options: [], window: null, dirty: false }));
    if (!entry.grouped) {
      entry.grouped = true;
      g.options.push(entry);
    }
    if (isVenueForward(forwards.get(entry.venue, k)) || tickerForwards.has(entry.venue, t.underlying)) return [];
    g.dirty = true;
    if (g.window === null) {
      g.window = Math.floor(cause.ts / DERIVED_FORWARD_WINDOW_MS);
      return [];
    }
    return derive(g, k, cause);
  }

  function onIndex(e: IndexPrice): BookEvent[] {
    return indexChanged(e.venue, e.underlying, e.price, e);
  }

  /** A new index price: the expiries on the index fallback (or with no forward yet) may be due. */
  function indexChanged(venue: string, underlying: string, price: number, cause: Cause): Forward[] {
    if (indexes.get(venue, underlying) === price) return [];
    indexes.set(venue, underlying, price);
    if (tickerForwards.has(venue, underlying)) return [];
    const out: Forward[] = [];
    for (const [k, g] of groups.entriesOf(venue)) {
      if (g.underlying !== underlying || g.window === null) continue;
      const f = forwards.get(venue, k);
      if (f !== undefined && f.source !== 'index') continue;
      g.dirty = true;
      const fwd = derive(g, k, cause);
      if (fwd.length) out.push(...fwd);
    }
    return out;
  }

  /** Recompute a dirty group's forward once per window; publish it when it changed. */
  function derive(g: ExpiryGroup, k: string, cause: Cause): Forward[] {
    const w = Math.floor(cause.ts / DERIVED_FORWARD_WINDOW_MS);
    if (!g.dirty || g.window === null || w <= g.window) return [];
    const prev = forwards.get(g.venue, k);
    if (isVenueForward(prev)) return [];
    g.window = w;
    g.dirty = false;
    let value: number | undefined = parityForward(g.options);
    let source: ForwardSource = 'parity';
    if (value === undefined) {
      value = indexes.get(g.venue, g.underlying);
      source = 'index';
    }
    if (value === undefined || (prev && prev.forward === value && prev.source === source)) return [];
    forwards.set(g.venue, k, { forward: value, source, sourceName: undefined, ts: cause.ts });
    return [{
      type: 'book.forward', v: SCHEMA_VERSION, id: derivedId('fwd', cause.id, g.expiryTs), venue: g.venue, ts: cause.ts, recvTs: cause.recvTs,
      underlying: g.underlying, expiryTs: g.expiryTs, forward: value, source,
    }];
  }

  function topEvent(t: OptionTerms, top: Top, seq: number, cause: { id: string; venue: string; ts: number; recvTs: number }): TopOfBook {
    return {
      type: 'book.top', v: SCHEMA_VERSION, id: derivedId('top', cause.id), venue: cause.venue, ts: cause.ts, recvTs: cause.recvTs,
      ...t, bid: top[0], bidSize: top[1], ask: top[2], askSize: top[3], seq,
    };
  }

  function onTicker(e: OptionTicker): BookEvent[] {
    const out: BookEvent[] = [];
    if (e.underlyingPrice !== undefined) {
      tickerForwards.set(e.venue, e.underlying, true);
      const f = setForward(e, e.expiryTs, e.underlyingPrice, 'underlying_price', e.underlyingIndex);
      if (f) out.push(f);
    }
    if (e.indexPrice !== undefined) out.push(...indexChanged(e.venue, e.underlying, e.indexPrice, e));
    if (e.markPrice !== undefined) {
      if (marks.get(e.venue, e.instrument) !== e.markPrice) {
        marks.set(e.venue, e.instrument, e.markPrice);
        const m: Mark = {
          type: 'book.mark', v: SCHEMA_VERSION, id: derivedId('mark', e.id), venue: e.venue, ts: e.ts, recvTs: e.recvTs,
          instrument: e.instrument, underlying: e.underlying, expiryTs: e.expiryTs, markPrice: e.markPrice,
          ...(e.markIv !== undefined ? { venueMarkIv: e.markIv } : {}),
        };
        out.push(m);
      }
    }
    return out;
  }

  function onFuture(e: FuturePrice): BookEvent[] {
    if (e.expiryTs === undefined) return []; // a perpetual has no expiry to be the forward of
    const prev = forwards.get(e.venue, forwardKey(e.underlying, e.expiryTs));
    if (prev?.source === 'underlying_price' && e.ts - prev.ts < FORWARD_PREFERENCE_MS) return [];
    const f = setForward(e, e.expiryTs, e.markPrice, 'future', e.instrument);
    return f ? [f] : [];
  }

  function setForward(e: OptionTicker | FuturePrice, expiryTs: number, value: number, source: ForwardSource, sourceName: string | undefined): Forward | undefined {
    const k = forwardKey(e.underlying, expiryTs);
    const prev = forwards.get(e.venue, k);
    if (prev && prev.forward === value && prev.source === source) {
      prev.ts = e.ts; // still current: keeps the underlying_price preference alive
      return undefined;
    }
    forwards.set(e.venue, k, { forward: value, source, sourceName, ts: e.ts });
    return {
      type: 'book.forward', v: SCHEMA_VERSION, id: derivedId('fwd', e.id), venue: e.venue, ts: e.ts, recvTs: e.recvTs,
      underlying: e.underlying, expiryTs, forward: value, source, ...(sourceName !== undefined ? { sourceName } : {}),
    };
  }

  function onStatus(e: Status): BookEvent[] {
    // A connector's `resynced` notice announces the fresh snapshot that follows it: a flag for
    // downstream, not a reason to withhold the book again.
    if (e.kind === 'book_resync' && e.stage !== 'book' && e.instrument !== undefined && e.detail?.phase !== 'resynced') {
      const entry = books.get(e.venue, e.instrument);
      if (entry?.book.inSync) return [e, ...outOfSync(entry, e)];
    }
    return [e];
  }

  function snapshot(): BookCoreState {
    return {
      v: 1,
      terms: [...terms.entries()].map(([venue, , t]) => ({ venue, ...t })),
      nonOptions: [...nonOptions.entries()].map(([venue, instrument]) => ({ venue, instrument })),
      books: [...books.values()].map((b): BookEntryState => ({
        venue: b.venue, instrument: b.instrument, underlying: b.underlying, ...(b.expiryTs !== undefined ? { expiryTs: b.expiryTs } : {}),
        seq: b.book.seq, inSync: b.book.inSync, bids: b.book.bids.levels(), asks: b.book.asks.levels(), lastTop: b.lastTop ? [...b.lastTop] : null,
      })),
      forwards: [...forwards.entries()].map(([venue, k, f]) => {
        const [underlying, expiryTs] = k.split('|');
        return { venue, underlying: underlying!, expiryTs: Number(expiryTs), forward: f.forward, source: f.source, ...(f.sourceName !== undefined ? { sourceName: f.sourceName } : {}), ts: f.ts };
      }),
      marks: [...marks.entries()].map(([venue, instrument, markPrice]) => ({ venue, instrument, markPrice })),
      counters: { ...counters },
      derived: [...groups.values()].map((g) => ({ venue: g.venue, underlying: g.underlying, expiryTs: g.expiryTs, window: g.window, dirty: g.dirty, options: g.options.map((o) => o.instrument) })),
      indexes: [...indexes.entries()].map(([venue, underlying, price]) => ({ venue, underlying, price })),
      tickerForwards: [...tickerForwards.entries()].map(([venue, underlying]) => ({ venue, underlying })),
    };
  }

  function restore(raw: unknown): void {
    const r = BookCoreState.safeParse(raw);
    if (!r.success) throw new CheckpointStateError(`book core state does not match its schema: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const s = r.data;
    for (const { venue, ...t } of s.terms) terms.set(venue, t.instrument, t);
    for (const { venue, instrument } of s.nonOptions) nonOptions.set(venue, instrument, true);
    for (const b of s.books) {
      const book = new OrderBook();
      for (const [p, a] of b.bids) book.bids.set(p, a);
      for (const [p, a] of b.asks) book.asks.set(p, a);
      book.seq = b.seq;
      book.inSync = b.inSync;
      books.set(b.venue, b.instrument, { terms: terms.get(b.venue, b.instrument), venue: b.venue, instrument: b.instrument, underlying: b.underlying, expiryTs: b.expiryTs, book, lastTop: b.lastTop });
    }
    for (const f of s.forwards) forwards.set(f.venue, forwardKey(f.underlying, f.expiryTs), { forward: f.forward, source: f.source, sourceName: f.sourceName, ts: f.ts });
    for (const m of s.marks) marks.set(m.venue, m.instrument, m.markPrice);
    Object.assign(counters, s.counters);
    for (const d of s.derived) {
      // Members in their original order, so the checkpoint round-trips exactly.
      const options = d.options.flatMap((i) => {
        const b = books.get(d.venue, i);
        if (b) b.grouped = true;
        return b ? [b] : [];
      });
      groups.set(d.venue, forwardKey(d.underlying, d.expiryTs), { venue: d.venue, underlying: d.underlying, expiryTs: d.expiryTs, window: d.window, dirty: d.dirty, options });
    }
    for (const i of s.indexes) indexes.set(i.venue, i.underlying, i.price);
    for (const t of s.tickerForwards) tickerForwards.set(t.venue, t.underlying, true);
  }

  function stats(): BookCoreStats {
    let outOfSync = 0;
    for (const b of books.values()) if (!b.book.inSync) outOfSync++;
    return { ...counters, books: books.size, outOfSync };
  }

  return { apply, snapshot, stats };
}

function forwardKey(underlying: string, expiryTs: number): string {
  return `${underlying}|${expiryTs}`;
}

/**
 * Put-call parity forward of an expiry from the mids of its two-sided tops, per settlement:
 * inverse (coin premiums) F = K / (1 - (C - P)), linear F = K + (C - P) per unit of underlying
 * (QUANT.md b8 / b9, r = 0). The settlement with more pairs wins (a tie: inverse); pairs go in
 * strike order so equal |C - P| ties resolve the same way every time.
 */
function parityForward(options: readonly Entry[]): number | undefined {
  const inverse = new Map<number, { c?: number; p?: number }>();
  const linear = new Map<number, { c?: number; p?: number }>();
  for (const o of options) {
    const t = o.terms;
    const top = o.lastTop;
    if (!t || !top || top[0] === null || top[2] === null) continue;
    const mid = t.settlement === 'inverse' ? (top[0] + top[2]) / 2 : (top[0] + top[2]) / 2 / t.contractSize;
    const m = t.settlement === 'inverse' ? inverse : linear;
    let pair = m.get(t.strike);
    if (!pair) m.set(t.strike, (pair = {}));
    if (t.optionType === 'call') pair.c = mid;
    else pair.p = mid;
  }
  const pairsOf = (m: Map<number, { c?: number; p?: number }>) =>
    [...m].flatMap(([strike, { c, p }]) => (c !== undefined && p !== undefined ? [{ strike, c, p }] : [])).sort((a, b) => a.strike - b.strike);
  const inv = pairsOf(inverse);
  const lin = pairsOf(linear);
  if (inv.length === 0 && lin.length === 0) return undefined;
  const r = inv.length >= lin.length
    ? forwardFromParity(inv.map(({ strike, c, p }) => ({ strike, callCoin: c, putCoin: p })))
    : forwardFromLinearParity(lin.map(({ strike, c, p }) => ({ strike, call: c, put: p })));
  return r && r.forward > 0 && r.forward < Infinity ? r.forward : undefined;
}
