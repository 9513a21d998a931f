import type { Level } from '@volstream/events';

/**
 * One side of an order book as two parallel arrays kept sorted so that the BEST level is the
 * LAST element. Changes cluster near the touch, so inserts and deletes there shift few
 * elements, and the best level is read in O(1) without a separate cache to keep in step.
 * Keys are `price` for bids and `-price` for asks, so both sides sort ascending.
 */
export class Side {
  private keys: number[] = [];
  private amounts: number[] = [];

  constructor(readonly isBid: boolean) {}

  get depth(): number {
    return this.keys.length;
  }

  clear(): void {
    this.keys.length = 0;
    this.amounts.length = 0;
  }

  /** Set the amount at a price; 0 deletes the level. */
  set(price: number, amount: number): void {
    const k = this.isBid ? price : -price;
    const keys = this.keys;
    const i = lowerBound(keys, k);
    if (i < keys.length && keys[i] === k) {
      if (amount === 0) {
        keys.splice(i, 1);
        this.amounts.splice(i, 1);
      } else {
        this.amounts[i] = amount;
      }
    } else if (amount > 0) {
      if (i === keys.length) {
        keys.push(k);
        this.amounts.push(amount);
      } else {
        keys.splice(i, 0, k);
        this.amounts.splice(i, 0, amount);
      }
    }
  }

  bestPrice(): number | null {
    const n = this.keys.length;
    if (n === 0) return null;
    const k = this.keys[n - 1]!;
    return this.isBid ? k : -k;
  }

  bestAmount(): number | null {
    const n = this.amounts.length;
    return n === 0 ? null : this.amounts[n - 1]!;
  }

  removeBest(): void {
    this.keys.pop();
    this.amounts.pop();
  }

  /** Levels best first, as [price, amount]. */
  levels(): Level[] {
    const out: Level[] = [];
    for (let i = this.keys.length - 1; i >= 0; i--) out.push([this.isBid ? this.keys[i]! : -this.keys[i]!, this.amounts[i]!]);
    return out;
  }
}

/** First index whose key is >= k. Checks the end first: most changes happen at the touch. */
function lowerBound(keys: readonly number[], k: number): number {
  let hi = keys.length;
  if (hi === 0 || keys[hi - 1]! < k) return hi;
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
