import { readFileSync } from 'node:fs';

/*
 * Test helper: the real Deribit BTC option chain of 2020-05-14 05:41 UTC in
 * ../fixtures/orderbook_chain_2020-05-14T0541Z_btc.jsonl (source in ../fixtures/README.md),
 * one `public/get_order_book` result per line. Only the fields the tests use are typed.
 */

/** The fields of a Deribit `public/get_order_book` result used by the IV, greeks and forward tests. */
export type DeribitBookRow = {
  instrument_name: string;
  option_type: 'call' | 'put';
  strike: number;
  expiration_timestamp: number;
  timestamp: number;
  underlying_price: number;
  underlying_index: string;
  index_price: number;
  mark_price: number;
  mark_iv: number;
  best_bid_price: number;
  best_ask_price: number;
  bid_iv: number;
  ask_iv: number;
  greeks: { delta: number; gamma: number; vega: number; theta: number; rho: number };
};

const FIXTURE = new URL('../fixtures/orderbook_chain_2020-05-14T0541Z_btc.jsonl', import.meta.url);

/** All rows of the fixture chain. */
export function loadDeribitChain(): DeribitBookRow[] {
  return readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DeribitBookRow);
}

/** Deribit's year fraction: ACT/365 in milliseconds (EXCHANGES.md §1.9). */
export function deribitYears(row: DeribitBookRow): number {
  return (row.expiration_timestamp - row.timestamp) / (365 * 86_400_000);
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? (v[m] as number) : 0.5 * ((v[m - 1] as number) + (v[m] as number));
}
