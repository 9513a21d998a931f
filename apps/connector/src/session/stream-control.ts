import type { StrLevel } from '../exchanges/common/numbers.ts';

/**
 * Control signals of the channel-based venues (OKX, Bybit, Binance): what the generic
 * websocket session needs to know about a frame besides its events.
 */
export type StreamControl =
  /** A push on a subscribed channel (keeps the channel fresh for stale detection). */
  | { kind: 'data'; channel: string; book?: RawStrBook }
  /** The venue confirmed a (un)subscription; `channels` when the answer names them. */
  | { kind: 'ack'; op: 'subscribe' | 'unsubscribe'; reqId?: string; channels?: string[] }
  | { kind: 'error'; reqId?: string; code: string; message: string; rateLimited: boolean }
  | { kind: 'pong' }
  /** A venue notice (e.g. OKX 64008 "connection will be closed for an upgrade"). */
  | { kind: 'notice'; code?: string; message: string };

/** A book message with the exact strings received (OKX checksums are over these strings). */
export type RawStrBook = {
  instrument: string;
  snapshot: boolean;
  bids: readonly StrLevel[];
  asks: readonly StrLevel[];
  checksum?: number | undefined;
};
