/**
 * The simulated venue's pure core (STYLE.md habits 1–2): `initVenue` builds the listing and the
 * first books, `stepVenue(state, { nowMs, rng })` advances the market and returns the new state plus
 * the Deribit notifications to publish. No clock, no I/O, no Math.random: time and the seeded
 * generator are parameters, so the same seed and step times give the same frames.
 *
 * Expiry policy: instruments are listed once, at init (no rolling). When an expiry passes while
 * running, its instruments are closed: one `change` notification deletes every level, one ticker
 * with `state: "closed"` (the value in Deribit's real expired ticker, EXCHANGES.md §1.6) is pushed,
 * and they receive no further updates; they stay subscribable and are returned by
 * get_instruments with `expired: true`. The truth drops the expired slice.
 */
import type { Rng } from '../rng.ts';
import { diffSide, snapshotSide } from './book-diff.ts';
import { listExpiries } from './calendar.ts';
import { evolveMarket } from './dynamics.ts';
import { buildInstruments } from './instruments.ts';
import { futureBook, optionBook } from './quotes.ts';
import { UNDERLYING_SPECS } from './specs.ts';
import { slicesAt, YEAR_MS } from './surface.ts';
import { futurePrice, round, tickerFor } from './ticker.ts';
import type {
  Book,
  BookData,
  Level,
  ModelSettings,
  Notification,
  StepResult,
  Truth,
  Underlying,
  UnderlyingSpec,
  UnderlyingState,
  VenueState,
} from './types.ts';

export const DEFAULT_MODEL_SETTINGS: ModelSettings = {
  updatesPerSecond: 300,
  speed: 1,
  tickerIntervalMs: 1000,
  maxStepMs: 1000,
};

export type InitVenueInput = {
  nowMs: number;
  rng: Rng;
  underlyings: readonly Underlying[];
  /** instruments per underlying (options + futures), approximately */
  instrumentsPerUnderlying: number;
  settings?: Partial<ModelSettings>;
  /** override of the per-underlying model parameters (tests) */
  specs?: Partial<Record<Underlying, UnderlyingSpec>>;
};

/** First change_id; Deribit's are large global counters (e.g. 31479771122 in a real 2021 snapshot). */
const FIRST_CHANGE_ID = 1_000_000_000;

export function bookChannel(name: string): string {
  return `book.${name}.100ms`;
}
export function tickerChannel(name: string): string {
  return `ticker.${name}.100ms`;
}
export function indexChannel(indexName: string): string {
  return `deribit_price_index.${indexName}`;
}

export function initVenue({ nowMs, rng, underlyings, instrumentsPerUnderlying, settings, specs }: InitVenueInput): VenueState {
  let changeId = FIRST_CHANGE_ID;
  let nextId = 100_000;
  const states: UnderlyingState[] = [];
  for (const underlying of underlyings) {
    const spec = specs?.[underlying] ?? UNDERLYING_SPECS[underlying];
    const market = { spot: spec.spot0, basis: spec.basis0, perpPremium: 0.0002, surface: spec.surface0 };
    const expiries = listExpiries({ nowMs });
    const futures = expiries.filter((e) => e.hasFuture).length + 1;
    const instruments = buildInstruments({
      underlying,
      expiries,
      market,
      nowMs,
      optionCount: Math.max(2 * expiries.length, instrumentsPerUnderlying - futures),
      firstId: nextId,
      rng,
    });
    nextId += instruments.length + 1000;
    const slices = slicesAt({ market, expiries, nowMs });
    const partial: UnderlyingState = {
      spec,
      expiries,
      instruments,
      optionIdx: instruments.filter((i) => i.kind === 'option').map((i) => i.index),
      futureIdx: instruments.filter((i) => i.kind === 'future').map((i) => i.index),
      byName: new Map(instruments.map((i) => [i.name, i.index])),
      market,
      slices,
      books: [],
      lastTickerMs: [],
      tickerDirty: [],
      closed: instruments.map(() => false),
      updateCarry: 0,
    };
    const books: Book[] = instruments.map((inst) => {
      const { bids, asks } = quoteInstrument({ u: partial, index: inst.index, rng, prev: undefined });
      return { bids, asks, changeId: changeId++, ts: nowMs };
    });
    // No ticker is due at start: subscribers get the current ticker on subscribe.
    states.push({ ...partial, books, lastTickerMs: instruments.map(() => nowMs), tickerDirty: instruments.map(() => false) });
  }
  return { nowMs, changeId, settings: { ...DEFAULT_MODEL_SETTINGS, ...settings }, underlyings: states };
}

