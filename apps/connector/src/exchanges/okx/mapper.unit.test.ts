import { describe, expect, it } from 'vitest';
import type { MdEvent } from '@volstream/events';
import { loadFixtures } from '../../fixtures/load.ts';
import { assertSane, fuzzMapper } from '../../testing/mapper-checks.ts';
import { mapOkxMessage, type OkxContext } from './mapper.ts';
import { okxChecksum, okxChecksumString } from './checksum.ts';

const RECV = 1_700_000_000_123;
const ctx = (): OkxContext => ({ instruments: new Map() });
const map = (frame: string | object, c: OkxContext = ctx()) => mapOkxMessage(typeof frame === 'string' ? frame : JSON.stringify(frame), RECV, c);
const real = loadFixtures('okx-frames.jsonl');
const frameOf = (re: RegExp) => {
  const f = real.find((x) => re.test(x.source));
  if (!f) throw new Error(`no fixture ${re}`);
  return f;
};

const base = { v: 1, venue: 'okx', recvTs: RECV } as const;
const EXP_211231 = Date.parse('2021-12-31T08:00:00Z');

/** Every real frame and exactly what it maps to: events, or deliberately nothing (with why). */
const expected: [RegExp, MdEvent[] | RegExp][] = [
  [/v5_2021.jsonl line 1 /, /update without seqId\/prevSeqId/],
  [/v5_2021.jsonl line 2 /, [{ ...base, type: 'md.index', id: 'okx:index:ETH-USD:1640001659508', ts: 1640001659508, underlying: 'ETH', indexName: 'ETH-USD', price: 3814.05 }]],
  [/v5_2021.jsonl line 3 /, /open-interest not mapped/],
  [/v5_2021.jsonl line 4 /, /option markPx: unit not confirmed/],
  [/v5_2021.jsonl line 5 /, [{ ...base, type: 'md.ticker', id: 'okx:ticker:ETH-USD-211231-9600-C:1640001603301', ts: 1640001603301, instrument: 'ETH-USD-211231-9600-C', underlying: 'ETH', expiryTs: EXP_211231, bestAsk: 0.0005 }]],
  [/v5_2021.jsonl line 6 /, [
    { ...base, type: 'md.ticker', id: 'okx:summary:ETH-USD-211222-4000-C:1640001659301', ts: 1640001659301, instrument: 'ETH-USD-211222-4000-C', underlying: 'ETH', expiryTs: Date.parse('2021-12-22T08:00:00Z'), markIv: 0.7794507758, bidIv: 0.7421960156, askIv: 0.8203208593 },
    { ...base, type: 'md.ticker', id: 'okx:summary:ETH-USD-211231-9600-C:1640001659181', ts: 1640001659181, instrument: 'ETH-USD-211231-9600-C', underlying: 'ETH', expiryTs: EXP_211231, markIv: 1.8880399194, askIv: 1.9531310937 },
  ]],
  [/v5_2021.jsonl line 7 /, /trades not mapped/],
  [/v5_2021.jsonl line 8 /, [{ ...base, type: 'md.ticker', id: 'okx:summary:ETH-USD-211227-4150-P:1640588400390', ts: 1640588400390, instrument: 'ETH-USD-211227-4150-P', underlying: 'ETH', expiryTs: Date.parse('2021-12-27T08:00:00Z'), markIv: 1.30710927, askIv: 5 }]],
  ...Array.from({ length: 11 }, (_, i): [RegExp, RegExp] => [new RegExp(`v3_2020.jsonl line ${i + 1} `), /retired OKEx v3 format/]),
  [/okx_options.jsonl line 1 /, /trades not mapped/],
  [/okx_options.jsonl line 2 /, [{
    ...base, type: 'md.book.snapshot', id: 'okx:book:BTC-USD-220304-32000-P:1646315100798:snapshot', ts: 1646315100798, instrument: 'BTC-USD-220304-32000-P',
    underlying: 'BTC', expiryTs: Date.parse('2022-03-04T08:00:00Z'), seq: 1646315100798, bids: [], asks: [[0.0005, 305], [0.001, 550]],
  }]],
  [/okx_options.jsonl line 3 /, [{
    ...base, type: 'md.book.snapshot', id: 'okx:book:BTC-USD-220624-50000-C:1654387553361:snapshot', ts: 1654387553361, instrument: 'BTC-USD-220624-50000-C',
    underlying: 'BTC', expiryTs: Date.parse('2022-06-24T08:00:00Z'), seq: 1654387553361, bids: [], asks: [[0.001, 606], [0.0015, 330], [0.002, 10]],
  }]],
  [/okx_options.jsonl line 4 /, [{
    ...base, type: 'md.book.snapshot', id: 'okx:book:BTC-USD-220624-50000-C:1654033343415:snapshot', ts: 1654033343415, instrument: 'BTC-USD-220624-50000-C',
    underlying: 'BTC', expiryTs: Date.parse('2022-06-24T08:00:00Z'), seq: 1654033343415, bids: [], asks: [[0.0015, 8]],
  }]],
  [/okx_options.jsonl line 5 /, /candle1m not mapped/],
  [/okx_options.jsonl line 6 /, [{ ...base, type: 'md.ticker', id: 'okx:ticker:BTC-USD-220624-50000-C:1654166283149', ts: 1654166283149, instrument: 'BTC-USD-220624-50000-C', underlying: 'BTC', expiryTs: Date.parse('2022-06-24T08:00:00Z'), bestAsk: 0.0015 }]],
  [/okx_options.jsonl line 7 /, /REST answer without instruments/],
];

