import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { BookSnapshot, OptionTicker } from '@volstream/events';
import { loadFixtures } from '../../fixtures/load.ts';
import { assertSane } from '../../testing/mapper-checks.ts';
import { mapDeribitMessage, type DeribitContext } from './mapper.ts';

const RECV = 1_700_000_000_123;
const map = (text: string) => mapDeribitMessage(text, RECV, { instruments: new Map() } satisfies DeribitContext);
const frames = [...loadFixtures('deribit-frames.jsonl'), ...loadFixtures('deribit-control-frames.jsonl')];

/** What each real websocket frame must give: [type, id, key fields] per event, or the reason it gives nothing. */
type Expect = { events: [string, string, Record<string, unknown>?][] } | { nothing: RegExp };
const table: [RegExp, Expect][] = [
  [/tardis.*line 1 /, { nothing: /trades.*channel not mapped/ }],
  [/tardis.*line 2 /, { nothing: /quote.*channel not mapped/ }],
  [/tardis.*line 3 /, { events: [['md.book.snapshot', 'deribit:book:ETH-PERPETUAL:1776289261:snapshot', { seq: 1776289261, bids: [[217.8, 1895], [217.75, 712]], asks: [[218.6, 179803], [218.65, 7887]] }]] }],
  [/tardis.*line 4 /, { events: [['md.book.delta', 'deribit:book:ETH-PERPETUAL:1776294623', { prevSeq: 1776294621, bids: [[217.8, 0]] }]] }],
  [/tardis.*line 5 /, { events: [['md.future', 'deribit:future:BTC-PERPETUAL:1564617604229', { markPrice: 10094.1, lastPrice: 10095.5, indexPrice: 10091.15 }]] }],
  [/tardis.*line 6 /, { events: [['md.future', 'deribit:future:BTC-PERPETUAL:1569888003897', { markPrice: 8304.39 }]] }],
  [/tardis.*line 7 /, { nothing: /instrument state closed/ }],
  [/tardis.*line 8 /, { events: [['md.ticker', 'deribit:ticker:BTC-5JUN20-9250-C:1590969652595', { markIv: 0.6321, bidIv: 0.5839, askIv: 0.669, underlyingPrice: 9440.73, underlyingIndex: 'SYN.BTC-5JUN20' }]] }],
  [/tardis.*line 9 /, { events: [['md.ticker', 'deribit:ticker:ETH-5JUN20-310-P:1590969597073', { markIv: 1.1863, markPrice: 0.33859, underlyingPrice: 231.7 }]] }],
  [/tardis.*line 10 /, { events: [['md.ticker', 'deribit:ticker:ETH-10JUN20-270-C:1591608298178', { markIv: 0.7296, markPrice: 0.000632 }]] }],
  [/tardis.*line 11 /, { nothing: /channel not mapped/ }],
  [/tardis.*line 12 /, { nothing: /channel not mapped/ }],
  [/tardis.*line 13 /, { events: [['md.book.snapshot', 'deribit:book:ETH-10SEP21-3350-P:14617771529:snapshot', { bids: [[0.019, 93]], asks: [[0.037, 93]], expiryTs: Date.parse('2021-09-10T08:00:00Z') }]] }],
  [/tardis.*line 14 /, { events: [['md.book.snapshot', 'deribit:book:LINK_USDC-PERPETUAL:1232767964:snapshot', { underlying: 'LINK', asks: [] }]] }],
  [/tardis.*line 15 /, { nothing: /combination instrument/ }],
  [/tardis.*line 16 /, { nothing: /combination instrument/ }],
  [/tardis.*line 17 /, { nothing: /combination instrument/ }],
  [/tardis.*line 18 /, { events: [['md.ticker', 'deribit:ticker:MATIC_USDC-9MAR24-1d02-C:1709809020064', { underlying: 'MATIC', markIv: 2.0964, markPrice: 0.139, underlyingIndex: 'index_price', expiryTs: Date.parse('2024-03-09T08:00:00Z') }]] }],
  [/crypto_msg_parser.*line 1 /, { nothing: /channel not mapped/ }],
  [/crypto_msg_parser.*line 2 /, { events: [['md.book.snapshot', 'deribit:book:BTC-11JUN21-25000-P:31479771122:snapshot', { bids: [[0.005, 13.7], [0.0045, 5.7], [0.004, 61.6]] }]] }],
  [/crypto_msg_parser.*line 3 /, { events: [['md.book.snapshot', 'deribit:book:BTC-30SEP22-60000-C:45176637818:snapshot', { asks: [[0.012, 10.2], [0.0125, 16.6], [0.013, 44.4]] }]] }],
  [/crypto_msg_parser.*line 4 /, { nothing: /channel not mapped/ }],
  [/crypto_msg_parser.*line 5 /, { events: [['md.ticker', 'deribit:ticker:BTC-30SEP22-60000-C:1654161839367', { markIv: 0.677, bidIv: 0.6716, askIv: 0.6865, underlyingIndex: 'BTC-30SEP22' }]] }],
  [/crypto_msg_parser.*line 6 /, { events: [
    ['md.book.snapshot', 'deribit:book:ETH-24JUN22-1600-P:24460060432:snapshot', { bids: [[0.033, 226], [0.0325, 797], [0.032, 355]] }],
    ['md.ticker', 'deribit:ticker:ETH-24JUN22-1600-P:1654247489923', { markIv: 0.8654, bestBid: 0.033, bestAsk: 0.034 }],
  ] }],
  [/crypto_msg_parser.*line 7 /, { nothing: /get_book_summary_by_currency/ }],
  [/crypto_msg_parser.*line 8 /, { nothing: /get_book_summary_by_currency/ }],
  [/ws_misc.*line 1 /, { events: [['md.ticker', 'deribit:ticker:BTC-23FEB24-45000-C:1707627659690', { markIv: 0.4617, bidIv: 0.37, askIv: 0.5644, underlyingPrice: 48559.14 }]] }],
  [/ws_misc.*line 2 /, { events: [['md.future', 'deribit:future:BTC-PERPETUAL:1707554242049', { markPrice: 47225 }]] }],
  [/ws_misc.*line 3 /, { nothing: /markprice.*channel not mapped/ }],
  [/ws_misc.*line 4 /, { events: [
    ['md.instrument', 'deribit:instrument:ETH-6JUL25-1500-C:1751758217175', { settlement: 'inverse', optionType: 'call' }],
    ['md.instrument', 'deribit:instrument:ETH-6JUL25-1500-P:1751758217175', { optionType: 'put' }],
  ] }],
  [/heartbeat notification/, { nothing: /heartbeat/ }],
  [/test_request/, { nothing: /test_request/ }],
  [/subscribe answer/, { nothing: /public\/subscribe/ }],
  [/set_heartbeat answer/, { nothing: /set_heartbeat/ }],
  [/public\/test answer/, { nothing: /public\/test/ }],
  [/error answer/, { nothing: /11094/ }],
  [/deribit_price_index notification/, { events: [['md.index', 'deribit:index:btc_usd:1550588002899', { underlying: 'BTC', price: 3937.89 }]] }],
];

