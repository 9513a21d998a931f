import { describe, expect, it } from 'vitest';
import type { MdEvent } from '@volstream/events';
import { loadFixtures } from '../../fixtures/load.ts';
import { assertSane, fuzzMapper } from '../../testing/mapper-checks.ts';
import { mapBinanceMessage, type BinanceContext } from './mapper.ts';

const RECV = 1_700_000_000_123;
const ctx = (): BinanceContext => ({ instruments: new Map() });
const map = (frame: string | object, c: BinanceContext = ctx()) => mapBinanceMessage(typeof frame === 'string' ? frame : JSON.stringify(frame), RECV, c);
const real = loadFixtures('binance-frames.jsonl');
const base = { v: 1, venue: 'binance', recvTs: RECV } as const;
const at8 = (d: string) => Date.parse(`${d}T08:00:00Z`);

const expected: [RegExp, MdEvent[] | RegExp][] = [
  [/v1_2023.jsonl line 1 /, /trade not mapped/],
  [/v1_2023.jsonl line 2 /, /trade not mapped/],
  [/v1_2023.jsonl line 3 /, [{ ...base, type: 'md.book.snapshot', id: 'binance:book:BTC-231027-34000-C:1925729:snapshot', ts: 1696118400038, instrument: 'BTC-231027-34000-C', underlying: 'BTC', expiryTs: at8('2023-10-27'), seq: 1925729, bids: [[60, 7.31]], asks: [[65, 8.28], [70, 38.88]] }]],
  [/v1_2023.jsonl line 4 /, [{ ...base, type: 'md.index', id: 'binance:index:BTCUSDT:1696118400040', ts: 1696118400040, underlying: 'BTC', indexName: 'BTCUSDT', price: 26963.13461538 }]],
  [/v1_2023.jsonl line 5 /, [{ ...base, type: 'md.ticker', id: 'binance:mark:XRP-231006-0d44-C:1696118400043', ts: 1696118400043, instrument: 'XRP-231006-0d44-C', underlying: 'XRP', expiryTs: at8('2023-10-06'), markPrice: 7.949 }]],
  [/v1_2023.jsonl line 6 /, [{
    ...base, type: 'md.ticker', id: 'binance:ticker:BTC-240927-25000-P:1696118400043', ts: 1696118400043, instrument: 'BTC-240927-25000-P', underlying: 'BTC', expiryTs: at8('2024-09-27'),
    markPrice: 3475, bestBid: 3000, bestAsk: 3950, markIv: 0.42824954, bidIv: 0.3804034, askIv: 0.47609568,
  }]],
  [/v1_2023.jsonl line 7 /, /openInterest not mapped/],
  [/v1_2023.jsonl line 8 /, [{ ...base, type: 'md.index', id: 'binance:index:BTCUSDT:1696118413035', ts: 1696118413035, underlying: 'BTC', indexName: 'BTCUSDT', price: 26960.90703297 }]],
  [/v1_2023.jsonl line 9 /, /openInterest not mapped/],
  [/v1_2023.jsonl line 10 /, [{
    ...base, type: 'md.ticker', id: 'binance:ticker:BTC-240927-25000-P:1696118448036', ts: 1696118448036, instrument: 'BTC-240927-25000-P', underlying: 'BTC', expiryTs: at8('2024-09-27'),
    markPrice: 3475, bestBid: 3000, bestAsk: 3950, markIv: 0.42816728, bidIv: 0.38032115, askIv: 0.47601342,
  }]],
  [/v2_2025.jsonl line 1 /, /trade not mapped/],
  [/v2_2025.jsonl line 2 /, /trade not mapped/],
  [/v2_2025.jsonl line 3 /, [{ ...base, type: 'md.book.snapshot', id: 'binance:book:ETH-251219-3100-C:121509455:snapshot', ts: 1765983419936, instrument: 'ETH-251219-3100-C', underlying: 'ETH', expiryTs: at8('2025-12-19'), seq: 121509455, bids: [[16.6, 150.23], [16.4, 10]], asks: [[18.8, 70], [20.6, 240.88]] }]],
  [/v2_2025.jsonl line 4 /, [{ ...base, type: 'md.ticker', id: 'binance:bbo:ETH-251218-3100-C:121509445', ts: 1765983419927, instrument: 'ETH-251218-3100-C', underlying: 'ETH', expiryTs: at8('2025-12-18'), bestBid: 5.8, bestAsk: 6.4 }]],
  // b/a "-1.0" = no IV; bo/ao "0.0000" = no quote.
  [/v2_2025.jsonl line 5 /, [{ ...base, type: 'md.ticker', id: 'binance:mark:XRP-251219-2d05-P:1765983420260', ts: 1765983420260, instrument: 'XRP-251219-2d05-P', underlying: 'XRP', expiryTs: at8('2025-12-19'), indexPrice: 1.96239445, markPrice: 19.0314, markIv: 2.6 }]],
  [/v2_2025.jsonl line 6 /, /24h statistics without quotes/],
  [/v2_2025.jsonl line 7 /, /openInterest not mapped/],
  [/v2_2025.jsonl line 8 /, [{
    ...base, type: 'md.ticker', id: 'binance:mark:BTC-251219-89000-C:1765983421000', ts: 1765983421000, instrument: 'BTC-251219-89000-C', underlying: 'BTC', expiryTs: at8('2025-12-19'),
    indexPrice: 104334.60217391, markPrice: 1450.5, bestBid: 1440, bestAsk: 1460, markIv: 0.86, bidIv: 0.85, askIv: 0.88,
  }]],
  [/binance_options.jsonl line 1 /, /trade_all not mapped/],
];

