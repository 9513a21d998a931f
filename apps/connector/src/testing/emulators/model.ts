import { sviTotalVariance } from '@volstream/svi';
import { createRng, initVenue, stepVenue, truthOf, type BookData, type Level, type Rng, type Underlying, type VenueState } from '@volstream/sim';

/** An option of the simulated market, in the model's terms (Deribit name, coin prices). */
export type ModelOption = {
  /** Deribit-style name, e.g. `BTC-27NOV26-95000-C`: the emulators derive their venue's symbol from it. */
  name: string;
  underlying: Underlying;
  expiryTs: number;
  strike: number;
  isCall: boolean;
  /** Index in the model's instrument list. */
  index: number;
};

export type ModelOptions = {
  seed?: number;
  underlyings?: Underlying[];
  /** Options + futures the model simulates per underlying (approximate). */
  instrumentsPerUnderlying?: number;
  /** Options each emulated venue lists per underlying at start (the rest can be listed later). */
  listedPerUnderlying?: number;
  /** Book messages per second per underlying across the model's instruments (futures take ~8 per step first). */
  updatesPerSecond?: number;
};

export type ModelStep = {
  now: number;
  /** Listed options whose book changed in this step, with Deribit's change frame data. */
  books: Map<string, BookData>;
};

/**
 * The simulator's pure model (`@volstream/sim`: initVenue/stepVenue, seeded) behind every
 * venue emulator: it owns the true books (coin prices, coin amounts) and the true surface
 * (`truthOf`). Each emulator translates the same market into its venue's protocol and units.
 */
export class ModelDriver {
  state: VenueState;
  readonly options: ModelOption[] = [];
  readonly listed = new Set<string>();
  private readonly rng: Rng;
  private readonly byName = new Map<string, ModelOption>();

  constructor(opts: ModelOptions, now: number) {
    this.rng = createRng(opts.seed ?? 7);
    const underlyings = opts.underlyings ?? ['BTC'];
    this.state = initVenue({
      nowMs: now, rng: this.rng, underlyings, instrumentsPerUnderlying: opts.instrumentsPerUnderlying ?? 40,
      settings: { updatesPerSecond: opts.updatesPerSecond ?? 200, tickerIntervalMs: 200 },
    });
    for (const u of this.state.underlyings) {
      for (const inst of u.instruments) {
        if (inst.kind !== 'option') continue;
        const o: ModelOption = { name: inst.name, underlying: inst.underlying, expiryTs: inst.expiryTs, strike: inst.strike, isCall: inst.isCall, index: inst.index };
        this.options.push(o);
        this.byName.set(o.name, o);
      }
    }
    // List the options closest to the money among expiries at least a day away (a test never
    // sees them expire), both sides quoted, so every listed book is busy and two-sided.
    for (const u of underlyings) {
      const truth = truthOf(this.state, u);
      const candidates = this.options
        .filter((o) => o.underlying === u && o.expiryTs > now + 86_400_000 && this.bookOf(o).bids.length > 0 && this.bookOf(o).asks.length > 0)
        .map((o) => ({ o, d: Math.abs(Math.log(o.strike / (truth.expiries.find((e) => e.expiryTs === o.expiryTs)?.forward ?? truth.spot))) }))
        .sort((a, b) => a.d - b.d || a.o.name.localeCompare(b.o.name));
      for (const { o } of candidates.slice(0, opts.listedPerUnderlying ?? 4)) this.listed.add(o.name);
    }
  }

  option(name: string): ModelOption | undefined {
    return this.byName.get(name);
  }

  listedOptions(): ModelOption[] {
    return this.options.filter((o) => this.listed.has(o.name));
  }

  /** An option not listed yet, quoted on both sides (for "a listing appears" tests). */
  unlistedCandidate(underlying: Underlying = 'BTC'): ModelOption | undefined {
    const now = this.state.nowMs;
    return this.options.find((o) => o.underlying === underlying && !this.listed.has(o.name) && o.expiryTs > now + 86_400_000 && this.bookOf(o).bids.length > 0 && this.bookOf(o).asks.length > 0);
  }

  /** Advance the market to `now`; returns the listed books that changed. */
  step(now: number): ModelStep {
    const r = stepVenue(this.state, { nowMs: now, rng: this.rng });
    this.state = r.state;
    const books = new Map<string, BookData>();
    for (const n of r.notifications) {
      if (n.kind === 'book' && this.listed.has(n.data.instrument_name)) books.set(n.data.instrument_name, n.data);
    }
    return { now, books };
  }

  private bookOf(o: ModelOption) {
    const u = this.state.underlyings.find((x) => x.spec.underlying === o.underlying)!;
    return u.books[o.index]!;
  }

  /** The model's current book of an option: coin prices, coin amounts, best first, and its change_id. */
  book(name: string): { bids: readonly Level[]; asks: readonly Level[]; changeId: number } {
    const o = this.byName.get(name);
    if (!o) throw new Error(`no option ${name}`);
    const b = this.bookOf(o);
    return { bids: b.bids, asks: b.asks, changeId: b.changeId };
  }

  spot(underlying: Underlying): number {
    return truthOf(this.state, underlying).spot;
  }

  /** The true forward of the option's expiry (what a venue's `underlying_price`/`fwdPx` would say). */
  forward(name: string): number {
    const o = this.byName.get(name)!;
    const e = truthOf(this.state, o.underlying).expiries.find((x) => x.expiryTs === o.expiryTs);
    return e?.forward ?? this.spot(o.underlying);
  }

  /** The true implied vol of the option (SVI of the true surface at its log-moneyness), a fraction. */
  vol(name: string): number | undefined {
    const o = this.byName.get(name)!;
    const e = truthOf(this.state, o.underlying).expiries.find((x) => x.expiryTs === o.expiryTs);
    if (!e || !(e.t > 0)) return undefined;
    const w = sviTotalVariance(e.params, Math.log(o.strike / e.forward));
    return w > 0 ? Math.sqrt(w / e.t) : undefined;
  }

  /** Mid of the model book in coin, when both sides are quoted. */
  mid(name: string): number | undefined {
    const b = this.book(name);
    const bid = b.bids[0];
    const ask = b.asks[0];
    return bid && ask ? (bid[0] + ask[0]) / 2 : undefined;
  }
}

/** `YYMMDD` of an 08:00 UTC expiry (OKX, Binance symbols). */
export function yymmdd(expiryTs: number): string {
  return new Date(expiryTs).toISOString().slice(2, 10).replaceAll('-', '');
}

/** Shortest decimal text of a number on a price grid (no exponent, no float noise). */
export function decText(x: number, maxDecimals = 8): string {
  return String(Number(x.toFixed(maxDecimals)));
}
