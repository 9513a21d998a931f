import { z } from 'zod';

/**
 * Numeric rules shared by the venues that send numbers as strings (OKX, Bybit, Binance): a
 * decimal string is parsed with `Number`, and the venue's "no value" spellings (`""`, `"0"`,
 * `"-1"` for Binance IVs) become `undefined`, never 0. See each venue's MAPPING_RULES.md.
 */

/** Venue timestamps (ms) we accept: 2001-09-09 .. 2100-01-01. Anything else is a broken frame. */
export const MIN_TS = 1_000_000_000_000;
export const MAX_TS = 4_102_444_800_000;

/** A plain decimal as venues print them (`"0.0005"`, `"-1.0"`, `"305"`, `"1e-7"`). */
const DECIMAL_RE = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Finite number of a decimal string; undefined for `""`, garbage, `∞` (real OKX v3 data) or overflow. */
export function dec(s: string | number | null | undefined): number | undefined {
  if (typeof s === 'number') return Number.isFinite(s) ? s : undefined;
  if (typeof s !== 'string' || !DECIMAL_RE.test(s)) return undefined;
  const x = Number(s);
  return Number.isFinite(x) ? x : undefined;
}

/** A price that must be > 0 to mean anything: `""`, `"0"`, negative → undefined. */
export function positive(s: string | number | null | undefined): number | undefined {
  const x = dec(s);
  return x !== undefined && x > 0 ? x : undefined;
}

export function nonNegative(s: string | number | null | undefined): number | undefined {
  const x = dec(s);
  return x !== undefined && x >= 0 ? x : undefined;
}

/**
 * An implied vol already given as a FRACTION: `""`, `"0"` (no quote) and negative values
 * (Binance's `-1` = none) → undefined.
 */
export function ivFraction(s: string | number | null | undefined): number | undefined {
  return positive(s);
}

/** A venue timestamp in ms, as a number or a digit string. */
export const TsRaw = z.union([z.number(), z.string().regex(/^\d{1,16}$/).transform(Number)])
  .pipe(z.number().int().min(MIN_TS, 'timestamp before 2001 (not ms?)').max(MAX_TS, 'timestamp after 2100'));

/** A decimal string that must parse (book levels): the frame is rejected otherwise. */
export const DecStr = z.string().regex(DECIMAL_RE, 'not a decimal string').refine((s) => Number.isFinite(Number(s)), 'not finite');

/** `[price, size, ...]` with the exact strings kept (OKX checksums need them). */
export const StrLevel = z.tuple([DecStr, DecStr]).rest(z.string());
export type StrLevel = z.infer<typeof StrLevel>;
