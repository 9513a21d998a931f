/**
 * Types of the simulated venue's pure model. Wire payloads (`*Data`) keep Deribit's field names
 * (STYLE.md habit 5: raw exchange types keep the exchange's names).
 */
import type { SviRaw } from '@volstream/svi';

export type Underlying = 'BTC' | 'ETH';
export const UNDERLYINGS: readonly Underlying[] = ['BTC', 'ETH'];

/** Deribit `settlement_period` values (`day` is seen in real data, EXCHANGES.md §1.2). */
export type SettlementPeriod = 'day' | 'week' | 'month';

export type Expiry = {
  /** 08:00 UTC expiry, ms */
  ts: number;
  /** Deribit date token, e.g. `27NOV26` */
  label: string;
  period: SettlementPeriod;
  /** a listed future exists for this expiry (monthlies and quarterlies) */
  hasFuture: boolean;
};

export type OptionInstrument = {
  kind: 'option';
  /** position in `UnderlyingState.instruments` */
  index: number;
  /** Deribit-style numeric `instrument_id` */
  id: number;
  /** e.g. `BTC-27NOV26-95000-C` */
  name: string;
  underlying: Underlying;
  expiryIdx: number;
  expiryTs: number;
  /** USD */
  strike: number;
  isCall: boolean;
  creationTs: number;
  period: SettlementPeriod;
  /** the expiry's future name, or `SYN.BTC-27NOV26` when no future is listed */
  underlyingIndex: string;
  /** static: base coin */
  openInterest: number;
  /** static stats.volume, base coin */
  volume: number;
  /** static multiplier of the quoted half-spread, in [0.75, 1.25] */
  spreadJitter: number;
};

export type FutureInstrument = {
  kind: 'future';
  index: number;
  id: number;
  /** e.g. `BTC-27MAR26`, or `BTC-PERPETUAL` */
  name: string;
  underlying: Underlying;
  /** null for the perpetual */
  expiryIdx: number | null;
  expiryTs: number | null;
  creationTs: number;
  period: SettlementPeriod | 'perpetual';
  /** static: USD */
  openInterest: number;
  /** static stats.volume, base coin */
  volume: number;
};

export type Instrument = OptionInstrument | FutureInstrument;

/** One resting price level: [price, amount]. Options: price in coin, amount in coin; futures: USD, USD. */
export type Level = readonly [price: number, amount: number];

/** Current book of one instrument; sides sorted best first. */
export type Book = {
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
  /** change_id of the last message on this instrument's book channel */
  readonly changeId: number;
  /** ms of the last change */
  readonly ts: number;
};

/** SSVI surface state (Gatheral–Jacquier 2014 with power-law φ; QUANT.md b4). */
export type SurfaceParams = {
  /** ATM vol at t → 0, fraction */
  atmShort: number;
  /** ATM vol at t → ∞, fraction */
  atmLong: number;
  /** term-structure decay time, years */
  tau: number;
  /** SSVI ρ, shared by all expiries */
  rho: number;
  /** power-law φ scale η; η(1 + |ρ|) ≤ 2 */
  eta: number;
  /** power-law exponent γ ∈ (0, ½] */
  gamma: number;
};

export type Market = {
  /** index (spot) price, USD */
  spot: number;
  /** annualised basis b: F_T = S·exp(b·T) */
  basis: number;
  /** perpetual premium over the index, fraction */
  perpPremium: number;
  surface: SurfaceParams;
};

/** One expiry of the true surface at a given time. */
export type Slice = {
  expiryTs: number;
  /** years, ACT/365 (EXCHANGES.md §1.9) */
  t: number;
  /** F_T = S·exp(basis·t), USD */
  forward: number;
  /** ATM total variance θ_t */
  theta: number;
  /** φ(θ_t) */
  phi: number;
  /** raw SVI in total variance, k = ln(K/F) */
  params: SviRaw;
};

/** Fixed model parameters of one underlying (initial state, dynamics, quoting). */
export type UnderlyingSpec = {
  underlying: Underlying;
  /** Deribit index name, e.g. `btc_usd` */
  indexName: string;
  spot0: number;
  basis0: number;
  surface0: SurfaceParams;
  /** mean-reversion targets and hard bounds of the drifting parameters */
  bounds: {
    atm: readonly [number, number];
    rho: readonly [number, number];
    eta: readonly [number, number];
    basis: readonly [number, number];
  };
  /** Deribit min_trade_amount for options, base coin */
  optionMinAmount: number;
  /** median option level size, base coin */
  optionAmountMedian: number;
  /** ATM half-spread in vol (fraction), before jitter */
  halfSpreadVolAtm: number;
  /** extra half-spread in vol per standard deviation of moneyness */
  halfSpreadVolPerSd: number;
  futureTick: number;
  perpTick: number;
  /** futures contract size and min_trade_amount, USD */
  futureContractSize: number;
  futureAmountMedian: number;
};

