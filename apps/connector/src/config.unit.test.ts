import { describe, expect, it } from 'vitest';
import { ConfigError } from '@volstream/runtime';
import { parseConnectorConfig } from './config.ts';

describe('parseConnectorConfig', () => {
  it('has defaults that point at the simulated venue', () => {
    const c = parseConnectorConfig({});
    expect(c).toMatchObject({ natsUrl: 'nats://127.0.0.1:4222', venues: ['deribit'] });
    expect(c.deribit).toMatchObject({ url: 'ws://127.0.0.1:8090/ws/api/v2', currencies: ['BTC', 'ETH'], heartbeatS: 10, staleAfterMs: 30_000, subscribePerS: 3 });
  });

  it('reads every variable', () => {
    const c = parseConnectorConfig({ NATS_URL: 'nats://h:1', VENUES: 'deribit', DERIBIT_WS_URL: 'wss://www.deribit.com/ws/api/v2', DERIBIT_CURRENCIES: 'BTC', DERIBIT_HEARTBEAT_S: '30', STALE_AFTER_MS: '5000' });
    expect(c.deribit).toMatchObject({ url: 'wss://www.deribit.com/ws/api/v2', currencies: ['BTC'], heartbeatS: 30, staleAfterMs: 5_000 });
  });

  it.each([
    ['NATS_URL', 'http://x'],
    ['VENUES', 'deribit,mtgox'],
    ['DERIBIT_WS_URL', 'http://127.0.0.1:8090'],
    ['DERIBIT_CURRENCIES', 'btc'],
    ['DERIBIT_HEARTBEAT_S', '5'],
    ['STALE_AFTER_MS', 'soon'],
    ['DERIBIT_RECONNECT_MAX_MS', '100'],
  ])('names %s in its error', (name, value) => {
    expect(() => parseConnectorConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConnectorConfig({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });
});
