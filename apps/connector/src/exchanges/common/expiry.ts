/** Every venue here expires options at 08:00 UTC (EXCHANGES.md §0: tardis-node hard-codes it too). */
export const EXPIRY_HOUR_UTC = 8;

const MONTHS: Record<string, number> = { JAN: 0, FEB: 1, MAR: 2, APR: 3, MAY: 4, JUN: 5, JUL: 6, AUG: 7, SEP: 8, OCT: 9, NOV: 10, DEC: 11 };

/** 08:00 UTC of a calendar date, or undefined for an impossible one (31 Feb). */
export function expiryAt(year: number, month0: number, day: number): number | undefined {
  if (!(day >= 1) || !(month0 >= 0 && month0 <= 11)) return undefined;
  const ts = Date.UTC(year, month0, day, EXPIRY_HOUR_UTC);
  return new Date(ts).getUTCDate() === day ? ts : undefined;
}

/** `YYMMDD` (OKX, Binance) → 08:00 UTC. */
export function expiryFromYymmdd(s: string): number | undefined {
  if (!/^\d{6}$/.test(s)) return undefined;
  return expiryAt(2000 + Number(s.slice(0, 2)), Number(s.slice(2, 4)) - 1, Number(s.slice(4, 6)));
}

/** `5JUN20` / `30JUN23` (Deribit, Bybit) → 08:00 UTC. */
export function expiryFromDmy(day: string, mon: string, yy: string): number | undefined {
  const m = MONTHS[mon];
  return m === undefined ? undefined : expiryAt(2000 + Number(yy), m, Number(day));
}

/**
 * Instrument names in events must route to a subject token, which cannot hold `.`. A decimal
 * strike (`XRP-231006-0.44-C`) is written with `d` for the point, Deribit's own spelling
 * (`XRP_USDC-29JUN26-0d025-C`), so the same option reads the same on every venue. The venue's
 * symbol is recovered with `venueSymbol`.
 */
export function eventInstrument(symbol: string): string {
  return symbol.replace(/(\d)\.(\d)/g, '$1d$2');
}

/** Inverse of `eventInstrument` for symbols that use upper-case letters (all venues here). */
export function venueSymbol(instrument: string): string {
  return instrument.replace(/(\d)d(\d)/g, '$1.$2');
}
