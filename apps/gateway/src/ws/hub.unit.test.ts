import { describe, expect, it } from 'vitest';
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import { expiryToken } from '@volstream/events';
import { SurfaceStore } from '../store.ts';
import { BASE_TS, exampleQuotes, exampleSmile, exampleSurface } from '../testing/fixtures.ts';
import { StreamHub, frame, type ClientSocket } from './hub.ts';

/** A socket whose buffer the test sets, recording what the hub sent (JSON text or msgpack binary). */
class FakeSocket implements ClientSocket {
  sent: any[] = [];
  binary = 0;
  bufferedAmount = 0;
  terminated = false;
  send(data: string | Uint8Array) {
    if (typeof data === 'string') this.sent.push(JSON.parse(data));
    else {
      this.binary++;
      this.sent.push(msgpackDecode(data));
    }
  }
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
    // Only the out-of-the-money quotes, for a page that draws smiles.
    const c = new FakeSocket();
    hub.connect(c).onMessage(subscribe('BTC', { quotes: 'otm' }));
    const all = a.ofType('snapshot')[0].data.expiries[0].quotes;
    const otm = c.ofType('snapshot')[0].data.expiries[0].quotes;
    expect(otm).toEqual(all.filter((q: any) => q.excluded !== 'itm'));
    expect(otm.length).toBeLessThan(all.length * 0.6);
  });

  it('limits the requests of a connection', () => {
    const { hub, advance } = setup();
    const sock = new FakeSocket();
    const c = hub.connect(sock);
    for (let i = 0; i < 45; i++) c.onMessage(subscribe(`U${i % 3}`));
    expect(sock.ofType('subscribed')).toHaveLength(40);
    expect(sock.ofType('error')[0].message).toMatch(/^too many requests: at most 10 per second/);
    advance(1_000);
    c.onMessage(subscribe('U9'));
    expect(sock.ofType('subscribed')).toHaveLength(41);
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

  it('streams one smile: a snapshot, then an update only when that expiry’s fit changes', () => {
    const { hub, store } = setup();
    const s = exampleSurface();
    for (const p of exampleQuotes(s, { flawed: true })) store.apply(p);
    hub.onChange(store.apply(s));
    const e = s.expiries[2]!;
    const sock = new FakeSocket();
    hub.connect(sock).onMessage(subscribe('BTC', { channel: 'smile', expiry: expiryToken(e.expiryTs) }));
    expect(sock.sent[1]).toEqual({ type: 'subscribed', channel: 'smile', underlying: 'BTC', venue: null, expiry: expiryToken(e.expiryTs) });
    const snap = sock.ofType('snapshot')[0];
    expect(snap).toMatchObject({ channel: 'smile', venue: 'deribit', expiry: expiryToken(e.expiryTs), seq: 1, data: { source: 'surface', fit: { expiryTs: e.expiryTs } } });
    expect(snap.data.quotes.some((q: any) => q.excluded === 'vol_cliff')).toBe(true);
    expect(snap.data.curve.k.length).toBeGreaterThan(10);
    // A per-expiry fit of another expiry: nothing; of this one: an update.
    hub.onChange(store.apply(exampleSmile(s, 0, { ts: BASE_TS + 500, atmShift: 0.01 })));
    expect(sock.ofType('update')).toHaveLength(0);
    hub.onChange(store.apply(exampleSmile(s, 2, { ts: BASE_TS + 500, atmShift: 0.01 })));
    expect(sock.ofType('update').map((m) => [m.seq, m.data.source])).toEqual([[2, 'smile']]);
    // The surface of the same round carries the same fit: no repeat. The next round: an update.
    hub.onChange(store.apply(exampleSurface({ ts: BASE_TS + 500 })));
    expect(sock.ofType('update')).toHaveLength(1);
    hub.onChange(store.apply(exampleSurface({ ts: BASE_TS + 1_000 })));
    expect(sock.ofType('update').map((m) => m.seq)).toEqual([2, 3]);
  });

  it('waits for an expiry that is not fitted yet, and rejects a smile subscription without one', () => {
    const { hub, push } = setup();
    push();
    const sock = new FakeSocket();
    const c = hub.connect(sock);
    c.onMessage(subscribe('BTC', { channel: 'smile', expiry: '20300101' }));
    expect(sock.ofType('subscribed')).toHaveLength(1);
    push();
    expect(sock.ofType('snapshot', 'update')).toHaveLength(0);
    c.onMessage(subscribe('BTC', { channel: 'smile' }));
    c.onMessage(subscribe('BTC', { channel: 'metrics', expiry: '20300101' }));
    expect(sock.ofType('error').map((m) => m.message)).toEqual(['expiry: required for the smile channel', 'expiry: not used by the metrics channel']);
  });

  it('streams desk metrics with the surface’s seq', () => {
    const { hub, push } = setup();
    push();
    const sock = new FakeSocket();
    hub.connect(sock).onMessage(subscribe('BTC', { channel: 'metrics' }));
    push();
    expect(sock.ofType('snapshot', 'update').map((m) => [m.type, m.channel, m.seq])).toEqual([['snapshot', 'metrics', 1], ['update', 'metrics', 2]]);
    const data = sock.ofType('update')[0].data;
    expect(data.conventions.rr).toContain('σ(Δ call) − σ(Δ put)');
    expect(data.expiries).toHaveLength(6);
    expect(data).not.toHaveProperty('quotes');
  });

  it('speaks msgpack to a client that asked for it, with the same messages, and reads its msgpack requests', () => {
    const { hub, push } = setup();
    push();
    const json = new FakeSocket();
    const bin = new FakeSocket();
    hub.connect(json).onMessage(subscribe());
    hub.connect(bin, 'msgpack').onMessage(msgpackEncode({ op: 'subscribe', channel: 'surface', underlying: 'BTC' }));
    push();
    expect(bin.binary).toBe(bin.sent.length);
    expect(bin.sent[0]).toMatchObject({ type: 'hello', format: 'msgpack' });
    expect(bin.ofType('snapshot', 'update')).toEqual(json.ofType('snapshot', 'update'));
    hub.heartbeat();
    expect(bin.ofType('heartbeat')).toHaveLength(1);
    hub.connect(bin, 'msgpack').onMessage(new Uint8Array([0xc1]));
    expect(bin.ofType('error').at(-1).message).toBe('not msgpack');
  });

  it('splices an encoded payload into a frame exactly as encoding the whole message would', () => {
    const head = { type: 'update', channel: 'surface', underlying: 'BTC', venue: 'deribit', seq: 7 };
    const data = { a: [1, 2.5, null], b: 'x' };
    expect(JSON.parse(frame(head, JSON.stringify(data)) as string)).toEqual({ ...head, data });
    expect(msgpackDecode(frame(head, msgpackEncode(data)) as Uint8Array)).toEqual({ ...head, data });
  });
});
