import { SCHEMA_VERSION, TOKEN_RE, type InstrumentDef } from '@volstream/events';

// Numeric rules of the connector's Deribit mapper (apps/connector/.../deribit/MAPPING_RULES.md),
// repeated here so an imported row and the same quote seen live become the same numbers.

/** A price that must be > 0 to mean anything (best bid/ask, forward): 0 or none = undefined. */
export const positive = (x: number | null): number | undefined => (x !== null && x > 0 ? x : undefined);

export const nonNegative = (x: number | null): number | undefined => (x !== null && x >= 0 ? x : undefined);

/** Deribit's dead-quote IV sentinel, percent (EXCHANGES.md §1.6). */
const DEAD_IV_PERCENT = 500;

/** Deribit IV percent -> fraction, rounded to 1e-10 (only removes binary noise: 72.96 / 100 is
 * 0.7295999999999999); 0 (no quote) and 500 (dead quote) = undefined. */
export const ivFraction = (x: number | null): number | undefined => (x !== null && x > 0 && x !== DEAD_IV_PERCENT ? Math.round(x * 1e8) / 1e10 : undefined);

/** Drops undefined fields, which the schemas' optional fields do not accept as values. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export type OptionListing = {
  id: string;
  venue: string;
  ts: number;
  recvTs: number;
  instrument: string;
  underlying: string;
  expiryTs: number;
  strike: number;
  optionType: 'call' | 'put';
};

/**
 * The md.instrument of a Deribit coin-settled (inverse) option seen in a file: premium in the
 * base coin, 1 coin per contract (Deribit BTC/ETH options). Files carry no listing of their own,
 * and the book stage publishes no top before an option's terms are known.
 */
export function inverseOptionInstrument(o: OptionListing): InstrumentDef {
  return {
    type: 'md.instrument', v: SCHEMA_VERSION, id: o.id, venue: o.venue, ts: o.ts, recvTs: o.recvTs,
    instrument: o.instrument, underlying: o.underlying, kind: 'option', expiryTs: o.expiryTs, strike: o.strike,
    optionType: o.optionType, settlement: 'inverse', contractSize: 1, quoteCurrency: o.underlying, active: true,
  };
}

export const isToken = (s: string): boolean => TOKEN_RE.test(s);
