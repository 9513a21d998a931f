import { expiryFromDmy } from '../common/expiry.ts';

/**
 * Bybit option symbols (EXCHANGES.md §3): `BTC-30JUN23-45000-P`, same date style as Deribit
 * (day not padded); newer USDT-settled symbols carry a suffix (`…-P-USDT`, UNVERIFIED form,
 * accepted). Expiry = 08:00 UTC of the date.
 */
export type BybitName = { base: string; expiryTs: number; strike: number; optionType: 'call' | 'put'; settle: string | undefined };

const OPTION_RE = /^([A-Z0-9]+)-(\d{1,2})([A-Z]{3})(\d{2})-(\d+(?:\.\d+)?)-([CP])(?:-([A-Z]+))?$/;

export function parseBybitSymbol(symbol: string): BybitName | undefined {
  const m = OPTION_RE.exec(symbol);
  if (!m) return undefined;
  const expiryTs = expiryFromDmy(m[2]!, m[3]!, m[4]!);
  const strike = Number(m[5]);
  if (expiryTs === undefined || !(strike > 0)) return undefined;
  return { base: m[1]!, expiryTs, strike, optionType: m[6] === 'C' ? 'call' : 'put', settle: m[7] };
}

export const bybitBookTopic = (symbol: string, depth = 25) => `orderbook.${depth}.${symbol}`;
export const bybitTickerTopic = (symbol: string) => `tickers.${symbol}`;