describe('mapOkxMessage on every real captured frame', () => {
  it('covers every fixture line exactly once', () => {
    expect(expected).toHaveLength(real.length);
    for (const f of real) expect(expected.filter(([re]) => re.test(f.source)), f.source).toHaveLength(1);
  });

  it.each(expected.map(([re, exp]) => [frameOf(re).source, exp] as const))('%s', (source, exp) => {
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

  it('verifies the checksum of the real 2022 books-l2-tbt snapshot over the exact strings', () => {
    const frame = frameOf(/okx_options.jsonl line 2 /).frame as { data: [{ asks: [string, string][]; bids: [string, string][]; checksum: number }] };
    const d = frame.data[0];
    expect(okxChecksum(d.bids, d.asks)).toBe(d.checksum);
    // The doc example string: bids 3366.1×7, 3366×6; asks 3366.8×9, 3368×8 (interleaved).
    expect(okxChecksumString([['3366.1', '7'], ['3366', '6']], [['3366.8', '9'], ['3368', '8']])).toBe('3366.1:7:3366.8:9:3366:6:3368:8');
    // A shorter side is skipped, not padded.
    expect(okxChecksumString([['1', '2']], [['3', '4'], ['5', '6']])).toBe('1:2:3:4:5:6');
    // Same numbers, other strings: a different checksum (strings as received matter).
    expect(okxChecksum(d.bids, [['0.00050', '305'], ['0.001', '550']])).not.toBe(d.checksum);
  });
});

describe('mapOkxMessage on live v5 shapes', () => {
  const book = (action: 'snapshot' | 'update', data: Record<string, unknown>) => ({ arg: { channel: 'books', instId: 'BTC-USD-261225-100000-C' }, action, data: [{ asks: [], bids: [], ts: '1790000000000', ...data }] });

  it('maps books with seqId/prevSeqId: snapshot (prevSeqId -1), update, reset, idle update', () => {
    const snap = map(book('snapshot', { asks: [['0.05', '10', '0', '1']], bids: [['0.045', '3', '0', '2']], checksum: 1, prevSeqId: -1, seqId: 10 }));
    expect(snap.events[0]).toMatchObject({ type: 'md.book.snapshot', id: 'okx:book:BTC-USD-261225-100000-C:10:snapshot', seq: 10, underlying: 'BTC', expiryTs: Date.parse('2026-12-25T08:00:00Z'), bids: [[0.045, 3]], asks: [[0.05, 10]] });
    expect(snap.control).toMatchObject({ kind: 'data', channel: 'books:BTC-USD-261225-100000-C', book: { snapshot: true, checksum: 1 } });
    const upd = map(book('update', { asks: [['0.05', '0', '0', '0']], prevSeqId: 10, seqId: 15 }));
    expect(upd.events[0]).toMatchObject({ type: 'md.book.delta', id: 'okx:book:BTC-USD-261225-100000-C:15', seq: 15, prevSeq: 10, asks: [[0.05, 0]] });
    expect(map(book('update', { prevSeqId: 15, seqId: 3, bids: [['0.04', '1', '0', '1']] })).events[0]).toMatchObject({ seq: 3, prevSeq: 15 });
    expect(map(book('update', { prevSeqId: 15, seqId: 15 }))).toMatchObject({ events: [], ignored: expect.stringMatching(/idle/) });
  });

  it('maps opt-summary with fwdPx (IV fractions; "" and "0" = none) and the doc example', () => {
    const r = map({ arg: { channel: 'opt-summary', instFamily: 'BTC-USD' }, data: [{ instType: 'OPTION', instId: 'BTC-USD-241013-70000-P', uly: 'BTC-USD', markVol: '0.3675503331', bidVol: '0', askVol: '1.1669998535', realVol: '', ts: '1728703155650', fwdPx: '62604.6993093463' }] });
    expect(r.events).toEqual([{ ...base, type: 'md.ticker', id: 'okx:summary:BTC-USD-241013-70000-P:1728703155650', ts: 1728703155650, instrument: 'BTC-USD-241013-70000-P', underlying: 'BTC', expiryTs: Date.parse('2024-10-13T08:00:00Z'), underlyingPrice: 62604.6993093463, markIv: 0.3675503331, askIv: 1.1669998535 }]);
  });

  it('maps instruments (websocket push or REST body): inverse BTC-USD with ctVal × ctMult, linear USD_UM', () => {
    const inst = (o: Record<string, string>) => ({ instType: 'OPTION', instId: 'BTC-USD-261225-100000-C', instFamily: 'BTC-USD', uly: 'BTC-USD', settleCcy: 'BTC', ctVal: '1', ctMult: '0.01', ctValCcy: 'BTC', optType: 'C', stk: '100000', listTime: '1780000000000', expTime: '1798185600000', tickSz: '0.0005', lotSz: '1', state: 'live', ...o });
    const ws = map({ arg: { channel: 'instruments', instType: 'OPTION' }, data: [inst({})] });
    expect(ws.events).toEqual([{
      ...base, type: 'md.instrument', id: 'okx:instrument:BTC-USD-261225-100000-C:live', ts: RECV, instrument: 'BTC-USD-261225-100000-C', underlying: 'BTC', kind: 'option',
      expiryTs: 1798185600000, strike: 100000, optionType: 'call', settlement: 'inverse', contractSize: 0.01, quoteCurrency: 'BTC', tickSize: 0.0005, active: true,
    }]);
    const rest = map({ code: '0', msg: '', data: [inst({ instId: 'BTC-USD_UM-261225-100000-P', instFamily: 'BTC-USD_UM', settleCcy: 'USDC', optType: 'P', ctVal: '0.1', ctMult: '0.1', state: 'expired' })] });
    expect(rest.events[0]).toMatchObject({ instrument: 'BTC-USD_UM-261225-100000-P', settlement: 'linear', quoteCurrency: 'USDC', contractSize: 0.01, optionType: 'put', active: false });
  });

  it('reads answers: acks with our id, errors (60014 = rate limit), notices, pong', () => {
    expect(map({ id: '7', event: 'subscribe', arg: { channel: 'books', instId: 'X' }, connId: 'a' }).control).toEqual({ kind: 'ack', op: 'subscribe', reqId: '7', channels: ['books:X'] });
    expect(map({ id: '8', event: 'error', code: '60014', msg: 'Requests too frequent.', connId: 'a' }).control).toEqual({ kind: 'error', reqId: '8', code: '60014', message: 'Requests too frequent.', rateLimited: true });
    expect(map({ event: 'error', code: '60012', msg: 'Invalid request', connId: 'a' }).control).toMatchObject({ rateLimited: false });
    expect(map('pong').control).toEqual({ kind: 'pong' });
  });

  it('rejects with a reason: malformed JSON, unknown channel, bad level, bad timestamp, REST error', () => {
    const cases: [unknown, RegExp][] = [
      ['{"arg":', /malformed JSON/],
      [[1, 2], /not a JSON object/],
      [{ arg: { channel: 'weather', instId: 'x' }, data: [] }, /unknown channel/],
      [book('update', { asks: [['abc', '1', '0', '1']], prevSeqId: 1, seqId: 2 }), /asks/],
      [book('update', { asks: [['0.05', '-1', '0', '1']], prevSeqId: 1, seqId: 2 }), /negative size/],
      [book('snapshot', { ts: '1790000000', seqId: 1 }), /timestamp/],
      [{ arg: { channel: 'books', instId: 'NOT-AN-ID' }, action: 'snapshot', data: [{ asks: [], bids: [], ts: '1790000000000' }] }, /unrecognised instrument id/],
      [{ arg: { channel: 'index-tickers', instId: 'BTC-USD' }, data: [{ instId: 'BTC-USD', idxPx: '', ts: '1790000000000' }] }, /idxPx/],
      [{ code: '50011', msg: 'Too Many Requests' }, /REST error 50011/],
      [{ hello: 1 }, /no event, arg or code/],
    ];
    for (const [frame, reason] of cases) {
      const r = map(typeof frame === 'string' ? frame : JSON.stringify(frame));
      expect(r.events, String(reason)).toEqual([]);
      expect(r.rejected?.reason, String(reason)).toMatch(reason);
    }
  });

  it('never throws and never emits an invalid event (fuzz: strings and mutated real frames)', () => {
    fuzzMapper((s) => map(s), real.map((f) => f.frame), RECV);
  });
});