/** New levels for one instrument from the current market (null-free: expired ones get empty sides). */
function quoteInstrument({ u, index, rng, prev }: { u: UnderlyingState; index: number; rng: Rng; prev: Book | undefined }): { bids: Level[]; asks: Level[] } {
  const inst = u.instruments[index];
  if (inst === undefined) throw new RangeError(`no instrument at index ${index}`);
  if (inst.kind === 'option') {
    const slice = u.slices[inst.expiryIdx];
    if (!slice) return { bids: [], asks: [] };
    return optionBook({ slice, strike: inst.strike, isCall: inst.isCall, spec: u.spec, rng, spreadJitter: inst.spreadJitter, prev });
  }
  if (inst.expiryIdx !== null && !u.slices[inst.expiryIdx]) return { bids: [], asks: [] };
  const tick = inst.expiryIdx === null ? u.spec.perpTick : u.spec.futureTick;
  return futureBook({ mid: futurePrice(u, inst), tick, spec: u.spec, rng, prev });
}

/**
 * Advance the venue to `nowMs` (wall time). Per underlying:
 * 1. market dynamics over (nowMs − state.nowMs)·speed of model time, then the truth slices;
 * 2. newly expired instruments are closed (see the module comment);
 * 3. every future and the perpetual is re-quoted; options are re-quoted at random so that
 *    options + futures ≈ `updatesPerSecond` book messages per second;
 * 4. a `change` is emitted per book that changed, with the next global change_id and
 *    prev_change_id = that book's previous change_id;
 * 5. tickers: futures every step; an option when its top of book changed since its last ticker
 *    and at least `tickerIntervalMs` has passed; the price index every step.
 */
