import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STREAM_NAMES, type BookSnapshot, type Status } from '@volstream/events';
import { createLogger } from '@volstream/runtime';
import { readEvents, startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { parseConnectorConfig } from './config.ts';
import { startConnector, type ConnectorHandle } from './connector.ts';
import { startDeribitTestServer, type DeribitTestServer } from './testing/deribit-test-server.ts';
import * as S from './testing/deribit-scenario.ts';

const quiet = createLogger('connector-test', 'warn');
/** The scenario's six data channels plus instrument.state for options and futures. */
const CHANNELS = 8;

describe('connector against a local Deribit replaying real frames', () => {
  let nats: NatsServer;
  let venue: DeribitTestServer | undefined;
  let connector: ConnectorHandle | undefined;

  beforeEach(async () => { nats = await startNatsServer(); });
  afterEach(async () => {
    await connector?.stop();
    await venue?.close();
    await nats.stop();
    connector = undefined;
    venue = undefined;
  });

  const start = async (env: Record<string, string> = {}) => {
    const config = parseConnectorConfig({
      NATS_URL: nats.url, DERIBIT_WS_URL: venue!.url, DERIBIT_CURRENCIES: 'BTC', DERIBIT_RECONNECT_MIN_MS: '50', DERIBIT_RECONNECT_MAX_MS: '200',
      DERIBIT_SUBSCRIBE_PER_S: '3.3', ...env,
    });
    connector = await startConnector(config, { log: quiet });
    return connector;
  };
  const md = () => readEvents(nats.url, STREAM_NAMES.md);

  it('publishes instruments, books, tickers and index into the MD stream, once per id', async () => {
    venue = await startDeribitTestServer({ instruments: S.INSTRUMENTS, onSubscribe: S.replayScript({ duplicateTicker: true }) });
    const c = await start();
    await waitFor('an index event', async () => (await md()).some((e) => e.type === 'md.index'), { timeoutMs: 20_000 });
    await waitFor('a duplicate dropped', () => c.stats.publisher.duplicates >= 1, { timeoutMs: 20_000 });

    const events = await md();
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'md.instrument')).toHaveLength(3);
    expect(types.filter((t) => t === 'md.ticker')).toHaveLength(1); // sent twice, stored once (Nats-Msg-Id)
    expect(events.find((e) => e.type === 'status')).toMatchObject({ kind: 'feed_connected', underlying: 'BTC', stage: 'connector' });
    const snap = events.find((e): e is BookSnapshot => e.type === 'md.book.snapshot')!;
    expect(snap).toMatchObject({ instrument: S.PUT, underlying: 'BTC', expiryTs: Date.parse('2021-06-11T08:00:00Z'), seq: S.SNAPSHOT_CHANGE_ID, bids: [[0.005, 13.7], [0.0045, 5.7], [0.004, 61.6]] });
    expect(events.find((e) => e.type === 'md.ticker')).toMatchObject({ instrument: S.CALL, markIv: 0.6321, underlyingPrice: 9440.73 });
    expect(events.find((e) => e.type === 'md.future')).toMatchObject({ instrument: S.PERP, markPrice: 47225 });
    expect(events.find((e) => e.type === 'md.index')).toMatchObject({ underlying: 'BTC', price: 3937.89 });

    // Subscriptions: listing lifecycle first, one heartbeat setup, instruments per kind, batches within Deribit's limits.
    const subs = venue.requests.filter((r) => r.method === 'public/subscribe');
    expect(subs[0]!.params.channels).toEqual(['instrument.state.option.BTC', 'instrument.state.future.BTC']);
    expect(subs.slice(1).flatMap((r) => r.params.channels as string[]).sort()).toEqual(Object.values(S.channel).sort());
    expect(venue.requests.find((r) => r.method === 'public/set_heartbeat')?.params).toEqual({ interval: 10 });
    expect(venue.requests.filter((r) => r.method === 'public/get_instruments').map((r) => r.params)).toEqual([
      { currency: 'BTC', kind: 'option', expired: false }, { currency: 'BTC', kind: 'future', expired: false },
    ]);
  });

  it('sets malformed frames aside on the dead-letter subject and keeps going', async () => {
    venue = await startDeribitTestServer({ instruments: S.INSTRUMENTS, onSubscribe: S.replayScript() });
    const c = await start();
    await waitFor('all channels subscribed', () => c.stats.venues.deribit!.subscribedChannels === CHANNELS, { timeoutMs: 20_000 });
    venue.send('{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.BTC-11JUN21-25000-P.100ms","data":{"nope":1}}');
    venue.send('not json at all');
    venue.send(S.docIndex);
    await waitFor('two dead letters', async () => (await readEvents(nats.url, STREAM_NAMES.rejected)).length === 2, { timeoutMs: 20_000 });
    const rejected = await readEvents(nats.url, STREAM_NAMES.rejected);
    expect(rejected.map((r) => r.type === 'rejected' && r.reason)).toEqual([expect.stringMatching(/malformed JSON/), expect.stringMatching(/malformed JSON/)]);
    expect(c.stats.venues.deribit!.rejected).toBe(2);
    expect(rejected[1]).toMatchObject({ stage: 'connector', venue: 'deribit', raw: 'not json at all', truncated: false });
  });

  it('resubscribes a book channel after a change_id gap and publishes the fresh snapshot', async () => {
    venue = await startDeribitTestServer({
      instruments: S.INSTRUMENTS,
      onSubscribe: S.replayScript({
        putScript: (p) => {
          if (p.subscription === 1) {
            p.send(S.realSnapshot);
            for (const ch of S.putChanges) p.send(ch);
            p.send(S.putGapChange);
            p.send(S.putBook({ changeId: S.SNAPSHOT_CHANGE_ID + 45, prevChangeId: S.SNAPSHOT_CHANGE_ID + 40, bids: [], asks: [['new', 0.007, 1]] }));
          } else {
            p.send(S.putFreshSnapshot);
          }
        },
      }),
    });
    const c = await start();
    await waitFor('two book snapshots', async () => (await md()).filter((e) => e.type === 'md.book.snapshot').length === 2, { timeoutMs: 20_000 });
    const events = (await md()).filter((e) => ('instrument' in e && e.instrument === S.PUT) || (e.type === 'status' && e.kind === 'book_resync'));
    expect(events.map((e) => (e.type === 'status' ? `status:${e.kind}:${String(e.detail?.phase)}` : `${e.type}:${'seq' in e ? e.seq - S.SNAPSHOT_CHANGE_ID : ''}`)).filter((s) => !s.startsWith('md.instrument') && !s.startsWith('md.ticker'))).toEqual([
      'md.book.snapshot:0', 'md.book.delta:7', 'md.book.delta:19', 'md.book.delta:40', 'status:book_resync:gap', 'status:book_resync:resynced', 'md.book.snapshot:52',
    ]);
    const resync = events.find((e): e is Status => e.type === 'status')!;
    expect(resync).toMatchObject({ instrument: S.PUT, underlying: 'BTC', stage: 'connector', detail: { phase: 'gap', prevSeq: S.SNAPSHOT_CHANGE_ID + 31 } });
    const afterGap = venue.requests.slice(venue.requests.findIndex((r) => r.method === 'public/unsubscribe'));
    expect(afterGap.map((r) => [r.method, r.params.channels])).toEqual([['public/unsubscribe', [S.channel.putBook]], ['public/subscribe', [S.channel.putBook]]]);
    expect(c.stats.venues.deribit).toMatchObject({ resyncs: 1, droppedWhileResync: 1 });
  });

  it('answers every test_request with public/test', async () => {
    venue = await startDeribitTestServer({ instruments: S.INSTRUMENTS });
    const c = await start();
    await waitFor('all channels subscribed', () => c.stats.venues.deribit!.subscribedChannels === CHANNELS, { timeoutMs: 20_000 });
    venue.send({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } });
    venue.send({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'heartbeat' } });
    venue.send({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } });
    await venue.waitFor(() => venue!.requests.filter((r) => r.method === 'public/test').length === 2);
    expect(c.stats.venues.deribit).toMatchObject({ testRequests: 2, heartbeats: 1, rejected: 0 });
  });

  it('reconnects after the venue drops the connection, with disconnect/connect status events', async () => {
    venue = await startDeribitTestServer({ instruments: S.INSTRUMENTS, onSubscribe: S.replayScript() });
    const c = await start();
    await waitFor('all channels subscribed', () => c.stats.venues.deribit!.subscribedChannels === CHANNELS, { timeoutMs: 20_000 });
    venue.drop();
    await venue.waitFor(() => venue!.connections === 2 && venue!.requests.filter((r) => r.method === 'public/subscribe').length >= 4);
    await waitFor('all channels subscribed after a reconnect', () => c.stats.venues.deribit!.subscribedChannels === CHANNELS && c.stats.venues.deribit!.connects === 2, { timeoutMs: 20_000 });
    const statuses = (await md()).filter((e): e is Status => e.type === 'status').map((e) => e.kind);
    expect(statuses).toEqual(['feed_connected', 'feed_disconnected', 'feed_connected']);
    // The same real frames after the reconnect carry the same ids: stored once.
    const events = await md();
    expect(events.filter((e) => e.type === 'md.book.snapshot')).toHaveLength(1);
    expect(c.stats.publisher.duplicates).toBeGreaterThan(0);
  });

  it('backs off and retries a subscribe answered with 10028 too_many_requests', async () => {
    venue = await startDeribitTestServer({
      instruments: S.INSTRUMENTS, onSubscribe: S.replayScript(),
      failRequest: ({ method, n }) => (method === 'public/subscribe' && n === 2 ? { code: 10028, message: 'too_many_requests' } : undefined),
    });
    const c = await start();
    await waitFor('all channels subscribed', () => c.stats.venues.deribit!.subscribedChannels === CHANNELS, { timeoutMs: 20_000 });
    expect(c.stats.venues.deribit!.rateLimited).toBeGreaterThanOrEqual(1);
    expect(venue.requests.filter((r) => r.method === 'public/subscribe')).toHaveLength(3);
  });

  it('drops channels the venue refuses as invalid and subscribes the rest', async () => {
    venue = await startDeribitTestServer({
      instruments: S.INSTRUMENTS, onSubscribe: S.replayScript(),
      failRequest: ({ method, n }) => (method === 'public/subscribe' && n === 2
        ? { code: -32602, message: 'Invalid params', data: { param: 'channels', reason: 'invalid channel', channels: [S.channel.callBook] } }
        : undefined),
    });
    const c = await start();
    await waitFor('one channel fewer subscribed', () => c.stats.venues.deribit!.subscribedChannels === CHANNELS - 1, { timeoutMs: 20_000 });
    expect(c.stats.venues.deribit).toMatchObject({ invalidChannels: 1, connects: 1, rpcErrors: 0 });
    expect(venue.requests.filter((r) => r.method === 'public/subscribe').at(-1)!.params.channels).not.toContain(S.channel.callBook);
  });

  it('reports ticker and index channels that go quiet as feed_stale (not those of expired options)', async () => {
    venue = await startDeribitTestServer({ instruments: S.INSTRUMENTS, onSubscribe: S.replayScript() });
    const c = await start({ STALE_AFTER_MS: '400' });
    await waitFor('two stale feeds', () => (c.stats.venues.deribit?.stale ?? 0) >= 2, { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 600));
    const stale = (await md()).filter((e): e is Status => e.type === 'status' && e.kind === 'feed_stale');
    // The scenario's options (real 2020/2021 frames) have expired by wall time: silent by design.
    expect(stale.map((s) => s.detail?.channel).sort()).toEqual([S.channel.index, S.channel.perpTicker].sort());
    expect(stale.find((s) => s.instrument === S.PERP)).toMatchObject({ underlying: 'BTC', stage: 'connector' });
    expect(stale.find((s) => s.detail?.channel === S.channel.index)).toMatchObject({ underlying: 'BTC' });
    expect(c.stats.venues.deribit!.stale).toBe(2);
  });
});
