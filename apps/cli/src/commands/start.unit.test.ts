import { describe, expect, it } from 'vitest';
import { ConfigError } from '@volstream/runtime';
import { connectorEnv } from './start.ts';

const cfg = { SIM_PORT: 8090, DERIBIT_WS_URL: 'wss://www.deribit.com/ws/api/v2', OKX_WS_URL: undefined, BYBIT_WS_URL: undefined, BINANCE_WS_URL: undefined };

describe('start: what the connector is told', () => {
  it('runs the simulated venue by default, standing in for deribit', () => {
    expect(connectorEnv({ ...cfg, VENUES: ['sim'] })).toEqual({ VENUES: 'deribit', DERIBIT_WS_URL: 'ws://127.0.0.1:8090/ws/api/v2' });
  });

  it('passes the live venues and each one\'s URL variable (the others only when set)', () => {
    expect(connectorEnv({ ...cfg, VENUES: ['deribit', 'okx', 'bybit', 'binance'], BYBIT_WS_URL: 'wss://stream-testnet.bybit.com/v5/public/option' })).toEqual({
      VENUES: 'deribit,okx,bybit,binance',
      DERIBIT_WS_URL: 'wss://www.deribit.com/ws/api/v2',
      BYBIT_WS_URL: 'wss://stream-testnet.bybit.com/v5/public/option',
    });
    expect(connectorEnv({ ...cfg, VENUES: ['okx', 'okx'], OKX_WS_URL: 'ws://127.0.0.1:9001/ws/v5/public' })).toEqual({ VENUES: 'okx', OKX_WS_URL: 'ws://127.0.0.1:9001/ws/v5/public' });
  });

  it('refuses unknown venues and sim mixed with live ones, naming VENUES', () => {
    expect(() => connectorEnv({ ...cfg, VENUES: ['deribit', 'nowhere'] })).toThrow(ConfigError);
    expect(() => connectorEnv({ ...cfg, VENUES: ['deribit', 'nowhere'] })).toThrow(/VENUES \(--venues\): unknown venue nowhere; known: sim, deribit, okx, bybit, binance/);
    expect(() => connectorEnv({ ...cfg, VENUES: ['sim', 'okx'] })).toThrow(/VENUES.*either sim or live/);
  });
});