export function stepVenue(state: VenueState, { nowMs, rng }: { nowMs: number; rng: Rng }): StepResult {
  const { settings } = state;
  const dtMs = Math.min(settings.maxStepMs, Math.max(0, nowMs - state.nowMs));
  const dtYears = (dtMs * settings.speed) / YEAR_MS;
  let changeId = state.changeId;
  const notifications: Notification[] = [];
  const underlyings: UnderlyingState[] = [];

  for (const prevU of state.underlyings) {
    const market = evolveMarket({ market: prevU.market, spec: prevU.spec, dtYears, rng });
    const slices = slicesAt({ market, expiries: prevU.expiries, nowMs });
    const books = prevU.books.slice();
    const lastTickerMs = prevU.lastTickerMs.slice();
    const tickerDirty = prevU.tickerDirty.slice();
    const closed = prevU.closed.slice();
    const u: UnderlyingState = { ...prevU, market, slices, books, lastTickerMs, tickerDirty, closed };

    /** Emit the change (if any) and store the book; returns whether the top of book changed. */
    const publishBook = (index: number, bids: readonly Level[], asks: readonly Level[]): 'none' | 'deep' | 'top' => {
      const prev = books[index] as Book;
      const db = diffSide(prev.bids, bids);
      const da = diffSide(prev.asks, asks);
      if (db.length === 0 && da.length === 0) return 'none';
      const id = ++changeId;
      const name = (u.instruments[index] as { name: string }).name;
      const data: BookData = {
        type: 'change',
        timestamp: nowMs,
        instrument_name: name,
        change_id: id,
        prev_change_id: prev.changeId,
        bids: db,
        asks: da,
      };
      books[index] = { bids, asks, changeId: id, ts: nowMs };
      notifications.push({ kind: 'book', channel: bookChannel(name), data });
      return sameLevel(prev.bids[0], bids[0]) && sameLevel(prev.asks[0], asks[0]) ? 'deep' : 'top';
    };

    // 2. close instruments of expiries that just passed
    for (let e = 0; e < slices.length; e++) {
      if (slices[e] !== null || prevU.slices[e] === null) continue;
      for (const inst of u.instruments) {
        if (inst.expiryIdx !== e || closed[inst.index]) continue;
        closed[inst.index] = true;
        publishBook(inst.index, [], []);
        lastTickerMs[inst.index] = nowMs;
        tickerDirty[inst.index] = false;
        notifications.push({ kind: 'ticker', channel: tickerChannel(inst.name), data: tickerFor({ u, index: inst.index, nowMs }) });
      }
    }

    // 3–4. futures every step, then a random share of options
    let futureMessages = 0;
    for (const index of u.futureIdx) {
      if (closed[index]) continue;
      const q = quoteInstrument({ u, index, rng, prev: books[index] });
      if (publishBook(index, q.bids, q.asks) !== 'none') futureMessages++;
    }
    const wanted = u.updateCarry + (settings.updatesPerSecond * dtMs) / 1000 - futureMessages;
    const n = Math.max(0, Math.floor(wanted));
    const updateCarry = Math.max(0, wanted - n);
    const picked = new Set<number>();
    let published = 0;
    for (let tries = 0; published < n && tries < 3 * n; tries++) {
      const index = u.optionIdx[rng.int(u.optionIdx.length)] as number;
      if (closed[index] || picked.has(index)) continue;
      picked.add(index);
      const q = quoteInstrument({ u, index, rng, prev: books[index] });
      const changed = publishBook(index, q.bids, q.asks);
      if (changed !== 'none') published++;
      // A ticker carries only the top of book and the mark: deeper changes do not make one due.
      if (changed === 'top') tickerDirty[index] = true;
    }

    // 5. tickers and index
    for (const index of u.futureIdx) {
      if (closed[index]) continue;
      const name = (u.instruments[index] as { name: string }).name;
      notifications.push({ kind: 'ticker', channel: tickerChannel(name), data: tickerFor({ u, index, nowMs }) });
    }
    for (const index of u.optionIdx) {
      if (!tickerDirty[index] || nowMs - (lastTickerMs[index] as number) < settings.tickerIntervalMs) continue;
      tickerDirty[index] = false;
      lastTickerMs[index] = nowMs;
      const name = (u.instruments[index] as { name: string }).name;
      notifications.push({ kind: 'ticker', channel: tickerChannel(name), data: tickerFor({ u, index, nowMs }) });
    }
    notifications.push({
      kind: 'index',
      channel: indexChannel(u.spec.indexName),
      data: { index_name: u.spec.indexName, price: round(market.spot, 2), timestamp: nowMs },
    });
    underlyings.push({ ...u, updateCarry });
  }
  return { state: { ...state, nowMs, changeId, underlyings }, notifications };
}

function sameLevel(a: Level | undefined, b: Level | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1]);
}

export function findUnderlying(state: VenueState, underlying: string): UnderlyingState | undefined {
  return state.underlyings.find((u) => u.spec.underlying === underlying);
}

/** Locate an instrument by Deribit name across underlyings. */
export function findInstrument(state: VenueState, name: string): { u: UnderlyingState; index: number } | undefined {
  for (const u of state.underlyings) {
    const index = u.byName.get(name);
    if (index !== undefined) return { u, index };
  }
  return undefined;
}

/** `type: "snapshot"` book notification of the current book (first message after subscribe). */
export function bookSnapshot({ u, index, nowMs }: { u: UnderlyingState; index: number; nowMs: number }): BookData {
  const book = u.books[index] as Book;
  return {
    type: 'snapshot',
    timestamp: nowMs,
    instrument_name: (u.instruments[index] as { name: string }).name,
    change_id: book.changeId,
    bids: snapshotSide(book.bids),
    asks: snapshotSide(book.asks),
  };
}

/** The true surface of one underlying at the state's time (only unexpired expiries). */
export function truthOf(state: VenueState, underlying: Underlying): Truth {
  const u = findUnderlying(state, underlying);
  if (!u) throw new RangeError(`underlying ${underlying} is not simulated`);
  const expiries: Truth['expiries'] = [];
  u.expiries.forEach((e, i) => {
    const s = u.slices[i];
    if (!s) return;
    expiries.push({
      expiry: new Date(e.ts).toISOString(),
      expiryTs: e.ts,
      t: s.t,
      forward: s.forward,
      params: s.params,
      atmVol: Math.sqrt(s.theta / s.t),
    });
  });
  return { underlying, ts: state.nowMs, spot: u.market.spot, expiries };
}
