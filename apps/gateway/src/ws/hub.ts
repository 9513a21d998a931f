import { Encoder } from '@msgpack/msgpack';
import { COMPOSITE_VENUE, expiryToken } from '@volstream/events';
import type { Logger } from '@volstream/runtime';
import type { WsLimits } from '../config.ts';
import type { StoreChange, SurfaceStore, VenueEntry } from '../store.ts';
import { findExpiry, liveSurface, metricsBody, smileBody, type QuoteSet } from '../views.ts';
import { CHANNELS, PROTOCOL_VERSION, parseClientMessage, type Channel, type Format, type ServerMessage, type Subscribe, type Unsubscribe } from './protocol.ts';

/** The little the hub needs of a websocket; `ws` sockets and test fakes both fit. */
export interface ClientSocket {
  /** A text frame (JSON) or a binary frame (msgpack). */
  send(data: string | Uint8Array): void;
  /** Bytes accepted by `send` and not yet written to the network. */
  readonly bufferedAmount: number;
  /** Drop the connection at once: a client that does not read would never see a close frame. */
  terminate(): void;
}

export type ClientHandle = {
  onMessage(frame: string | Uint8Array): void;
  onClose(): void;
};

export type HubStats = {
  clients: number;
  subscriptions: number;
  messages: number;
  bytes: number;
  /** Updates held back from a slow client (only the latest state is kept). */
  conflated: number;
  dropped: number;
  /** Largest unsent buffer over the connected clients now (bytes). */
  maxBufferedBytes: number;
};

type Sub = {
  channel: Channel;
  underlying: string;
  /** Venue asked for; undefined follows the store's default venue. */
  venue: string | undefined;
  /** smile channel: the expiry token as asked (YYYYMMDD, ISO, …). */
  expiry: string | undefined;
  quotes: QuoteSet;
  /** Venue and channel seq of the last snapshot or update sent. */
  sentVenue: string | undefined;
  sentSeq: number | undefined;
  /** Kind of message owed to a conflated subscription; its content is built when sent. */
  pending: 'snapshot' | 'update' | undefined;
};

type Client = {
  id: number;
  sock: ClientSocket;
  format: Format;
  subs: Map<string, Sub>;
  /** When the client's buffer first went above the conflation bound (hub clock). */
  slowSince: number | undefined;
  open: boolean;
  /** Token bucket of client requests (each subscribe builds a snapshot, so they are not free). */
  tokens: number;
  tokensAt: number;
};

export type HubLimits = Pick<WsLimits, 'conflateBytes' | 'dropBytes' | 'stallMs'> & {
  heartbeatMs: number;
  maxSubscriptions?: number;
  /** Client requests per second per connection, and the burst above it (default 10/s, 40). */
  requestRate?: { rps: number; burst: number };
};

const subKey = (m: { channel: Channel; underlying: string; venue?: string | undefined; expiry?: string | undefined }) =>
  `${m.channel}|${m.underlying}|${m.venue ?? '*'}|${m.expiry ?? ''}`;

/** The state a subscription would be sent now: its seq and how to build the payload. */
type ChannelState = { venue: string; seq: number; expiryTs: number | undefined; build: () => unknown };

const msgpack = new Encoder({ ignoreUndefined: true });
const DATA_KEY = msgpack.encode('data');

/**
 * Fan-out of store changes to websocket subscribers, with per-client flow control:
 * - below `conflateBytes` of unsent data a client gets every update;
 * - above it, updates are held and only the latest state is sent once the buffer drains
 *   (messages are built from the store when sent, so "latest wins" needs no queue);
 * - a client above `dropBytes`, or above `conflateBytes` for `stallMs`, is dropped.
 * So a client's server-side buffer holds at most `conflateBytes` plus one message of data (small
 * control replies still go out, but never past `dropBytes`), and one pending flag per subscription.
 * The hub owns no timers or sockets: the server adapter calls `tick()` and `heartbeat()`.
 */
export class StreamHub {
  private readonly clients = new Set<Client>();
  private nextId = 1;
  private readonly counters = { messages: 0, bytes: 0, conflated: 0, dropped: 0 };
  /** Encoded payloads of the current fan-out pass, shared by clients on the same channel and format. */
  private memo = new Map<string, string | Uint8Array>();

  constructor(
    private readonly store: SurfaceStore,
    private readonly limits: HubLimits,
    private readonly now: () => number = Date.now,
    private readonly log?: Logger,
  ) {}

  connect(sock: ClientSocket, format: Format = 'json'): ClientHandle {
    const client: Client = { id: this.nextId++, sock, format, subs: new Map(), slowSince: undefined, open: true, tokens: this.requestRate.burst, tokensAt: this.now() };
    this.clients.add(client);
    this.control(client, { type: 'hello', protocol: PROTOCOL_VERSION, channels: CHANNELS, format, heartbeatMs: this.limits.heartbeatMs });
    return {
      onMessage: (frame) => this.onMessage(client, frame),
      onClose: () => this.remove(client),
    };
  }

