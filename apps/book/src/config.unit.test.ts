import { describe, expect, it } from 'vitest';
import { ConfigError } from '@volstream/runtime';
import { parseBookConfig } from './config.ts';

describe('parseBookConfig', () => {
  it('defaults to the whole MD stream', () => {
    expect(parseBookConfig({})).toEqual({ natsUrl: 'nats://127.0.0.1:4222', share: {}, checkpointMs: 1_000, batchSize: 1_000 });
  });

  it('reads a share as venue[.underlying[.expiry]]', () => {
    expect(parseBookConfig({ SHARE: 'deribit.BTC', NATS_URL: 'nats://n:4222', BOOK_BATCH_SIZE: '200' })).toMatchObject({ share: { venue: 'deribit', underlying: 'BTC' }, batchSize: 200 });
    expect(parseBookConfig({ SHARE: 'deribit.*.20261127' }).share).toEqual({ venue: 'deribit', underlying: undefined, expiry: '20261127' });
  });

  it.each([['SHARE', 'a.b.c.d'], ['NATS_URL', 'ws://x'], ['BOOK_BATCH_SIZE', '0'], ['CHECKPOINT_MS', 'often']])('names %s in its error', (name, value) => {
    expect(() => parseBookConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseBookConfig({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });
});
