import { describe, expect, it } from 'vitest';
import { ConfigError } from '@volstream/runtime';
import { parseConnectorConfig } from './config.ts';

describe('parseConnectorConfig', () => {
  it('has defaults that point at the simulated venue and the real venues for the others', () => {
    const c = parseConnectorConfig({});
    expect(c).toMatchObject({ natsUrl: 'nats://127.0.0.1:4222', venues: ['deribit'], record: undefined });
    expect(c.deribit).toMatchObject({ url: 'ws://127.0.0.1:8090/ws/api/v2', currencies: ['BTC', 'ETH'], linearBases: ['BTC', 'ETH'], heartbeatS: 10, staleAfterMs: 30_000, subscribePerS: 3 });
    expect(c.deribit).not.toHaveProperty('silenceMs');
    expect(c.okx).toMatchObject({ url: 'wss://ws.okx.com:8443/ws/v5/public', restUrl: undefined, families: ['BTC-USD', 'ETH-USD'], pingMs: 20_000, booksPerConnection: 30 });
    expect(c.bybit).toMatchObject({ url: 'wss://stream.bybit.com/v5/public/option', restUrl: 'https://api.bybit.com', baseCoins: ['BTC', 'ETH'], bookDepth: 25 });
    expect(c.binance).toMatchObject({ url: 'wss://fstream.binance.com/public/stream', marketUrl: 'wss://fstream.binance.com/market/stream', format: '2025', underlyings: ['BTCUSDT', 'ETHUSDT'] });
  });

  it('reads every variable', () => {
    const c = parseConnectorConfig({
      NATS_URL: 'nats://h:1', VENUES: 'deribit,okx,bybit,binance', DERIBIT_WS_URL: 'wss://www.deribit.com/ws/api/v2', DERIBIT_CURRENCIES: 'BTC,USDC',
      DERIBIT_LINEAR_BASES: '*', DERIBIT_HEARTBEAT_S: '30', DERIBIT_SILENCE_MS: '4000', STALE_AFTER_MS: '5000', OKX_WS_URL: 'ws://o', OKX_REST_URL: 'http://o',
      OKX_INST_FAMILIES: 'BTC-USD', BYBIT_BOOK_DEPTH: '100', BINANCE_STREAM_FORMAT: '2023', BINANCE_UNDERLYINGS: 'ETHUSDT', RECORD_DIR: '/tmp/rec', RECORD_ROTATE_MB: '0.5',
      RECONNECT_MIN_MS: '20', RECONNECT_MAX_MS: '400',
    });
    expect(c.venues).toEqual(['deribit', 'okx', 'bybit', 'binance']);
    expect(c.deribit).toMatchObject({ url: 'wss://www.deribit.com/ws/api/v2', currencies: ['BTC', 'USDC'], linearBases: ['*'], heartbeatS: 30, staleAfterMs: 5_000, silenceMs: 4_000 });
    expect(c.okx).toMatchObject({ url: 'ws://o', restUrl: 'http://o', families: ['BTC-USD'], staleAfterMs: 5_000, reconnectMinMs: 20, reconnectMaxMs: 400 });
    expect(c.bybit.bookDepth).toBe(100);
    expect(c.binance).toMatchObject({ format: '2023', underlyings: ['ETHUSDT'] });
    expect(c.record).toEqual({ dir: '/tmp/rec', rotateBytes: 524_288 });
  });

  it.each([
    ['NATS_URL', 'http://x'],
    ['VENUES', 'deribit,mtgox'],
    ['DERIBIT_WS_URL', 'http://127.0.0.1:8090'],
    ['DERIBIT_CURRENCIES', 'btc'],
    ['DERIBIT_HEARTBEAT_S', '5'],
    ['STALE_AFTER_MS', 'soon'],
    ['DERIBIT_RECONNECT_MAX_MS', '100'],
    ['RECONNECT_MAX_MS', '100'],
    ['OKX_WS_URL', 'https://x'],
    ['OKX_REST_URL', 'ftp://x'],
    ['OKX_INST_FAMILIES', 'BTCUSD'],
    ['OKX_PING_MS', '30000'],
    ['BYBIT_BOOK_DEPTH', '50'],
    ['BINANCE_STREAM_FORMAT', '2024'],
    ['BINANCE_UNDERLYINGS', 'BTC'],
    ['RECORD_ROTATE_MB', '0'],
  ])('names %s in its error', (name, value) => {
    expect(() => parseConnectorConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConnectorConfig({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });
});
