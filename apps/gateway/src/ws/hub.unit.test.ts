import { describe, expect, it } from 'vitest';
import { SurfaceStore } from '../store.ts';
import { BASE_TS, exampleQuotes, exampleSurface } from '../testing/fixtures.ts';
import { StreamHub, type ClientSocket } from './hub.ts';

/** A socket whose buffer the test sets, recording what the hub sent. */
class FakeSocket implements ClientSocket {
  sent: any[] = [];
  bufferedAmount = 0;
  terminated = false;
  send(data: string) { this.sent.push(JSON.parse(data)); }
  terminate() { this.terminated = true; }
  ofType(...types: string[]) { return this.sent.filter((m) => types.includes(m.type)); }
}

const limits = { conflateBytes: 1_000, dropBytes: 10_000, stallMs: 5_000, heartbeatMs: 15_000 };

function setup() {
  let t = 0;
  const store = new SurfaceStore();
  const hub = new StreamHub(store, limits, () => t);
  const push = (s = exampleSurface({ ts: BASE_TS + store.counts.surface })) => hub.onChange(store.apply(s));
  return { store, hub, push, advance: (ms: number) => { t += ms; } };
}

const subscribe = (underlying = 'BTC', extra: object = {}) => JSON.stringify({ op: 'subscribe', channel: 'surface', underlying, ...extra });

