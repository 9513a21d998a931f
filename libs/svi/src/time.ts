/** Milliseconds in a 365-day year: Deribit's ACT/365 IV convention (QUANT.md b8, EXCHANGES.md §1.9). */
export const YEAR_MS = 365 * 86_400_000;

/**
 * Time to expiry in years, t = (expiryTs − ts) / (365 · 86 400 000), from event time only.
 * @param expiryTs expiry, ms since epoch
 * @param ts event time, ms since epoch
 * @example yearsToExpiry({ expiryTs: 1590134400000, ts: 1589434896486 }) // 0.022181...
 */
export function yearsToExpiry({ expiryTs, ts }: { expiryTs: number; ts: number }): number {
  return (expiryTs - ts) / YEAR_MS;
}