  /** Called after every store apply: surface changes feed every channel, smile fits the smile channel. */
  onChange(change: StoreChange): void {
    if (change.kind !== 'surface' && change.kind !== 'smile') return;
    this.memo.clear();
    for (const client of this.clients) {
      for (const sub of client.subs.values()) {
        if (sub.underlying !== change.underlying) continue;
        if (change.kind === 'smile' && sub.channel !== 'smile') continue;
        const venue = this.resolve(sub);
        if (venue !== change.venue) continue;
        if (sub.channel === 'smile') {
          const st = this.state(sub);
          if (!st || (change.kind === 'smile' && st.expiryTs !== change.expiryTs)) continue;
          if (st.venue === sub.sentVenue && st.seq === sub.sentSeq) continue; // this expiry did not change
        }
        this.deliver(client, sub, sub.sentVenue === venue ? 'update' : 'snapshot');
        if (!client.open) break;
      }
    }
  }

  /** Flush conflated updates to clients that caught up; drop clients that did not. */
  tick(): void {
    const t = this.now();
    this.memo.clear();
    for (const client of this.clients) {
      const buffered = client.sock.bufferedAmount;
      if (buffered > this.limits.conflateBytes) {
        client.slowSince ??= t;
        if (buffered > this.limits.dropBytes || t - client.slowSince >= this.limits.stallMs) this.drop(client, buffered);
        continue;
      }
      client.slowSince = undefined;
      for (const sub of client.subs.values()) {
        if (sub.pending && client.open) this.deliver(client, sub, sub.pending);
      }
    }
  }

  /** App-level heartbeat: browsers cannot see protocol pings, so this lets a page detect a dead link. */
  heartbeat(): void {
    const msg: ServerMessage = { type: 'heartbeat', ts: this.now() };
    const text = { json: JSON.stringify(msg), msgpack: msgpack.encode(msg) };
    for (const client of this.clients) {
      if (client.sock.bufferedAmount <= this.limits.conflateBytes) this.write(client, text[client.format]);
    }
  }

  stats(): HubStats {
    let subscriptions = 0;
    let maxBufferedBytes = 0;
    for (const c of this.clients) {
      subscriptions += c.subs.size;
      maxBufferedBytes = Math.max(maxBufferedBytes, c.sock.bufferedAmount);
    }
    return { clients: this.clients.size, subscriptions, ...this.counters, maxBufferedBytes };
  }

  /** Drop every client (shutdown). */
  close(): void {
    for (const c of this.clients) {
      c.open = false;
      c.sock.terminate();
    }
    this.clients.clear();
  }

  private get requestRate() {
    return this.limits.requestRate ?? { rps: 10, burst: 40 };
  }

  private onMessage(client: Client, frame: string | Uint8Array): void {
    const { rps, burst } = this.requestRate;
    const t = this.now();
    client.tokens = Math.min(burst, client.tokens + ((t - client.tokensAt) / 1_000) * rps);
    client.tokensAt = t;
    if (client.tokens < 1) return this.control(client, { type: 'error', message: `too many requests: at most ${rps} per second (burst ${burst}); this one was ignored` });
    client.tokens -= 1;
    const r = parseClientMessage(frame);
    if (!r.ok) return this.control(client, { type: 'error', message: r.message });
    if (r.msg.op === 'subscribe') this.subscribe(client, r.msg);
    else this.unsubscribe(client, r.msg);
  }

  private subscribe(client: Client, m: Subscribe): void {
    const k = subKey(m);
    const max = this.limits.maxSubscriptions ?? 64;
    if (!client.subs.has(k) && client.subs.size >= max) {
      return this.control(client, { type: 'error', message: `at most ${max} subscriptions per connection` });
    }
    const sub: Sub = {
      channel: m.channel, underlying: m.underlying, venue: m.venue, expiry: m.expiry, quotes: m.quotes ?? true,
      sentVenue: undefined, sentSeq: undefined, pending: undefined,
    };
    client.subs.set(k, sub); // a repeated subscribe restarts the subscription with a new snapshot
    this.control(client, { type: 'subscribed', channel: m.channel, underlying: m.underlying, venue: m.venue ?? null, ...(m.expiry ? { expiry: m.expiry } : {}) });
    this.memo.clear();
    if (client.open && this.state(sub) !== undefined) this.deliver(client, sub, 'snapshot');
  }

  private unsubscribe(client: Client, m: Unsubscribe): void {
    if (!client.subs.delete(subKey(m))) {
      return this.control(client, { type: 'error', message: `not subscribed to ${m.channel} ${m.underlying}${m.expiry ? ` ${m.expiry}` : ''}${m.venue ? ` on ${m.venue}` : ''}` });
    }
    this.control(client, { type: 'unsubscribed', channel: m.channel, underlying: m.underlying, venue: m.venue ?? null, ...(m.expiry ? { expiry: m.expiry } : {}) });
  }