describe('mapBinanceMessage on every real captured frame (2023 and 2025 formats)', () => {
  it('covers every fixture line exactly once', () => {
    expect(expected).toHaveLength(real.length);
    for (const f of real) expect(expected.filter(([re]) => re.test(f.source)), f.source).toHaveLength(1);
  });

  it.each(expected.map(([re, exp]) => [real.find((f) => re.test(f.source))!.source, exp] as const))('%s', (source, exp) => {
    const r = map(real.find((f) => f.source === source)!.text);
    expect(r.rejected).toBeUndefined();
    assertSane(r, RECV);
    if (exp instanceof RegExp) {
      expect(r.events).toEqual([]);
      expect(r.ignored).toMatch(exp);
    } else {
      expect(r.events).toEqual(exp);
    }
  });
});

describe('mapBinanceMessage on live shapes', () => {
  it('a diff-depth stream gives deltas linked by pu -> u; a bare payload is a partial book', () => {
    const data = { e: 'depthUpdate', E: 1790000000000, T: 1790000000000, s: 'BTC-261127-95000-C', U: 11, u: 15, pu: 10, b: [['1400', '0']], a: [['1450', '2.5']] };
    expect(map({ stream: 'btc-261127-95000-c@depth@100ms', data }).events[0]).toMatchObject({ type: 'md.book.delta', seq: 15, prevSeq: 10, bids: [[1400, 0]], asks: [[1450, 2.5]] });
    expect(map(data).events[0]).toMatchObject({ type: 'md.book.snapshot', seq: 15, bids: [], asks: [[1450, 2.5]] });
  });

  it('maps listings: exchangeInfo and option_pair (linear, contractSize = unit)', () => {
    const info = map({ timezone: 'UTC', serverTime: 1790000000000, optionContracts: [], optionAssets: [], optionSymbols: [
      { symbol: 'DOGE-261127-0.5-P', side: 'PUT', strikePrice: '0.5', underlying: 'DOGEUSDT', unit: 1000, expiryDate: 1795766400000, quoteAsset: 'USDT', status: 'TRADING', filters: [{ filterType: 'PRICE_FILTER', minPrice: '0.1', tickSize: '0.1' }] },
    ] });
    expect(info.events).toEqual([{
      ...base, type: 'md.instrument', id: 'binance:instrument:DOGE-261127-0d5-P:TRADING', ts: 1790000000000, instrument: 'DOGE-261127-0d5-P', underlying: 'DOGE', kind: 'option',
      expiryTs: 1795766400000, strike: 0.5, optionType: 'put', settlement: 'linear', contractSize: 1000, quoteCurrency: 'USDT', tickSize: 0.1, active: true,
    }]);
    const pair = map({ stream: 'option_pair', data: { e: 'OPTION_PAIR', E: 1668573571842, u: 'BTCUSDT', qa: 'USDT', s: 'BTC-221116-21000-C', unit: 1, mq: '0.01', d: 'CALL', sp: '21000', ed: 1668585600000 } });
    expect(pair.events[0]).toMatchObject({ type: 'md.instrument', instrument: 'BTC-221116-21000-C', underlying: 'BTC', strike: 21000, optionType: 'call', contractSize: 1, expiryTs: 1668585600000 });
  });

  it('reads answers by id', () => {
    expect(map({ result: null, id: 5 }).control).toEqual({ kind: 'ack', op: 'subscribe', reqId: '5' });
    expect(map({ error: { code: 2, msg: 'Invalid request: too many parameters' }, id: 6 }).control).toEqual({ kind: 'error', reqId: '6', code: '2', message: 'Invalid request: too many parameters', rateLimited: false });
  });

  it('rejects with a reason', () => {
    const cases: [unknown, RegExp][] = [
      ['[{"e"', /malformed JSON/],
      [{ stream: 's', data: { e: 'surprise' } }, /unknown event type/],
      [{ stream: 's', data: { nope: 1 } }, /no event type/],
      [{ stream: 'x@depth20@100ms', data: { e: 'depthUpdate', E: 1790000000000, s: 'BTC-261127-95000-C', u: 1, b: [['1', 'x']], a: [] } }, /b/],
      [{ stream: 'x@index', data: { e: 'index', E: 1790000000000, s: 'BTCUSDT', p: '-1' } }, /not positive/],
      [{ stream: 'x@depth@100ms', data: { e: 'depthUpdate', E: 1790000000000, s: 'BTC-261127-95000-C', u: 1, b: [], a: [] } }, /without pu/],
      [42, /not a JSON object/],
    ];
    for (const [frame, reason] of cases) {
      const r = map(typeof frame === 'string' ? frame : JSON.stringify(frame));
      expect(r.events, String(reason)).toEqual([]);
      expect(r.rejected?.reason, String(reason)).toMatch(reason);
    }
  });

  it('never throws and never emits an invalid event (fuzz)', () => {
    fuzzMapper((s) => map(s), real.map((f) => f.frame), RECV);
  });
});
