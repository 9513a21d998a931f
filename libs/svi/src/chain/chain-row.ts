/**
 * One option of a chain snapshot, normalised from an exchange/vendor file.
 * Prices are in COIN (Deribit inverse options); IVs are fractions; null means "no value".
 */
export type ChainRow = {
  exchange: string;
  /** exchange symbol, e.g. BTC-22MAY20-9250-P */
  instrument: string;
  /** base coin from the symbol, e.g. BTC */
  underlying: string;
  /** exchange timestamp of the row, ms since epoch */
  ts: number;
  /** expiry, ms since epoch */
  expiryTs: number;
  /** strike, USD */
  strike: number;
  isCall: boolean;
  /** best bid / ask / mark premium in coin; null when absent (Deribit sends 0) */
  bidPrice: number | null;
  askPrice: number | null;
  markPrice: number | null;
  /** the exchange's own IVs as fractions; null when absent (Deribit: 0, or 500 on a dead side) */
  bidIv: number | null;
  askIv: number | null;
  markIv: number | null;
  /** forward of this expiry (Deribit `underlying_price`: future or SYN synthetic), USD */
  forward: number;
  /** e.g. SYN.BTC-22MAY20 or BTC-26JUN20 */
  underlyingIndex: string | null;
  /** exchange vega (USD per vol point), null when absent */
  vega: number | null;
  /** 1-based line in the source file */
  line: number;
};

/** Result of parsing a chain file: rows, or the first malformed line. */
export type ChainParseResult =
  | { ok: true; rows: ChainRow[]; skipped: Record<string, number> }
  | { ok: false; line: number; error: string };

/** Base coin of a Deribit-style symbol (`BTC-22MAY20-9250-P` → `BTC`, `SOL_USDC-…` → `SOL_USDC`). */
export function underlyingOf(instrument: string): string {
  const i = instrument.indexOf('-');
  return i > 0 ? instrument.slice(0, i) : instrument;
}

/** Deribit IV in percent → fraction, with 0 and ≥ 500 (dead side) meaning "none". */
export function deribitIv(pct: number | null): number | null {
  if (pct === null || !Number.isFinite(pct) || pct <= 0 || pct >= 500) return null;
  return pct / 100;
}

/** A positive finite price, or null (Deribit sends 0 for a missing side). */
export function positiveOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) && x > 0 ? x : null;
}
