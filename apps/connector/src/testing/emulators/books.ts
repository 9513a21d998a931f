import type { Level } from '@volstream/events';

/** A venue book as the strings its frames carry, best first. */
export type StrLevels = [price: string, size: string][];
export type StrBook = { bids: StrLevels; asks: StrLevels };

/** Levels that turn `prev` into `next`: new or changed sizes, and deleted prices with size "0". */
export function diffLevels(prev: StrLevels, next: StrLevels): StrLevels {
  const out: StrLevels = [];
  const nextPx = new Set(next.map(([p]) => p));
  for (const [p] of prev) if (!nextPx.has(p)) out.push([p, '0']);
  const prevSz = new Map(prev);
  for (const [p, s] of next) if (prevSz.get(p) !== s) out.push([p, s]);
  return out;
}

export function toNumbers(b: StrBook, depth = Infinity): { bids: Level[]; asks: Level[] } {
  const n = (ls: StrLevels): Level[] => ls.slice(0, depth).map(([p, s]) => [Number(p), Number(s)]);
  return { bids: n(b.bids), asks: n(b.asks) };
}

/**
 * Coin-priced levels converted to a linear venue's quote currency: price × forward on the
 * venue's tick (bids down, asks up, so a converted book never crosses), sizes kept; levels that
 * land on the same price are merged.
 */
export function linearLevels(levels: readonly (readonly [number, number])[], forward: number, tick: number, isBid: boolean, sizeDecimals: number, priceDecimals: number): StrLevels {
  const merged = new Map<number, number>();
  for (const [coin, amount] of levels) {
    const ticks = isBid ? Math.floor((coin * forward) / tick) : Math.ceil((coin * forward) / tick);
    if (ticks <= 0) continue;
    merged.set(ticks, (merged.get(ticks) ?? 0) + amount);
  }
  return [...merged].sort((a, b) => (isBid ? b[0] - a[0] : a[0] - b[0]))
    .map(([t, a]) => [(t * tick).toFixed(priceDecimals), a.toFixed(sizeDecimals)]);
}
