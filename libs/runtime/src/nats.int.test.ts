import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { STREAM_NAMES } from '@volstream/events';
import { startNatsServer, type NatsServer } from './testing/index.ts';
import { connectNats, ensureStreams, streamLimitsFromEnv } from './nats.ts';
import { ConfigError } from './config.ts';

describe('stream retention', () => {
  let nats: NatsServer;
  beforeAll(async () => { nats = await startNatsServer(); });
  afterAll(async () => { await nats?.stop(); });

  it('reads limits from the environment, naming a bad variable', () => {
    expect(streamLimitsFromEnv({})).toEqual({});
    expect(streamLimitsFromEnv({ MD_MAX_GB: '3', STREAM_MAX_AGE_H: '48' })).toEqual({
      md: { maxBytes: 3e9, maxAgeMs: 48 * 3_600_000 }, book: { maxAgeMs: 48 * 3_600_000 }, vol: { maxAgeMs: 48 * 3_600_000 },
    });
    expect(() => streamLimitsFromEnv({ VOL_MAX_GB: 'lots' })).toThrow(ConfigError);
    expect(() => streamLimitsFromEnv({ VOL_MAX_GB: 'lots' })).toThrow(/VOL_MAX_GB/);
  });

  it('a worker starting later keeps the limits an operator set', async () => {
    const nc = await connectNats({ url: nats.url, name: 't' });
    const jsm = await jetstreamManager(nc);
    await ensureStreams(jsm, streamLimitsFromEnv({ MD_MAX_GB: '3' }));
    await ensureStreams(jsm); // what every worker does at start
    expect((await jsm.streams.info(STREAM_NAMES.md)).config.max_bytes).toBe(3e9);
    await ensureStreams(jsm, streamLimitsFromEnv({ MD_MAX_GB: '5' }));
    expect((await jsm.streams.info(STREAM_NAMES.md)).config.max_bytes).toBe(5e9);
    await nc.close();
  });
});
