import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STREAM_NAMES, type Status, type TopOfBook } from '@volstream/events';
import { createLogger } from '@volstream/runtime';
import { readEvents, startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { parseConnectorConfig, startConnector, type ConnectorHandle } from '@volstream/connector';
import { deribitScenario as S, startDeribitTestServer, type DeribitTestServer } from '@volstream/connector/testing';
import { parseBookConfig } from './config.ts';
import { startBook, type BookHandle } from './worker.ts';

const log = createLogger('book-test', 'warn');

describe('connector -> MD stream -> book worker -> BOOK stream', () => {
  let nats: NatsServer;
  let venue: DeribitTestServer;
  let connector: ConnectorHandle;
  let book: BookHandle;

  beforeEach(async () => {
    nats = await startNatsServer();
    venue = await startDeribitTestServer({
      instruments: S.INSTRUMENTS,
      onSubscribe: S.replayScript({
        putScript: (p) => {
          if (p.subscription > 1) return p.send(S.putFreshSnapshot);
          p.send(S.realSnapshot);
          for (const ch of S.putChanges) p.send(ch);
          p.send(S.putGapChange);
        },
      }),
    });
  });
  afterEach(async () => {
    await book?.stop();
    await connector?.stop();
    await venue.close();
    await nats.stop();
  });

  it('builds tops from real frames, withholds the book across a gap and rebuilds it from the fresh snapshot', async () => {
    connector = await startConnector(parseConnectorConfig({ NATS_URL: nats.url, DERIBIT_WS_URL: venue.url, DERIBIT_CURRENCIES: 'BTC' }), { log });
    book = await startBook(parseBookConfig({ NATS_URL: nats.url, SHARE: 'deribit' }), { log });
    const tops = async () => (await readEvents(nats.url, STREAM_NAMES.book)).filter((e): e is TopOfBook => e.type === 'book.top' && e.instrument === S.PUT);
    await waitFor('a top of book with bid 0.0052', async () => (await tops()).some((t) => t.bid === 0.0052), { timeoutMs: 20_000 });

    const out = await readEvents(nats.url, STREAM_NAMES.book);
    expect((await tops()).map((t) => [t.bid, t.bidSize, t.ask, t.askSize])).toEqual([
      [0.005, 13.7, 0.006, 64.5], // the real snapshot
      [0.005, 10.2, 0.006, 64.5], // change: bid size
      [0.0055, 1.5, 0.0065, 48], // change: new best bid, best ask deleted
      [null, null, null, null], // the gap
      [0.0052, 4, 0.0065, 48], // the fresh snapshot after the resubscribe
    ]);
    expect((await tops())[0]).toMatchObject({ underlying: 'BTC', strike: 25_000, optionType: 'put', settlement: 'inverse', expiryTs: Date.parse('2021-06-11T08:00:00Z') });
    const statuses = out.filter((e): e is Status => e.type === 'status').map((s) => `${s.stage}:${s.kind}`);
    // The connector flags the gap, then the fresh snapshot it resubscribed for (detail.phase 'resynced').
    expect(statuses).toEqual(['connector:feed_connected', 'book:book_resync', 'connector:book_resync', 'connector:book_resync']);
    expect(out.find((e) => e.type === 'book.forward')).toMatchObject({ underlying: 'BTC', expiryTs: Date.parse('2020-06-05T08:00:00Z'), forward: 9440.73, source: 'underlying_price', sourceName: 'SYN.BTC-5JUN20' });
    expect(out.find((e) => e.type === 'book.mark')).toMatchObject({ instrument: S.CALL, markPrice: 0.03847784, venueMarkIv: 0.6321 });
    expect(book.stats.rejected).toBe(0);
  });
});
