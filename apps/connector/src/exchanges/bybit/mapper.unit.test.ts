import { describe, expect, it } from 'vitest';
import type { MdEvent } from '@volstream/events';
import { loadFixtures } from '../../fixtures/load.ts';
import { assertSane, fuzzMapper } from '../../testing/mapper-checks.ts';
import { mapBybitMessage, type BybitContext } from './mapper.ts';

const RECV = 1_700_000_000_123;
const ctx = (): BybitContext => ({ instruments: new Map() });
const map = (frame: string | object, c: BybitContext = ctx()) => mapBybitMessage(typeof frame === 'string' ? frame : JSON.stringify(frame), RECV, c);
const real = loadFixtures('bybit-frames.jsonl');
const base = { v: 1, venue: 'bybit', recvTs: RECV } as const;
const SOL_APR = Date.parse('2023-04-28T08:00:00Z');
const JUN = Date.parse('2023-06-30T08:00:00Z');

const expected: [RegExp, MdEvent[] | RegExp][] = [
  [/line 1 /, /publicTrade not mapped/],
  [/line 2 /, [{ ...base, type: 'md.book.snapshot', id: 'bybit:book:BTC-30JUN23-45000-P:0:1680652790918:snapshot', ts: 1680652790918, instrument: 'BTC-30JUN23-45000-P', underlying: 'BTC', expiryTs: JUN, seq: 0, bids: [], asks: [] }]],
  [/line 3 /, [{ ...base, type: 'md.book.snapshot', id: 'bybit:book:SOL-28APR23-30-C:24641:1680652786355:snapshot', ts: 1680652786355, instrument: 'SOL-28APR23-30-C', underlying: 'SOL', expiryTs: SOL_APR, seq: 24641, bids: [[0.01, 50]], asks: [[1.74, 46]] }]],
  [/line 4 /, [{ ...base, type: 'md.book.delta', id: 'bybit:book:SOL-28APR23-30-C:24642:1680652799661', ts: 1680652799661, instrument: 'SOL-28APR23-30-C', underlying: 'SOL', expiryTs: SOL_APR, seq: 24642, prevSeq: 24641, bids: [], asks: [[1.74, 0], [1.75, 46]] }]],
  [/line 5 /, [{
    ...base, type: 'md.ticker', id: 'bybit:ticker:SOL-28APR23-24-C:1680652810254', ts: 1680652810254, instrument: 'SOL-28APR23-24-C', underlying: 'SOL', expiryTs: SOL_APR,
    underlyingPrice: 20.93, indexPrice: 20.93, markPrice: 1.99054639, bestBid: 0.34, bestAsk: 3.11, markIv: 1.4674, bidIv: 0.6004, askIv: 2.0007,
  }]],
  // askPrice "0" and askIv "0": no ask.
  [/line 6 /, [{
    ...base, type: 'md.ticker', id: 'bybit:ticker:ETH-30JUN23-200-P:1680652859919', ts: 1680652859919, instrument: 'ETH-30JUN23-200-P', underlying: 'ETH', expiryTs: JUN,
    underlyingPrice: 1886.16, indexPrice: 1871.27, markPrice: 0.2548522, bestBid: 0.1, markIv: 1.5991, bidIv: 1.4744,
  }]],
];

describe('mapBybitMessage on every real captured frame', () => {
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

describe('mapBybitMessage on live shapes', () => {
  const ob = (type: string, u: number, b: string[][] = [], a: string[][] = []) => ({ topic: 'orderbook.25.BTC-27NOV26-95000-C', type, ts: 1790000000000, data: { s: 'BTC-27NOV26-95000-C', b, a, u } });

  it('u = 1 is a new snapshot whatever the type (service restart); deltas follow u - 1', () => {
    expect(map(ob('delta', 1, [['100', '1']])).events[0]).toMatchObject({ type: 'md.book.snapshot', seq: 1, bids: [[100, 1]] });
    expect(map(ob('delta', 8, [['100', '0']])).events[0]).toMatchObject({ type: 'md.book.delta', seq: 8, prevSeq: 7, bids: [[100, 0]] });
    expect(map(ob('snapshot', 9, [['100', '0'], ['95', '2']])).events[0]).toMatchObject({ type: 'md.book.snapshot', bids: [[95, 2]] });
  });

  it('maps the REST instrument list: linear USDC options, one contract = one coin', () => {
    const r = map({ retCode: 0, retMsg: 'OK', result: { category: 'option', nextPageCursor: '', list: [
      { symbol: 'BTC-27NOV26-95000-C', optionsType: 'Call', status: 'Trading', baseCoin: 'BTC', quoteCoin: 'USD', settleCoin: 'USDC', launchTime: '1780000000000', deliveryTime: '1795766400000', priceFilter: { minPrice: '5', maxPrice: '10000000', tickSize: '5' }, lotSizeFilter: { minOrderQty: '0.01' } },
    ] }, time: 1790000000000 });
    expect(r.events).toEqual([{
      ...base, type: 'md.instrument', id: 'bybit:instrument:BTC-27NOV26-95000-C:Trading', ts: 1790000000000, instrument: 'BTC-27NOV26-95000-C', underlying: 'BTC', kind: 'option',
      expiryTs: 1795766400000, strike: 95000, optionType: 'call', settlement: 'linear', contractSize: 1, quoteCurrency: 'USDC', tickSize: 5, active: true,
    }]);
  });

  it('reads op answers: ack with req_id, failure (rate limit wording), pong in both forms', () => {
    expect(map({ success: true, ret_msg: '', conn_id: 'c', req_id: '3', op: 'subscribe' }).control).toEqual({ kind: 'ack', op: 'subscribe', reqId: '3' });
    expect(map({ success: false, ret_msg: 'Too many requests', conn_id: 'c', req_id: '4', op: 'subscribe' }).control).toMatchObject({ kind: 'error', reqId: '4', rateLimited: true });
    expect(map({ success: false, ret_msg: 'Invalid symbol :[orderbook.25.X]', op: 'subscribe' }).control).toMatchObject({ kind: 'error', rateLimited: false });
    expect(map({ success: true, ret_msg: 'pong', conn_id: 'c', op: 'ping' }).control).toEqual({ kind: 'pong' });
    expect(map({ op: 'pong', args: ['1'], conn_id: 'c' }).control).toEqual({ kind: 'pong' });
  });

  it('rejects with a reason', () => {
    const cases: [unknown, RegExp][] = [
      ['{"topic"', /malformed JSON/],
      [{ topic: 'weather.x', ts: 1790000000000, data: {} }, /unknown topic/],
      [ob('delta', 5, [['x', '1']]), /b/],
      [ob('partial', 5), /neither snapshot nor delta/],
      [{ ...ob('delta', 5), ts: 17 }, /timestamp/],
      [{ topic: 'tickers.NOPE', ts: 1790000000000, data: { symbol: 'NOPE' } }, /unrecognised option symbol/],
      [{ retCode: 10006, retMsg: 'Too many visits' }, /REST error 10006/],
      [{ x: 1 }, /no topic, op or retCode/],
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
