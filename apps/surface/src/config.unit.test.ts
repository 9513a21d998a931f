import { describe, expect, it } from 'vitest';
import { ConfigError } from '@volstream/runtime';
import { parseSurfaceConfig } from './config.ts';
import { listFitters } from '@volstream/svi';

describe('parseSurfaceConfig', () => {
  it('has defaults', () => {
    expect(parseSurfaceConfig({})).toMatchObject({ FITTER: 'svi-qe', FIT_INTERVAL_MS: 1_000, MIN_POINTS: 6, NATS_URL: 'nats://127.0.0.1:4222' });
  });

  it('stops on an unknown fitter, naming FITTER and the known fitters', () => {
    let err: unknown;
    try { parseSurfaceConfig({ FITTER: 'sabr' }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('FITTER');
    expect(msg).toContain('"sabr"');
    for (const { id } of listFitters()) expect(msg).toContain(id);
  });

  it('names a bad number', () => {
    expect(() => parseSurfaceConfig({ FIT_INTERVAL_MS: 'often' })).toThrow(/FIT_INTERVAL_MS/);
    expect(() => parseSurfaceConfig({ MIN_POINTS: '2' })).toThrow(/MIN_POINTS: must be >= 5/);
  });
});
