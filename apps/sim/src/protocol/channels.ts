/**
 * Channels the simulated venue serves (EXCHANGES.md §1.4, §1.6, §1.8):
 * `book.{instrument}.100ms`, `ticker.{instrument}.100ms`, `deribit_price_index.{btc_usd|eth_usd}`.
 * `.raw` needs authorisation on Deribit and is refused the same way; other intervals, grouped
 * books and other channel families are not simulated and count as invalid.
 */
import { findInstrument } from '../model/venue.ts';
import type { VenueState } from '../model/types.ts';

export type Channel =
  | { kind: 'book'; channel: string; instrument: string }
  | { kind: 'ticker'; channel: string; instrument: string }
  | { kind: 'index'; channel: string; indexName: string };

export type ChannelCheck = { ok: true; channel: Channel } | { ok: false; reason: 'raw' | 'invalid' };

const INSTRUMENT_CHANNEL = /^(book|ticker)\.([A-Z0-9_]+-[A-Za-z0-9_\-]+)\.(100ms|raw)$/;
const INDEX_CHANNEL = /^deribit_price_index\.([a-z_]+)$/;

export function parseChannel(state: VenueState, channel: string): ChannelCheck {
  const m = INSTRUMENT_CHANNEL.exec(channel);
  if (m) {
    const [, kind, instrument, interval] = m as unknown as [string, 'book' | 'ticker', string, string];
    if (!findInstrument(state, instrument)) return { ok: false, reason: 'invalid' };
    if (interval === 'raw') return { ok: false, reason: 'raw' };
    return { ok: true, channel: { kind, channel, instrument } };
  }
  const i = INDEX_CHANNEL.exec(channel);
  if (i && state.underlyings.some((u) => u.spec.indexName === i[1])) {
    return { ok: true, channel: { kind: 'index', channel, indexName: i[1] as string } };
  }
  return { ok: false, reason: 'invalid' };
}