describe('StreamHub', () => {
  it('greets, acknowledges, sends a snapshot then updates with seq + 1', () => {
    const { hub, push, store } = setup();
    push();
    const sock = new FakeSocket();
    const client = hub.connect(sock);
    expect(sock.sent[0]).toEqual({ type: 'hello', protocol: 2, channels: ['surface', 'smile', 'metrics'], format: 'json', heartbeatMs: 15_000 });
    client.onMessage(subscribe());
    expect(sock.sent[1]).toEqual({ type: 'subscribed', channel: 'surface', underlying: 'BTC', venue: null });
    expect(sock.sent[2]).toMatchObject({ type: 'snapshot', channel: 'surface', underlying: 'BTC', venue: 'deribit', seq: 1 });
    expect(sock.sent[2].data.expiries).toHaveLength(6);
    push();
    expect(sock.sent[3]).toMatchObject({ type: 'update', venue: 'deribit', seq: 2 });
    expect(sock.sent[3].data.seq).toBe(2);
    expect(store.surface('BTC')!.seq).toBe(2);
  });

  it('sends the snapshot when the first surface arrives after the subscription', () => {
    const { hub, push } = setup();
    const sock = new FakeSocket();
    hub.connect(sock).onMessage(subscribe());
    expect(sock.ofType('snapshot')).toHaveLength(0);
    push();
    expect(sock.ofType('snapshot', 'update').map((m) => [m.type, m.seq])).toEqual([['snapshot', 1]]);
  });

  it('includes each expiry\'s quotes unless asked not to', () => {
    const { hub, push, store } = setup();
    const s = exampleSurface();
    for (const p of exampleQuotes(s)) store.apply(p);
    push(s);
    const a = new FakeSocket();
    const b = new FakeSocket();
    hub.connect(a).onMessage(subscribe());
    hub.connect(b).onMessage(subscribe('BTC', { quotes: false }));
    expect(a.ofType('snapshot')[0].data.expiries[0].quotes.length).toBeGreaterThan(10);
    expect(a.ofType('snapshot')[0].data.expiries[0].quotes[0]).toHaveProperty('fitIv');
    expect(b.ofType('snapshot')[0].data.expiries[0].quotes).toBeUndefined();
  });

  it('only streams the subscribed underlying and venue, and stops after unsubscribe', () => {
    const { hub, push } = setup();
    const sock = new FakeSocket();
    const c = hub.connect(sock);
    c.onMessage(subscribe('BTC', { venue: 'okx' }));
    push(exampleSurface({ venue: 'deribit' }));
    push(exampleSurface({ underlying: 'ETH', venue: 'okx' }));
    expect(sock.ofType('snapshot', 'update')).toHaveLength(0);
    push(exampleSurface({ venue: 'okx' }));
    expect(sock.ofType('snapshot')).toHaveLength(1);
    c.onMessage(JSON.stringify({ op: 'unsubscribe', channel: 'surface', underlying: 'BTC', venue: 'okx' }));
    expect(sock.sent.at(-1)).toEqual({ type: 'unsubscribed', channel: 'surface', underlying: 'BTC', venue: 'okx' });
    push(exampleSurface({ venue: 'okx' }));
    expect(sock.ofType('snapshot', 'update')).toHaveLength(1);
    expect(hub.stats()).toMatchObject({ clients: 1, subscriptions: 0 });
  });

  it('answers bad requests with an error message naming the problem', () => {
    const { hub } = setup();
    const sock = new FakeSocket();
    const c = hub.connect(sock);
    c.onMessage('{nope');
    c.onMessage(JSON.stringify({ op: 'subscribe', channel: 'surface', underlying: 'B.TC' }));
    c.onMessage(JSON.stringify({ op: 'subscribe', channel: 'trades', underlying: 'BTC' }));
    c.onMessage(JSON.stringify({ op: 'unsubscribe', channel: 'surface', underlying: 'BTC' }));
    expect(sock.ofType('error').map((m) => m.message)).toEqual([
      'not JSON',
      expect.stringContaining('underlying:'),
      expect.stringContaining('channel:'),
      'not subscribed to surface BTC',
    ]);
  });

  it('keeps a default-venue subscription on its venue, but moves to composite with a snapshot', () => {
    const { hub, push } = setup();
    push(exampleSurface({ venue: 'deribit' }));
    const sock = new FakeSocket();
    hub.connect(sock).onMessage(subscribe());
    push(exampleSurface({ venue: 'okx' })); // now the most recently updated, but we stay
    push(exampleSurface({ venue: 'deribit' }));
    push(exampleSurface({ venue: 'composite' }));
    push(exampleSurface({ venue: 'composite' }));
    expect(sock.ofType('snapshot', 'update').map((m) => [m.type, m.venue, m.seq])).toEqual([
      ['snapshot', 'deribit', 1],
      ['update', 'deribit', 2],
      ['snapshot', 'composite', 1],
      ['update', 'composite', 2],
    ]);
  });

  it('conflates a slow client to the latest state and resumes when its buffer drains', () => {
    const { hub, push } = setup();
    push();
    const sock = new FakeSocket();
    hub.connect(sock).onMessage(subscribe());
    sock.bufferedAmount = 5_000; // above conflateBytes, below dropBytes
    for (let i = 0; i < 10; i++) push();
    expect(sock.ofType('snapshot', 'update').map((m) => m.seq)).toEqual([1]);
    hub.tick();
    expect(sock.ofType('update')).toHaveLength(0);
    sock.bufferedAmount = 0;
    hub.tick();
    // One update with the latest state; the seq jump tells the client it skipped 9 states.
    expect(sock.ofType('snapshot', 'update').map((m) => [m.type, m.seq])).toEqual([['snapshot', 1], ['update', 11]]);
    hub.tick();
    expect(sock.ofType('update')).toHaveLength(1);
    expect(hub.stats().conflated).toBe(10);
    expect(sock.terminated).toBe(false);
  });

  it('drops a client above the drop bound', () => {
    const { hub, push } = setup();
    const sock = new FakeSocket();
    hub.connect(sock).onMessage(subscribe());
    sock.bufferedAmount = 20_000;
    push();
    expect(sock.terminated).toBe(true);
    expect(hub.stats()).toMatchObject({ clients: 0, dropped: 1 });
    push();
    expect(sock.ofType('snapshot', 'update')).toHaveLength(0);
  });

  it('drops a client that stays above the conflation bound for stallMs', () => {
    const { hub, advance } = setup();
    const sock = new FakeSocket();
    hub.connect(sock);
    sock.bufferedAmount = 2_000;
    hub.tick();
    advance(4_999);
    hub.tick();
    expect(sock.terminated).toBe(false);
    advance(1);
    hub.tick();
    expect(sock.terminated).toBe(true);
  });

  it('forgets a stall once the buffer drains', () => {
    const { hub, advance } = setup();
    const sock = new FakeSocket();
    hub.connect(sock);
    sock.bufferedAmount = 2_000;
    hub.tick();
    advance(4_000);
    sock.bufferedAmount = 0;
    hub.tick();
    sock.bufferedAmount = 2_000;
    advance(4_000);
    hub.tick();
    expect(sock.terminated).toBe(false);
  });

  it('sends heartbeats only to clients that are keeping up', () => {
    const { hub } = setup();
    const fast = new FakeSocket();
    const slow = new FakeSocket();
    hub.connect(fast);
    hub.connect(slow);
    slow.bufferedAmount = 5_000;
    hub.heartbeat();
    expect(fast.ofType('heartbeat')).toEqual([{ type: 'heartbeat', ts: 0 }]);
    expect(slow.ofType('heartbeat')).toEqual([]);
  });

  it('bounds subscriptions per connection', () => {
    const store = new SurfaceStore();
    const hub = new StreamHub(store, { ...limits, maxSubscriptions: 2 });
    const sock = new FakeSocket();
    const c = hub.connect(sock);
    for (const u of ['A', 'B', 'C']) c.onMessage(subscribe(u));
    c.onMessage(subscribe('A')); // re-subscribing is not a new subscription
    expect(sock.ofType('subscribed')).toHaveLength(3);
    expect(sock.ofType('error')).toEqual([{ type: 'error', message: 'at most 2 subscriptions per connection' }]);
  });
});
