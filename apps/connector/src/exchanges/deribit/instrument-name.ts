/**
 * Deribit instrument names (EXCHANGES.md §1.2):
 *   option     `BTC-5JUN20-9250-C`, linear `XRP_USDC-29JUN26-0d025-C` (`d` is the decimal point)
 *   future     `BTC-27MAR26`
 *   perpetual  `BTC-PERPETUAL`, `LINK_USDC-PERPETUAL`
 *   combos     `BTC-STRD-30SEP22-20000`, `BTC-FS-30SEP22_PERP`, `BTC-CSR12-16SEP22-21000_23000`
 * Every expiry is 08:00 UTC on the named day.
 */
export type DeribitName =
  | { kind: 'option'; base: string; quote: string | undefined; expiryTs: number; strike: number; optionType: 'call' | 'put' }
  | { kind: 'future'; base: string; quote: string | undefined; expiryTs: number }
  | { kind: 'perpetual'; base: string; quote: string | undefined };

const MONTHS: Record<string, number> = { JAN: 0, FEB: 1, MAR: 2, APR: 3, MAY: 4, JUN: 5, JUL: 6, AUG: 7, SEP: 8, OCT: 9, NOV: 10, DEC: 11 };
const EXPIRY_HOUR_UTC = 8;

const PERPETUAL_RE = /^([A-Z0-9]+)(?:_([A-Z0-9]+))?-PERPETUAL$/;
const FUTURE_RE = /^([A-Z0-9]+)(?:_([A-Z0-9]+))?-(\d{1,2})([A-Z]{3})(\d{2})$/;
const OPTION_RE = /^([A-Z0-9]+)(?:_([A-Z0-9]+))?-(\d{1,2})([A-Z]{3})(\d{2})-(\d+(?:d\d+)?)-([CP])$/;
/** A combo: the second dash-separated token is a strategy code (letters first), not a date. */
const COMBO_RE = /^[A-Z0-9]+(?:_[A-Z0-9]+)?-[A-Z]+[0-9]*-/;

/** 08:00 UTC of `5JUN20`-style date tokens, or undefined for an impossible date (31FEB). */
export function deribitExpiryTs(day: string, mon: string, yy: string): number | undefined {
  const m = MONTHS[mon];
  const d = Number(day);
  if (m === undefined || d < 1) return undefined;
  const ts = Date.UTC(2000 + Number(yy), m, d, EXPIRY_HOUR_UTC);
  return new Date(ts).getUTCDate() === d ? ts : undefined;
}

/** Parse a Deribit option, future or perpetual name; undefined for anything else (combos too). */
export function parseDeribitName(name: string): DeribitName | undefined {
  let m = OPTION_RE.exec(name);
  if (m) {
    const expiryTs = deribitExpiryTs(m[3]!, m[4]!, m[5]!);
    const strike = Number(m[6]!.replace('d', '.'));
    if (expiryTs === undefined || !(strike > 0) || !Number.isFinite(strike)) return undefined;
    return { kind: 'option', base: m[1]!, quote: m[2], expiryTs, strike, optionType: m[7] === 'C' ? 'call' : 'put' };
  }
  m = FUTURE_RE.exec(name);
  if (m) {
    const expiryTs = deribitExpiryTs(m[3]!, m[4]!, m[5]!);
    return expiryTs === undefined ? undefined : { kind: 'future', base: m[1]!, quote: m[2], expiryTs };
  }
  m = PERPETUAL_RE.exec(name);
  if (m) return { kind: 'perpetual', base: m[1]!, quote: m[2] };
  return undefined;
}

/** Combination instruments (straddles, future spreads...): real Deribit names we do not map. */
export function isDeribitCombo(name: string): boolean {
  return !PERPETUAL_RE.test(name) && COMBO_RE.test(name);
}