export type ModelSettings = {
  /** target book-update messages per second per underlying (options + futures) */
  updatesPerSecond: number;
  /** model-time multiplier of the dynamics (timestamps and time-to-expiry stay wall time) */
  speed: number;
  /** minimum ms between two option tickers of one instrument */
  tickerIntervalMs: number;
  /** a step longer than this (e.g. after a suspended process) is shortened to it */
  maxStepMs: number;
};

export type UnderlyingState = {
  readonly spec: UnderlyingSpec;
  readonly expiries: readonly Expiry[];
  readonly instruments: readonly Instrument[];
  /** indices of options in `instruments` */
  readonly optionIdx: readonly number[];
  /** indices of futures (incl. perpetual) in `instruments` */
  readonly futureIdx: readonly number[];
  readonly byName: ReadonlyMap<string, number>;
  readonly market: Market;
  /** per expiry; null once expired */
  readonly slices: readonly (Slice | null)[];
  readonly books: readonly Book[];
  readonly lastTickerMs: readonly number[];
  /** book changed since the last ticker */
  readonly tickerDirty: readonly boolean[];
  /** instrument expired: book emptied, state `closed`, no more updates */
  readonly closed: readonly boolean[];
  /** fractional option updates carried to the next step */
  readonly updateCarry: number;
};

export type VenueState = {
  readonly nowMs: number;
  /** global change_id counter (Deribit's ids jump: not +1 per instrument, EXCHANGES.md §1.4) */
  readonly changeId: number;
  readonly settings: ModelSettings;
  readonly underlyings: readonly UnderlyingState[];
};

// ---- Deribit wire payloads (notification `params.data`) ----

export type LevelAction = 'new' | 'change' | 'delete';
export type LevelChange = [action: LevelAction, price: number, amount: number];

/** `book.{instrument}.100ms` data (EXCHANGES.md §1.4). */
export type BookData = {
  type: 'snapshot' | 'change';
  timestamp: number;
  instrument_name: string;
  change_id: number;
  prev_change_id?: number;
  bids: LevelChange[];
  asks: LevelChange[];
};

export type Greeks = { delta: number; gamma: number; vega: number; theta: number; rho: number };

export type TickerStats = {
  volume: number;
  volume_usd: number;
  price_change: number | null;
  low: number | null;
  high: number | null;
};

/** `ticker.{instrument}.100ms` data (EXCHANGES.md §1.6; field set of the real 2024 capture). */
export type TickerData = {
  instrument_name: string;
  timestamp: number;
  state: 'open' | 'closed';
  stats: TickerStats;
  open_interest: number;
  best_bid_price: number;
  best_bid_amount: number;
  best_ask_price: number;
  best_ask_amount: number;
  index_price: number;
  estimated_delivery_price: number;
  mark_price: number;
  last_price: number | null;
  settlement_price?: number;
  min_price: number;
  max_price: number;
  // options only
  underlying_price?: number;
  underlying_index?: string;
  interest_rate?: number;
  mark_iv?: number;
  bid_iv?: number;
  ask_iv?: number;
  greeks?: Greeks;
  // perpetual only
  funding_8h?: number;
  current_funding?: number;
  interest_value?: number;
};

/** `deribit_price_index.{index_name}` data (EXCHANGES.md §1.8). */
export type IndexData = { index_name: string; price: number; timestamp: number };

/** One push the model wants delivered to subscribers of `channel`. */
export type Notification =
  | { kind: 'book'; channel: string; data: BookData }
  | { kind: 'ticker'; channel: string; data: TickerData }
  | { kind: 'index'; channel: string; data: IndexData };

export type StepResult = { state: VenueState; notifications: Notification[] };

/** `GET /truth/{underlying}` body: the surface the books were generated from. */
export type Truth = {
  underlying: Underlying;
  ts: number;
  spot: number;
  expiries: {
    expiry: string;
    expiryTs: number;
    t: number;
    forward: number;
    params: SviRaw;
    atmVol: number;
  }[];
};
