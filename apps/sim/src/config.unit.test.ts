import { describe, expect, it } from 'vitest';
import { parseSimConfig, SimConfigError } from './config.ts';

describe('parseSimConfig', () => {
  it('has the documented defaults', () => {
    expect(parseSimConfig({})).toMatchObject({
      port: 8090,
      host: '127.0.0.1',
      seed: 42,
      underlyings: ['BTC', 'ETH'],
      instrumentsPerUnderlying: 400,
      stepMs: 100,
      updatesPerSecond: 300,
      speed: 1,
      maxChannelsPerSubscribe: 500,
      minHeartbeatIntervalS: 10,
    });
  });

  it('parses values and treats empty strings as unset', () => {
    const c = parseSimConfig({ SIM_PORT: '0', SIM_UNDERLYINGS: ' eth ', SIM_INSTRUMENTS_PER_UNDERLYING: '4000', SIM_SPEED: '', SIM_SEED: '-3' });
    expect(c.port).toBe(0);
    expect(c.underlyings).toEqual(['ETH']);
    expect(c.instrumentsPerUnderlying).toBe(4000);
    expect(c.speed).toBe(1);
    expect(c.seed).toBe(-3);
  });

  it('names every bad variable and its value', () => {
    let err: unknown;
    try {
      parseSimConfig({ SIM_PORT: 'abc', SIM_UNDERLYINGS: 'BTC,SOL', SIM_INSTRUMENTS_PER_UNDERLYING: '4001' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('SIM_PORT');
    expect(msg).toContain('"abc"');
    expect(msg).toContain('SIM_UNDERLYINGS');
    expect(msg).toContain('SIM_INSTRUMENTS_PER_UNDERLYING: must be <= 4000');
  });
});
