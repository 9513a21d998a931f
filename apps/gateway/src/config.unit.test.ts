import { describe, expect, it } from 'vitest';
import { ConfigError } from '@volstream/runtime';
import { parseGatewayConfig } from './config.ts';

describe('parseGatewayConfig', () => {
  it('defaults to 0.0.0.0:8080 and a local NATS', () => {
    expect(parseGatewayConfig({})).toEqual({
      natsUrl: 'nats://127.0.0.1:4222', port: 8080, host: '0.0.0.0',
      ws: { pingMs: 15_000, conflateBytes: 1 << 20, dropBytes: 8 << 20, stallMs: 30_000 },
      apiKeys: undefined, corsOrigins: undefined, rateLimit: { rps: 20, burst: 40 }, historyMaxPoints: 2_000, pipelinePollMs: 5_000,
    });
  });

  it('reads the variables', () => {
    const c = parseGatewayConfig({ PORT: '0', HOST: '127.0.0.1', NATS_URL: 'nats://nats:4222', WS_CONFLATE_BYTES: '2048', WS_DROP_BYTES: '4096' });
    expect(c).toMatchObject({ port: 0, host: '127.0.0.1', natsUrl: 'nats://nats:4222', ws: { conflateBytes: 2048, dropBytes: 4096 } });
  });

  it('reads API keys, CORS origins and rate limits', () => {
    const c = parseGatewayConfig({ API_KEYS: 'desk:0123456789abcdef0123, fedcba9876543210fedc', CORS_ORIGINS: 'https://a.example, http://localhost:3000', RATE_LIMIT_RPS: '0.5', RATE_LIMIT_BURST: '3' });
    expect([...c.apiKeys!.values()]).toEqual(['desk', 'key-fedcba']);
    expect(c.corsOrigins).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(c.rateLimit).toEqual({ rps: 0.5, burst: 3 });
    expect(parseGatewayConfig({ CORS_ORIGINS: '*', RATE_LIMIT_RPS: '0' })).toMatchObject({ corsOrigins: '*', rateLimit: { rps: 0 } });
  });

  it.each([
    [{ API_KEYS: 'short' }, 'API_KEYS'],
    [{ API_KEYS: 'bad name:0123456789abcdef0123' }, 'API_KEYS'],
    [{ CORS_ORIGINS: 'example.com' }, 'CORS_ORIGINS'],
    [{ RATE_LIMIT_RPS: '-1' }, 'RATE_LIMIT_RPS'],
    [{ HISTORY_MAX_POINTS: '5' }, 'HISTORY_MAX_POINTS'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ NATS_URL: 'http://x:4222' }, 'NATS_URL'],
    [{ HOST: 'a b' }, 'HOST'],
    [{ WS_CONFLATE_BYTES: '4096', WS_DROP_BYTES: '2048' }, 'WS_DROP_BYTES'],
  ])('names the variable in the error for %j', (vars, name) => {
    expect(() => parseGatewayConfig(vars)).toThrow(ConfigError);
    expect(() => parseGatewayConfig(vars)).toThrow(new RegExp(`${name}: `));
  });
});
