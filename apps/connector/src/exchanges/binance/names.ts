import { expiryFromYymmdd } from '../common/expiry.ts';

/**
 * Binance European option symbols (EXCHANGES.md §4): `BTC-251219-89000-C`, a strike may be
 * decimal (`DOGE-231006-0.06-C`). Underlyings are index symbols `BTCUSDT`. Expiry 08:00 UTC.
 */
export type BinanceName = { base: string; expiryTs: number; expiry: string; strike: number; optionType: 'call' | 'put' };

const OPTION_RE = /^([A-Z0-9]+)-(\d{6})-(\d+(?:\.\d+)?)-([CP])$/i;

export function parseBinanceSymbol(symbol: string): BinanceName | undefined {
  const m = OPTION_RE.exec(symbol);
  if (!m) return undefined;
  const expiryTs = expiryFromYymmdd(m[2]!);
  const strike = Number(m[3]);
  if (expiryTs === undefined || !(strike > 0)) return undefined;
  return { base: m[1]!.toUpperCase(), expiryTs, expiry: m[2]!, strike, optionType: m[4]!.toUpperCase() === 'C' ? 'call' : 'put' };
}

/** `BTCUSDT` → `BTC` (the quote assets Binance options use). */
export function baseOfUnderlying(underlying: string): string | undefined {
  const m = /^([A-Z0-9]+?)(USDT|USDC|USD)$/.exec(underlying.toUpperCase());
  return m ? m[1] : undefined;
}

/**
 * Stream names of the two formats (EXCHANGES.md §4): 2023 (nbstream, uppercase symbols,
 * `@depth100@100ms`, `BTC@markPrice`, `BTCUSDT@index`) and 2025 (fstream, lowercase,
 * `@depth20@100ms`, `btcusdt@optionMarkPrice`).
 */
export type BinanceFormat = '2023' | '2025';

export const binanceStreams = {
  depth: (symbol: string, f: BinanceFormat, levels = f === '2023' ? 100 : 20) => `${f === '2025' ? symbol.toLowerCase() : symbol}@depth${levels}@100ms`,
  /** Per underlying (`BTCUSDT`): 2025 `btcusdt@optionMarkPrice`; 2023 `BTC@markPrice`. */
  markPrice: (underlying: string, f: BinanceFormat) => (f === '2025' ? `${underlying.toLowerCase()}@optionMarkPrice` : `${baseOfUnderlying(underlying) ?? underlying}@markPrice`),
  /** 2023 only: best prices and IVs of one expiry's options, `BTC@ticker@251219` (the 2025 mark-price rows carry them). */
  tickerByExpiry: (base: string, yymmdd: string) => `${base}@ticker@${yymmdd}`,
  /** 2023 only: `BTCUSDT@index` (the 2025 mark-price rows carry the index as `i`). */
  index: (underlying: string) => `${underlying}@index`,
  /** New listings: 2023 `option_pair`; 2025 `!optionSymbol`. */
  newSymbols: (f: BinanceFormat) => (f === '2025' ? '!optionSymbol' : 'option_pair'),
};
