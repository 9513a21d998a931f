import { describe, expect, it } from 'vitest';
import { okxProtocol } from './okx/session.ts';
import { okxArg, okxChannelKey } from './okx/names.ts';
import { bybitProtocol } from './bybit/session.ts';
import { binanceProtocol } from './binance/session.ts';
import { binanceStreams } from './binance/names.ts';
import { eventInstrument, venueSymbol } from './common/expiry.ts';

describe('venue request frames and channel names', () => {
  it('OKX: {id, op, args:[{channel, instId|instFamily|instType}]}, text ping, < 30 s keep-alive', () => {
    const p = okxProtocol({ url: 'wss://x', booksPerConnection: 30, pingMs: 20_000 });
    expect(JSON.parse(p.request('subscribe', ['books:BTC-USD-261225-100000-C', 'opt-summary:BTC-USD', 'instruments:OPTION', 'index-tickers:BTC-USD'], 7))).toEqual({
      id: '7', op: 'subscribe', args: [
        { channel: 'books', instId: 'BTC-USD-261225-100000-C' }, { channel: 'opt-summary', instFamily: 'BTC-USD' },
        { channel: 'instruments', instType: 'OPTION' }, { channel: 'index-tickers', instId: 'BTC-USD' },
      ],
    });
    expect(p.ping?.(1)).toBe('ping');
    expect(p.silenceMs).toBeLessThan(60_000);
    expect(p.budget.perSecond * 3_600).toBeCloseTo(480); // 480 (un)subscribe requests per hour
    for (const k of ['books:X-USD-261225-1-C', 'opt-summary:ETH-USD', 'instruments:OPTION']) expect(okxChannelKey(okxArg(k))).toBe(k);
  });

  it('Bybit: {req_id, op, args:[topics]} with 10 topics per request, {"op":"ping"}', () => {
    const p = bybitProtocol({ url: 'wss://x', pingMs: 20_000 });
    expect(JSON.parse(p.request('unsubscribe', ['orderbook.25.BTC-27NOV26-95000-C'], 3))).toEqual({ req_id: '3', op: 'unsubscribe', args: ['orderbook.25.BTC-27NOV26-95000-C'] });
    expect(JSON.parse(p.ping!(4))).toEqual({ req_id: '4', op: 'ping' });
    expect(p.maxPerRequest).toBe(10);
  });

  it('Binance: SUBSCRIBE with an integer id, at most 200 streams per connection, both formats\' stream names', () => {
    const p = binanceProtocol({ url: 'wss://a', marketUrl: 'wss://b', format: '2025', silenceMs: 60_000 });
    expect(JSON.parse(p.request('subscribe', ['btc-251219-89000-c@depth20@100ms'], 9))).toEqual({ method: 'SUBSCRIBE', params: ['btc-251219-89000-c@depth20@100ms'], id: 9 });
    expect(p.urls).toEqual({ public: 'wss://a', market: 'wss://b' });
    expect(p.maxPerConnection).toBe(200);
    expect(binanceStreams.depth('BTC-251219-89000-C', '2025')).toBe('btc-251219-89000-c@depth20@100ms');
    expect(binanceStreams.depth('BTC-231027-34000-C', '2023')).toBe('BTC-231027-34000-C@depth100@100ms');
    expect(binanceStreams.markPrice('BTCUSDT', '2025')).toBe('btcusdt@optionMarkPrice');
    expect(binanceStreams.markPrice('XRPUSDT', '2023')).toBe('XRP@markPrice');
    expect(binanceStreams.newSymbols('2023')).toBe('option_pair');
    expect(binanceProtocol({ url: 'wss://a', marketUrl: 'wss://b', format: '2023', silenceMs: 60_000 }).urls).toEqual({ public: 'wss://a' });
  });

  it('decimal strikes are written with d in events and recovered for channels', () => {
    expect(eventInstrument('XRP-231006-0.44-C')).toBe('XRP-231006-0d44-C');
    expect(venueSymbol('XRP-231006-0d44-C')).toBe('XRP-231006-0.44-C');
    expect(eventInstrument('BTC-251219-89000-C')).toBe('BTC-251219-89000-C');
  });
});
