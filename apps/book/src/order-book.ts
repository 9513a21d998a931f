import type { Level } from '@volstream/events';
import { Side } from './side.ts';

/**
 * Named policy for a crossed book (best bid >= best ask after a message is applied).
 *
 * `remove_stale_opposite`: the side the message just updated at the crossing price is taken as
 * current, and the other side's crossed levels as stale (a delete the venue did not send or we
 * did not get), so those are removed until the book is no longer crossed. This is tardis-node's
 * `removeCrossedLevels` (src/orderbook.ts), which cites exchange feeds that leave the other side
 * behind after a fill:
 * https://www.reddit.com/r/KrakenSupport/comments/d1a4nx/websocket_orderbook_receiving_wrong_bid_price_for/
 * https://www.reddit.com/r/BitMEX/comments/8lbj9e/bidask_ledger_weirdness/
 * A matching engine never rests a crossed book, so publishing one would hand the vol stage a
 * negative spread that no venue offered. Every removal is counted (`stats().crossedLevelsRemoved`).
 */
export const CROSSED_BOOK_POLICY = 'remove_stale_opposite' as const;

export type Top = readonly [bid: number | null, bidSize: number | null, ask: number | null, askSize: number | null];

/** A price-level book with its last applied sequence and whether it can be trusted. */
export class OrderBook {
  readonly bids = new Side(true);
  readonly asks = new Side(false);
  seq = 0;
  /** False before the first snapshot and after a sequence gap, until the next snapshot. */
  inSync = false;

  /** Replace both sides. Returns how many crossed levels the policy removed. */
  snapshot(bids: readonly Level[], asks: readonly Level[], seq: number): number {
    this.bids.clear();
    this.asks.clear();
    for (const [p, a] of bids) this.bids.set(p, a);
    for (const [p, a] of asks) this.asks.set(p, a);
    this.seq = seq;
    this.inSync = true;
    return this.uncross(asks);
  }

  /** Apply a delta's levels in order (amount 0 deletes). Returns crossed levels removed. */
  delta(bids: readonly Level[], asks: readonly Level[], seq: number): number {
    for (const [p, a] of bids) this.bids.set(p, a);
    for (const [p, a] of asks) this.asks.set(p, a);
    this.seq = seq;
    return this.uncross(asks);
  }

  top(): Top {
    return [this.bids.bestPrice(), this.bids.bestAmount(), this.asks.bestPrice(), this.asks.bestAmount()];
  }

  private uncross(updatedAsks: readonly Level[]): number {
    let bid = this.bids.bestPrice();
    let ask = this.asks.bestPrice();
    if (bid === null || ask === null || bid < ask) return 0;
    // The side this message touched at the best ask is current; the other one is stale.
    const askIsCurrent = updatedAsks.some(([p, a]) => p === ask && a > 0);
    let removed = 0;
    while (bid !== null && ask !== null && bid >= ask) {
      if (askIsCurrent) this.bids.removeBest();
      else this.asks.removeBest();
      removed++;
      bid = this.bids.bestPrice();
      ask = this.asks.bestPrice();
    }
    return removed;
  }
}
