import { describe, expect, it } from 'vitest';
import { parseVolConfig } from './config.ts';

describe('parseVolConfig', () => {
  it('reads VOL_REPRICE_MS and the common variables', () => {
    expect(parseVolConfig({})).toMatchObject({ VOL_REPRICE_MS: 500, CHECKPOINT_MS: 1_000, NATS_URL: 'nats://127.0.0.1:4222' });
    expect(parseVolConfig({ VOL_REPRICE_MS: '250', SHARE: 'deribit.BTC' })).toMatchObject({ VOL_REPRICE_MS: 250, SHARE: 'deribit.BTC' });
  });

  it('names the variable in errors', () => {
    expect(() => parseVolConfig({ VOL_REPRICE_MS: '0' })).toThrow(/VOL_REPRICE_MS: must be >= 1 \(got "0"\)/);
  });
});
