import { describe, expect, it } from 'vitest';
import { ConfigError } from '@volstream/runtime';
import { parseGatewayConfig } from './config.ts';

describe('parseGatewayConfig', () => {
  it('defaults to 0.0.0.0:8080 and a local NATS', () => {
    expect(parseGatewayConfig({})).toEqual({
      natsUrl: 'nats://127.0.0.1:4222', port: 8080, host: '0.0.0.0',
      ws: { pingMs: 15_000, conflateBytes: 1 << 20, dropBytes: 8 << 20, stallMs: 30_000 },
    });
  });

  it('reads the variables', () => {
    const c = parseGatewayConfig({ PORT: '0', HOST: '127.0.0.1', NATS_URL: 'nats://nats:4222', WS_CONFLATE_BYTES: '2048', WS_DROP_BYTES: '4096' });
    expect(c).toMatchObject({ port: 0, host: '127.0.0.1', natsUrl: 'nats://nats:4222', ws: { conflateBytes: 2048, dropBytes: 4096 } });
  });

  it.each([
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
