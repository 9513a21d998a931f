import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_NAMES } from '@volstream/events';
import { createLogger } from '@volstream/runtime';
import { readEvents, startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { startSimVenue, type SimVenue } from '@volstream/sim';
import { parseConnectorConfig, startConnector, type ConnectorHandle } from '@volstream/connector';
import { parseBookConfig } from './config.ts';
import { startBook, type BookHandle } from './worker.ts';

const log = createLogger('sim-test', 'warn');

describe('connector and book on the simulated Deribit venue (apps/sim)', () => {
  let nats: NatsServer;
  let sim: SimVenue;
  let connector: ConnectorHandle;
  let book: BookHandle;

  beforeAll(async () => {
    nats = await startNatsServer();
    sim = await startSimVenue({ port: 0, underlyings: ['BTC', 'ETH'], instrumentsPerUnderlying: 120, seed: 11 });
    connector = await startConnector(parseConnectorConfig({ NATS_URL: nats.url, DERIBIT_WS_URL: sim.url }), { log });
    book = await startBook(parseBookConfig({ NATS_URL: nats.url }), { log });
  });
  afterAll(async () => {
    await book?.stop();
    await connector?.stop();
    await sim?.close();
    await nats?.stop();
  });

  it('lists, subscribes and publishes every instrument without a rejected frame or a sequence gap', async () => {
    const venue = () => connector.stats.venues.deribit!;
    await waitFor('every sim instrument and a subscription', () => venue().instruments === sim.stats().instruments && (venue().subscribedChannels ?? 0) > 0, { everyMs: 100 });
    await new Promise((r) => setTimeout(r, 3_000));
    const md = await readEvents(nats.url, STREAM_NAMES.md);
    const options = md.filter((e) => e.type === 'md.instrument' && e.kind === 'option').map((e) => (e as { instrument: string }).instrument);
    const snapshots = new Set(md.flatMap((e) => (e.type === 'md.book.snapshot' ? [e.instrument] : [])));
    expect(options.length).toBeGreaterThan(100);
    // Every option's book channel opened with a snapshot.
    expect(options.filter((o) => !snapshots.has(o))).toEqual([]);
    expect(md.some((e) => e.type === 'md.ticker')).toBe(true);
    expect(new Set(md.flatMap((e) => (e.type === 'md.index' ? [e.underlying] : [])))).toEqual(new Set(['BTC', 'ETH']));
    expect(venue()).toMatchObject({ rejected: 0, resyncs: 0, rpcErrors: 0 });
    expect(connector.stats.publisher.failed).toBe(0);
  });

  it('the book worker turns that MD stream into tops for the options, with no gap of its own', async () => {
    await waitFor('100 book outputs', async () => book.stats.lastSeq > 0 && book.stats.outputs > 100, { everyMs: 100 });
    const out = await readEvents(nats.url, STREAM_NAMES.book);
    const topped = new Set(out.flatMap((e) => (e.type === 'book.top' ? [e.instrument] : [])));
    const md = await readEvents(nats.url, STREAM_NAMES.md);
    const options = md.filter((e) => e.type === 'md.instrument' && e.kind === 'option').length;
    expect(topped.size).toBeGreaterThan(options * 0.9);
    expect(out.filter((e) => e.type === 'status' && e.kind === 'book_resync')).toEqual([]);
    for (const e of out) if (e.type === 'book.top' && e.bid !== null && e.ask !== null) expect(e.bid).toBeLessThan(e.ask);
    expect(out.some((e) => e.type === 'book.forward')).toBe(true);
    expect(out.some((e) => e.type === 'book.mark')).toBe(true);
    expect(book.stats.rejected).toBe(0);
  });
});
