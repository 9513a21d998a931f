import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_NAMES, type AnyEvent, type InstrumentDef, type Rejected, type Status } from '@volstream/events';
import { createLogger } from '@volstream/runtime';
import { readEvents, startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { parseConnectorConfig } from '../config.ts';
import { startConnector, type ConnectorHandle } from '../connector.ts';
import type { VenueName } from '../exchanges/names.ts';
import type { ModelDriver, ModelOptions } from './emulators/model.ts';
import { Emulator, type EmulatedProtocol } from './emulators/server.ts';
import { compareBooks, repeatedIds, sleep, type BookComparison } from './harness.ts';

export type VenueUnderTest = {
  venue: VenueName;
  protocol: (model: ModelDriver) => EmulatedProtocol;
  /** Connector environment pointing at the emulator, with short timeouts. */
  env: (e: Emulator) => Record<string, string>;
  /** Path of the (first) websocket, to measure reconnect attempts on one connection. */
  path: string;
  /** Partial-book feeds (Binance depth20) are compared on this many levels. */
  depth?: number;
  /** Deltas linked by sequence numbers (all but Binance partial books, which are snapshots). */
  sequenced: boolean;
  checksum?: boolean;
  /** A channel that ticks continuously, to stall (emulator and connector name it alike). */
  tickingChannel: string | ((e: Emulator) => string);
  model?: ModelOptions;
};

const log = createLogger('fault-test', 'error');
/** Short timeouts every venue's test uses (stale after 1 s, reconnect 50 ms..1 s). */
export const FAST = { STALE_AFTER_MS: '1000', RECONNECT_MIN_MS: '50', RECONNECT_MAX_MS: '1000', REQUEST_TIMEOUT_MS: '2000', INSTRUMENTS_REFRESH_MS: '500' };

/**
 * The fault suite every venue passes, against its emulator, a real nats-server and real
 * websockets. Faults run one after another on one running system (one nats-server per file);
 * after each, the book stage's core run over the MD stream must hold exactly the venue's books,
 * and downstream must have been told (a resync or stale status) rather than shown a wrong book.
 */
export function describeVenueFaults(v: VenueUnderTest): void {
  describe(`${v.venue}: faults survived against the ${v.venue} emulator`, () => {
    let nats: NatsServer;
    let emu: Emulator;
    let connector: ConnectorHandle;
    const md = () => readEvents(nats.url, STREAM_NAMES.md);
    const stats = () => connector.stats.venues[v.venue] ?? {};
    const stat = (k: string): number => stats()[k] ?? 0;
    const statuses = async (pred: (s: Status) => boolean) => (await md()).filter((e): e is Status => e.type === 'status' && pred(e));

    /** Freeze the market, wait until the connector's books equal the venue's, resume. */
    const booksMatch = async (what: string): Promise<BookComparison[]> => {
      emu.pause();
      try {
        let last: BookComparison[] = [];
        await waitFor(`${what}: books equal to the venue's`, async () => (last = compareBooks(await md(), emu, v.venue, v.depth)).every((c) => c.equal), { timeoutMs: 10_000 })
          .catch((err: Error) => {
            throw new Error(`${err.message}\n${JSON.stringify(last.filter((c) => !c.equal), null, 1).slice(0, 3_000)}`);
          });
        return last;
      } finally {
        emu.resume();
      }
    };
    const newStatuses = async (since: number, kind: Status['kind'], pred: (s: Status) => boolean = () => true) => (await md()).slice(since).filter((e): e is Status => e.type === 'status' && e.kind === kind && pred(e));

    beforeAll(async () => {
      nats = await startNatsServer();
      emu = await Emulator.start(v.protocol, { underlyings: ['BTC'], listedPerUnderlying: 4, ...v.model });
      connector = await startConnector(parseConnectorConfig({ NATS_URL: nats.url, VENUES: v.venue, ...FAST, ...v.env(emu) }), { log });
    });
    afterAll(async () => {
      await connector?.stop();
      await emu?.close();
      await nats?.stop();
    });

    it('lists, subscribes and rebuilds every book equal to the venue\'s', async () => {
      await waitFor('first snapshots', async () => (await md()).filter((e) => e.type === 'md.book.snapshot').length >= 4, { timeoutMs: 10_000 });
      const books = await booksMatch('start');
      expect(books).toHaveLength(4);
      const events = await md();
      const listed = new Set(events.filter((e): e is InstrumentDef => e.type === 'md.instrument').map((e) => e.instrument));
      for (const i of emu.listedInstruments()) expect(listed.has(i), i).toBe(true);
      await waitFor('a ticker', async () => (await md()).some((e) => e.type === 'md.ticker'), { timeoutMs: 5_000 });
      expect(stats()).toMatchObject({ rejected: 0, resyncs: 0 });
    });

    it(v.sequenced ? 'a skipped sequence number: the gap is flagged, the book resubscribed, rebuilt from a fresh snapshot' : 'a skipped push is superseded by the next whole book', async () => {
      const since = (await md()).length;
      emu.skipNextBook();
      await waitFor('a book message to skip', () => emu.injected.skipped.length === 1, { timeoutMs: 5_000 });
      if (v.sequenced) {
        const instrument = emu.injected.skipped[0]!;
        await waitFor('gap flagged and resynced', async () => (await newStatuses(since, 'book_resync', (s) => s.instrument === instrument && s.detail?.phase === 'resynced')).length > 0, { timeoutMs: 10_000 });
        const flags = await newStatuses(since, 'book_resync', (s) => s.instrument === instrument);
        expect(flags.map((s) => s.detail?.phase)).toEqual(['gap', 'resynced']);
        // The fresh snapshot follows its flag.
        const after = (await md()).slice(since);
        const flagAt = after.findIndex((e) => e.id === flags[1]!.id);
        expect(after.slice(flagAt + 1).find((e) => e.type === 'md.book.snapshot' && e.instrument === instrument)).toBeDefined();
      }
      await booksMatch('after a skipped message');
    });

    it(v.sequenced ? 'reordered frames: the late message reveals a gap, the book is resynced' : 'reordered frames: an older whole book never replaces a newer one', async () => {
      const since = (await md()).length;
      emu.reorderNextBook();
      await waitFor('two book messages of one instrument to swap', () => emu.injected.reordered.length === 1, { timeoutMs: 10_000 });
      if (v.sequenced) {
        const instrument = emu.injected.reordered[0]!;
        await waitFor('reorder resynced', async () => (await newStatuses(since, 'book_resync', (s) => s.instrument === instrument && s.detail?.phase === 'resynced')).length > 0, { timeoutMs: 10_000 });
      }
      await booksMatch('after reordered messages');
    });

    it('duplicated frames: each repeat is dropped, no resync, nothing stored twice', async () => {
      const resyncs = stat('resyncs');
      const dupes = connector.stats.publisher.duplicates + stat('duplicates');
      emu.duplicateNext(30);
      await waitFor('30 duplicated frames', () => emu.injected.duplicated >= 30, { timeoutMs: 10_000 });
      await waitFor('repeats dropped', () => connector.stats.publisher.duplicates + stat('duplicates') > dupes, { timeoutMs: 5_000 });
      await booksMatch('after duplicates');
      expect(stat('resyncs')).toBe(resyncs);
      expect(repeatedIds(await md())).toEqual([]);
    });

    if (v.checksum) {
      it('a checksum mismatch: the message is withheld, a resync flagged, the book rebuilt', async () => {
        const since = (await md()).length;
        emu.corruptNextBook();
        await waitFor('a book message to corrupt', () => emu.injected.corrupted.length === 1, { timeoutMs: 10_000 });
        const instrument = emu.injected.corrupted[0]!;
        await waitFor('checksum resync', async () => (await newStatuses(since, 'book_resync', (s) => s.instrument === instrument && s.detail?.phase === 'resynced')).length > 0, { timeoutMs: 10_000 });
        const phases = (await newStatuses(since, 'book_resync', (s) => s.instrument === instrument)).map((s) => s.detail?.phase);
        expect(phases).toEqual(['checksum', 'resynced']);
        expect(stat('checksumMismatches')).toBeGreaterThanOrEqual(1);
        await booksMatch('after a checksum mismatch');
      });
    }

    it('malformed JSON, an unknown shape and a 10 MB frame are dead-lettered with reasons; the feed goes on', async () => {
      const rejectedBefore = stat('rejected');
      const huge = `{"padding":"${'x'.repeat(10 * 1024 * 1024)}"}`;
      emu.sendRaw('{"this is": not json');
      emu.sendRaw('{"jsonrpc":"2.0","method":"subscription","params":{"channel":"weather.today","data":{}}}');
      emu.sendRaw(huge);
      await waitFor('three rejections', () => stat('rejected') >= rejectedBefore + 3, { timeoutMs: 10_000 });
      await waitFor('dead letters stored', async () => (await readEvents(nats.url, STREAM_NAMES.rejected)).length >= rejectedBefore + 3, { timeoutMs: 10_000 });
      const dead = (await readEvents(nats.url, STREAM_NAMES.rejected)) as Rejected[];
      expect(dead.every((r) => r.type === 'rejected' && r.venue === v.venue && r.stage === 'connector' && r.reason.length > 0)).toBe(true);
      expect(dead.some((r) => /malformed JSON/.test(r.reason))).toBe(true);
      const big = dead.find((r) => r.truncated);
      expect(big?.raw.length).toBe(64 * 1024);
      await booksMatch('after bad frames');
    });

    it('a stalled channel is reported stale, once, while the others go on', async () => {
      const since = (await md()).length;
      const channel = typeof v.tickingChannel === 'string' ? v.tickingChannel : v.tickingChannel(emu);
      emu.stall(channel);
      await waitFor('feed_stale', async () => (await newStatuses(since, 'feed_stale', (s) => s.detail?.channel === channel)).length > 0, { timeoutMs: 8_000 });
      await sleep(1_100); // another stale period: still one status
      emu.stall(channel, false);
      const stale = await newStatuses(since, 'feed_stale', (x) => x.detail?.channel === channel);
      expect(stale).toHaveLength(1);
      expect(stale[0]).toMatchObject({ stage: 'connector', underlying: 'BTC', venue: v.venue });
      expect(await newStatuses(since, 'feed_stale', (x) => x.detail?.channel !== channel)).toEqual([]);
    });

    it('subscription and rate-limit errors: the connector backs off, retries and ends fully subscribed', async () => {
      const connects = stat('connects');
      emu.failNextSubscribe('rateLimit');
      emu.failNextSubscribe('error');
      emu.drop();
      await waitFor('reconnect', () => stat('connects') > connects, { timeoutMs: 10_000 });
      await booksMatch('after subscription errors');
      await waitFor('the rate limit handled', () => stat('rateLimited') >= 1 || stat('connects') > connects + 1, { timeoutMs: 5_000 });
    });

    it('a dropped connection: disconnect and connect statuses, fresh snapshots, books equal', async () => {
      const since = (await md()).length;
      const connects = stat('connects');
      emu.drop();
      await waitFor('reconnect', () => stat('connects') > connects, { timeoutMs: 10_000 });
      const kinds = (await md()).slice(since).filter((e): e is Status => e.type === 'status' && e.kind.startsWith('feed_')).map((s) => s.kind);
      expect(kinds.indexOf('feed_disconnected')).toBeGreaterThanOrEqual(0);
      expect(kinds.lastIndexOf('feed_connected')).toBeGreaterThan(kinds.indexOf('feed_disconnected'));
      await booksMatch('after a dropped connection');
    });

    it('heartbeats stop (the link goes silent): detected, reconnected, books equal', async () => {
      const disconnects = stat('disconnects');
      const connects = stat('connects');
      const open = emu.open;
      emu.setSilent(true);
      await waitFor('silence detected', () => stat('disconnects') > disconnects, { timeoutMs: 10_000 });
      emu.setSilent(false);
      await waitFor('reconnected', () => stat('connects') > connects && emu.open >= open, { timeoutMs: 10_000 });
      await booksMatch('after silence');
    });

    it('reconnect attempts back off: the gaps between attempts grow', async () => {
      const from = emu.attempts.length;
      emu.refuseConnections(5, v.path);
      emu.drop(v.path);
      await waitFor('six attempts', () => emu.attempts.slice(from).filter((a) => a.path === v.path).length >= 6, { timeoutMs: 15_000 });
      const at = emu.attempts.slice(from).filter((a) => a.path === v.path).map((a) => a.at);
      const gaps = at.slice(1).map((t, i) => t - at[i]!);
      // Jitter lies between consecutive ceilings, so no wait is shorter than the one before
      // (a few ms of timer slack allowed); the ceiling doubles from 50 ms.
      for (let i = 1; i < gaps.length; i++) expect(gaps[i]!, JSON.stringify(gaps)).toBeGreaterThanOrEqual(gaps[i - 1]! - 15);
      expect(gaps.at(-1)!, JSON.stringify(gaps)).toBeGreaterThan(2 * gaps[0]!);
      await booksMatch('after refused connections');
    });

    it('a listing appears and another ends while running', async () => {
      const fresh = emu.model.unlistedCandidate('BTC')!;
      const gone = emu.model.listedOptions()[0]!;
      const freshName = emu.instrumentOf(fresh.name);
      const delisted = stat('delisted');
      emu.list(fresh.name);
      await waitFor('the new listing\'s book', async () => (await md()).some((e) => e.type === 'md.book.snapshot' && e.instrument === freshName), { timeoutMs: 10_000 });
      emu.delist(gone.name);
      await waitFor('the ended listing dropped', () => stat('delisted') > delisted, { timeoutMs: 10_000 });
      const books = await booksMatch('after listing changes');
      expect(books.map((b) => b.instrument)).toContain(freshName);
      expect(books.map((b) => b.instrument)).not.toContain(emu.instrumentOf(gone.name));
    });

    it('nothing was published twice: distinct ids = stream messages; no publish failed', async () => {
      await sleep(200);
      const events: AnyEvent[] = await md();
      expect(repeatedIds(events)).toEqual([]);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      expect(connector.stats.publisher.failed).toBe(0);
      expect(connector.stats.sink.unroutable).toBe(0);
    });
  });
}