  /**
   * The venue a subscription serves. Without an explicit venue it follows the store's default,
   * but stays on the venue it already serves while that exists (the "most recently updated"
   * default would otherwise flip between venues on every fit), except that composite wins.
   */
  private resolve(sub: Sub): string | undefined {
    if (sub.venue !== undefined) return sub.venue;
    const preferred = this.store.defaultVenue(sub.underlying);
    const pinned = sub.sentVenue;
    if (pinned !== undefined && this.store.surface(sub.underlying, pinned) && !(preferred === COMPOSITE_VENUE && pinned !== COMPOSITE_VENUE)) return pinned;
    return preferred;
  }

  /** What the subscription would be sent now, or undefined when there is nothing to send yet. */
  private state(sub: Sub): ChannelState | undefined {
    const venue = this.resolve(sub);
    const entry: VenueEntry | undefined = venue === undefined ? undefined : this.store.surface(sub.underlying, venue);
    if (!entry || venue === undefined) return undefined;
    switch (sub.channel) {
      case 'surface': return { venue, seq: entry.seq, expiryTs: undefined, build: () => liveSurface(this.store, entry, sub.quotes) };
      case 'metrics': return { venue, seq: entry.seq, expiryTs: undefined, build: () => metricsBody(entry) };
      case 'smile': {
        const expiryTs = findExpiry(entry, sub.expiry!);
        if (expiryTs === undefined) return undefined;
        return { venue, seq: this.store.expirySeq(entry, expiryTs), expiryTs, build: () => smileBody(this.store, entry, expiryTs) };
      }
    }
  }

  /** Send the channel's current state, or mark it owed when the client is behind. */
  private deliver(client: Client, sub: Sub, kind: 'snapshot' | 'update'): void {
    const buffered = client.sock.bufferedAmount;
    if (buffered > this.limits.conflateBytes) {
      sub.pending = sub.pending === 'snapshot' || kind === 'snapshot' ? 'snapshot' : 'update';
      client.slowSince ??= this.now();
      this.counters.conflated++;
      if (buffered > this.limits.dropBytes) this.drop(client, buffered);
      return;
    }
    const st = this.state(sub);
    if (!st) return;
    // A venue switch owes a snapshot whatever was pending.
    const type = sub.sentVenue !== st.venue || sub.sentSeq === undefined ? 'snapshot' : kind;
    const dataKey = `${sub.channel}|${st.venue}|${sub.underlying}|${st.expiryTs ?? ''}|${st.seq}|${sub.quotes}|${client.format}`;
    let data = this.memo.get(dataKey);
    if (data === undefined) {
      const built = st.build();
      this.memo.set(dataKey, (data = client.format === 'json' ? JSON.stringify(built) : msgpack.encode(built)));
    }
    const head = {
      type, channel: sub.channel, underlying: sub.underlying, venue: st.venue,
      ...(st.expiryTs === undefined ? {} : { expiry: expiryToken(st.expiryTs) }),
      seq: st.seq,
    };
    this.write(client, frame(head, data));
    sub.sentVenue = st.venue;
    sub.sentSeq = st.seq;
    sub.pending = undefined;
  }

  /** Small control messages go out even while conflating; the drop bound still applies. */
  private control(client: Client, msg: ServerMessage): void {
    if (client.sock.bufferedAmount > this.limits.dropBytes) return this.drop(client, client.sock.bufferedAmount);
    this.write(client, client.format === 'json' ? JSON.stringify(msg) : msgpack.encode(msg));
  }

  private write(client: Client, data: string | Uint8Array): void {
    if (!client.open) return;
    client.sock.send(data);
    this.counters.messages++;
    this.counters.bytes += typeof data === 'string' ? data.length : data.byteLength;
  }

  private drop(client: Client, buffered: number): void {
    if (!client.open) return;
    this.counters.dropped++;
    this.log?.warn('dropping slow websocket client', { client: client.id, buffered, subscriptions: client.subs.size });
    this.remove(client);
    client.sock.terminate();
  }

  private remove(client: Client): void {
    client.open = false;
    this.clients.delete(client);
  }
}

/**
 * `{...head, data}` from an already encoded payload, spliced rather than re-encoded so N clients
 * on a channel cost one encoding. JSON: the head's closing brace becomes `,"data":…}`. msgpack: the
 * head is a fixmap (under 16 keys), so its first byte counts one more key and the `data` key and
 * payload are appended.
 */
export function frame(head: Record<string, unknown>, data: string | Uint8Array): string | Uint8Array {
  if (typeof data === 'string') {
    const h = JSON.stringify(head);
    return `${h.slice(0, -1)},"data":${data}}`;
  }
  const h = msgpack.encode(head);
  if (h[0]! < 0x80 || h[0]! >= 0x8f) throw new Error('frame head must be a msgpack fixmap of under 15 keys');
  const out = new Uint8Array(h.byteLength + DATA_KEY.byteLength + data.byteLength);
  out.set(h, 0);
  out[0] = h[0]! + 1;
  out.set(DATA_KEY, h.byteLength);
  out.set(data, h.byteLength + DATA_KEY.byteLength);
  return out;
}
