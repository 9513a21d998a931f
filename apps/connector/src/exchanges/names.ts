/** Venues the connector can run (one session each, all in one process). */
export const VENUE_NAMES = ['deribit', 'okx', 'bybit', 'binance'] as const;
export type VenueName = (typeof VENUE_NAMES)[number];

export function isVenueName(s: string): s is VenueName {
  return (VENUE_NAMES as readonly string[]).includes(s);
}