describe('every real Deribit frame maps to exactly the expected events, or deliberately to nothing', () => {
  it('covers every websocket fixture once', () => {
    expect(table).toHaveLength(frames.length);
    for (const f of frames) expect(table.filter(([re]) => re.test(f.source)), f.source).toHaveLength(1);
  });

  it.each(table.map(([re, exp]) => [frames.find((f) => re.test(f.source))!.source, exp] as const))('%s', (source, exp) => {
    const r = map(frames.find((f) => f.source === source)!.text);
    expect(r.rejected).toBeUndefined();
    assertSane(r, RECV);
    if ('nothing' in exp) {
      expect(r.events).toEqual([]);
      expect(JSON.stringify(r.control)).toMatch(exp.nothing);
      return;
    }
    expect(r.events.map((e) => [e.type, e.id])).toEqual(exp.events.map(([t, id]) => [t, id]));
    exp.events.forEach(([, , fields], i) => fields && expect(r.events[i]).toMatchObject(fields));
  });
});

type ChainRow = {
  instrument_name: string; timestamp: number; change_id: number; bids: [number, number][]; asks: [number, number][];
  underlying_price: number; underlying_index: string; mark_price: number; mark_iv: number; bid_iv: number; ask_iv: number;
  best_bid_price: number; best_ask_price: number; expiration_timestamp: number; index_price: number;
};

describe('all 310 rows of the real 2020-05-14 BTC chain (public/get_order_book results)', () => {
  const rows = gunzipSync(readFileSync(new URL('../../fixtures/deribit-order-book-chain-all.jsonl.gz', import.meta.url))).toString('utf8')
    .split('\n').filter(Boolean).map((l) => JSON.parse(l) as ChainRow);
  /** Deribit: 0 = no quote, 500 = dead quote, percent -> fraction. */
  const iv = (x: number) => (x > 0 && x !== 500 ? Math.round(x * 1e8) / 1e10 : undefined);
  const pos = (x: number) => (x > 0 ? x : undefined);

  it('has the 310 options of the capture', () => expect(rows).toHaveLength(310));

  it('each gives one snapshot with the row\'s levels and one ticker with its quotes, IVs as fractions', () => {
    for (const row of rows) {
      const r = map(JSON.stringify({ jsonrpc: '2.0', result: row }));
      expect(r.rejected, row.instrument_name).toBeUndefined();
      assertSane(r, RECV);
      const [snap, ticker] = r.events as [BookSnapshot, OptionTicker];
      expect(snap).toMatchObject({ type: 'md.book.snapshot', instrument: row.instrument_name, seq: row.change_id, expiryTs: row.expiration_timestamp, bids: row.bids.filter(([, a]) => a > 0), asks: row.asks.filter(([, a]) => a > 0) });
      const want: Record<string, unknown> = {
        type: 'md.ticker', instrument: row.instrument_name, ts: row.timestamp, expiryTs: row.expiration_timestamp, underlyingPrice: row.underlying_price,
        underlyingIndex: row.underlying_index, markPrice: row.mark_price, indexPrice: row.index_price,
        markIv: iv(row.mark_iv), bidIv: iv(row.bid_iv), askIv: iv(row.ask_iv), bestBid: pos(row.best_bid_price), bestAsk: pos(row.best_ask_price),
      };
      for (const [k, v] of Object.entries(want)) {
        if (v === undefined) expect(ticker, `${row.instrument_name}.${k}`).not.toHaveProperty(k);
        else expect((ticker as Record<string, unknown>)[k], `${row.instrument_name}.${k}`).toEqual(v);
      }
    }
  });
});
