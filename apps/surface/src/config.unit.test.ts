import { describe, expect, it } from 'vitest';
import { ConfigError } from '@volstream/runtime';
import { parseSurfaceConfig } from './config.ts';
import { listFitters } from '@volstream/svi';

describe('parseSurfaceConfig', () => {
  it('has defaults', () => {
    expect(parseSurfaceConfig({})).toMatchObject({ FITTER: 'svi-qe', FIT_INTERVAL_MS: 1_000, MIN_POINTS: 6, NATS_URL: 'nats://127.0.0.1:4222', COMPOSITE: 'also' });
  });

  it('fits the composite by default unless SHARE takes one venue', () => {
    expect(parseSurfaceConfig({ SHARE: '*.BTC' }).COMPOSITE).toBe('also');
    expect(parseSurfaceConfig({ SHARE: '>' }).COMPOSITE).toBe('also');
    expect(parseSurfaceConfig({ SHARE: 'deribit' }).COMPOSITE).toBe('off');
    expect(parseSurfaceConfig({ SHARE: 'deribit.BTC', COMPOSITE: '0' }).COMPOSITE).toBe('off');
    expect(parseSurfaceConfig({ SHARE: '*.ETH', COMPOSITE: 'only' }).COMPOSITE).toBe('only');
    expect(parseSurfaceConfig({ COMPOSITE: 'no' }).COMPOSITE).toBe('off');
  });

  it('refuses a composite on a one-venue share, and names a bad COMPOSITE', () => {
    expect(() => parseSurfaceConfig({ SHARE: 'deribit.BTC', COMPOSITE: '1' })).toThrow(ConfigError);
    expect(() => parseSurfaceConfig({ SHARE: 'deribit.BTC', COMPOSITE: '1' })).toThrow(/COMPOSITE: .*SHARE=deribit\.BTC.*\*\.BTC/);
    expect(() => parseSurfaceConfig({ COMPOSITE: 'maybe' })).toThrow(/COMPOSITE: must be one of .*only \(got "maybe"\)/);
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

  it('refuses an expiry share, naming SHARE', () => {
    expect(() => parseSurfaceConfig({ SHARE: 'deribit.BTC.20261127' })).toThrow(/SHARE/);
    expect(parseSurfaceConfig({ SHARE: 'deribit.BTC' }).SHARE).toBe('deribit.BTC');
  });
});
