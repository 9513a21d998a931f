import { describe, expect, it } from 'vitest';
import { gatewayFamilies, renderPrometheus } from './prometheus.ts';
import { streamRates } from './pipeline.ts';
import { SurfaceStore } from './store.ts';
import { BASE_TS, exampleSurface } from './testing/fixtures.ts';

// One sample line of the text format: name{label="value",…} number
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;

describe('Prometheus text', () => {
  it('renders HELP, TYPE and samples, escaping label values', () => {
    const text = renderPrometheus([
      { name: 'x_total', help: 'a\\b\nc', type: 'counter', samples: [{ value: 3 }, { labels: { a: 'q"u\\o\nte' }, value: Number.NaN }] },
      { name: 'y', help: 'y', type: 'gauge', samples: [{ labels: { a: '1', b: '2' }, value: Infinity }] },
    ]);
    expect(text).toBe([
      '# HELP x_total a\\\\b\\nc', '# TYPE x_total counter', 'x_total 3', 'x_total{a="q\\"u\\\\o\\nte"} NaN',
      '# HELP y y', '# TYPE y gauge', 'y{a="1",b="2"} +Inf', '',
    ].join('\n'));
  });

  it('exposes the gateway, fits, consumers and streams in valid lines', () => {
    const store = new SurfaceStore();
    store.apply(exampleSurface());
    const text = renderPrometheus(gatewayFamilies({
      store, now: BASE_TS + 2_000, nats: { connected: true }, feed: { surfaceMessages: 5, volMessages: 7, decodeErrors: 0 },
      websocket: { clients: 2 }, http: { requests: { '2xx': 4 }, unauthorized: 1, rateLimited: 0 },
      pipeline: { ts: 0, consumers: [{ stream: 'VS_VOL', consumer: 'surface_all', pending: 12, ackPending: 3, redelivered: 0 }], streams: [{ stream: 'VS_VOL', messages: 10, bytes: 100, lastSeq: 99, ratePerSec: 1 }] },
    }));
    for (const line of text.trimEnd().split('\n')) if (!line.startsWith('#')) expect(line).toMatch(SAMPLE);
    expect(text).toContain('volstream_surface_age_seconds{underlying="BTC",venue="deribit"} 2');
    expect(text).toContain('volstream_consumer_pending{stream="VS_VOL",consumer="surface_all"} 12');
    expect(text).toMatch(/volstream_fit_rmse_volpoints\{underlying="BTC",venue="deribit",expiry="\d{8}"\} 0\.\d+/);
    expect(text).toContain('volstream_http_requests_total{code="2xx"} 4');
  });
});

describe('streamRates', () => {
  it('is messages stored per second between two polls, null on the first or after a reset', () => {
    const s = (lastSeq: number) => ({ stream: 'VS_MD', messages: 1, bytes: 1, lastSeq });
    expect(streamRates(undefined, 0, [s(10)])[0]!.ratePerSec).toBeNull();
    expect(streamRates({ ts: 0, streams: [s(10)] }, 2_000, [s(510)])[0]!.ratePerSec).toBe(250);
    expect(streamRates({ ts: 0, streams: [s(10)] }, 2_000, [s(5)])[0]!.ratePerSec).toBeNull();
  });
});
