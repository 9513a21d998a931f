import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@volstream/runtime';
import { waitFor } from '@volstream/runtime/testing';
import { serveGateway, type ServedGateway } from './server.ts';
import { SurfaceStore } from './store.ts';
import { BASE_TS, exampleQuotes, exampleSurface } from './testing/fixtures.ts';
import { TestClient } from './testing/ws-client.ts';

// The websocket server with real sockets, fed straight from a store (NATS plays no part in
// flow control): a client that stops reading must cost the server a bounded buffer, then go.

const limits = { pingMs: 60_000, conflateBytes: 256 * 1024, dropBytes: 4 << 20, stallMs: 1_500 };

describe('a websocket client that does not read', () => {
  const store = new SurfaceStore();
  let gw: ServedGateway;
  let n = 0;
  const push = () => {
    const s = exampleSurface({ ts: BASE_TS + ++n, id: `S:${n}` });
    gw.hub.onChange(store.apply(s));
  };

  beforeAll(async () => {
    const first = exampleSurface({ ts: BASE_TS });
    store.apply(first);
    // ~60 strikes x 2 types x 6 expiries of quotes: each update is a few hundred kB.
    for (const p of exampleQuotes(first, { strikes: 60 })) store.apply(p);
    gw = await serveGateway({
      store, host: '127.0.0.1', port: 0, ws: limits, log: createLogger('slow-test', 'error'),
      health: { nats: () => ({ connected: true, status: 'connected' }), feed: () => ({}) },
    });
  });
  afterAll(async () => { await gw?.close(); });

  it('keeps its server-side buffer bounded with conflated updates, drops it, and keeps serving others', async () => {
    const url = `${gw.url.replace('http', 'ws')}/ws`;
    const slow = await TestClient.open(url);
    const fast = await TestClient.open(url);
    for (const c of [slow, fast]) c.send({ op: 'subscribe', channel: 'surface', underlying: 'BTC' });
    const snap = await slow.next((m) => m.type === 'snapshot');
    await fast.next((m) => m.type === 'snapshot');
    const messageBytes = JSON.stringify(snap).length;
    expect(messageBytes).toBeGreaterThan(100_000);

    slow.ws.pause(); // stop reading: the kernel buffers fill, then the server's
    let maxBuffered = 0;
    const updates = 200; // far more than loopback socket buffers hold
    for (let i = 0; i < updates; i++) {
      push();
      maxBuffered = Math.max(maxBuffered, gw.hub.stats().maxBufferedBytes);
      await new Promise((r) => setImmediate(r));
    }
    const stats = gw.hub.stats();
    expect(stats.conflated).toBeGreaterThan(0);
    // Never more than the conflation bound plus the one message that crossed it.
    expect(maxBuffered).toBeGreaterThan(limits.conflateBytes);
    expect(maxBuffered).toBeLessThanOrEqual(limits.conflateBytes + messageBytes);

    // Still above the bound after stallMs: dropped.
    await waitFor('the slow client to be dropped', () => (gw.hub.stats().dropped === 1 ? true : undefined), { timeoutMs: 10_000 });
    expect(gw.hub.stats().clients).toBe(1);
    slow.ws.resume();
    await waitFor('the slow client socket to close', () => (slow.ws.readyState === slow.ws.CLOSED ? true : undefined), { timeoutMs: 10_000 });

    // The reading client got every update, in order.
    const seqs = (await waitFor('all updates on the fast client', () => {
      const s = fast.messages.filter((m) => m.type === 'update').map((m) => m.seq);
      return s.length === updates ? s : undefined;
    }, { timeoutMs: 20_000 }));
    expect(seqs).toEqual(Array.from({ length: updates }, (_, i) => snap.seq + 1 + i));
    fast.close();
  });

  it('lets a client that fell behind see the gap in seq, ask again, and get a fresh snapshot', async () => {
    const url = `${gw.url.replace('http', 'ws')}/ws`;
    const c = await TestClient.open(url);
    c.send({ op: 'subscribe', channel: 'surface', underlying: 'BTC' });
    const first = await c.next((m) => m.type === 'snapshot');
    const conflatedBefore = gw.hub.stats().conflated;
    c.ws.pause();
    // Until the kernel's and then the server's buffers fill and updates are conflated; then a
    // few more, and read again well within the stall bound.
    for (let i = 0, extra = 0; i < 400 && extra < 5; i++) {
      push();
      if (gw.hub.stats().conflated > conflatedBefore) extra++;
      await new Promise((r) => setImmediate(r));
    }
    expect(gw.hub.stats().conflated).toBeGreaterThan(conflatedBefore);
    c.ws.resume();
    const latest = store.surface('BTC')!.seq;
    const last = await c.next((m) => m.type === 'update' && m.seq === latest, 10_000);
    const seqs = c.messages.filter((m) => m.type === 'snapshot' || m.type === 'update').map((m) => m.seq);
    expect(seqs[0]).toBe(first.seq);
    expect(seqs.at(-1)).toBe(last.seq);
    // The gap: fewer messages than changes, and a jump that says states were skipped.
    const jumps = seqs.slice(1).map((x, i) => x - seqs[i]!);
    expect(jumps.some((j) => j > 1)).toBe(true);
    expect(seqs.length).toBeLessThan(latest - first.seq + 1);
    // Asking again: a snapshot of the current state.
    const before = c.messages.length;
    c.send({ op: 'subscribe', channel: 'surface', underlying: 'BTC' });
    const again = await c.next((m) => c.messages.indexOf(m) >= before && m.type === 'snapshot');
    expect(again.seq).toBe(latest);
    expect(again.data.expiries[0].quotes.length).toBeGreaterThan(50);
    expect(gw.hub.stats().dropped).toBe(1); // only the client of the first test
    c.close();
  });
});
