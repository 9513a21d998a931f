import { COMPOSITE_VENUE } from '@volstream/events';
import type { Logger } from '@volstream/runtime';
import type { WsLimits } from '../config.ts';
import type { StoreChange, SurfaceStore } from '../store.ts';
import { liveSurface } from '../views.ts';
import { CHANNELS, PROTOCOL_VERSION, parseClientMessage, type ServerMessage, type Subscribe, type Unsubscribe } from './protocol.ts';

/** The little the hub needs of a websocket; `ws` sockets and test fakes both fit. */
export interface ClientSocket {
  send(data: string): void;
  /** Bytes accepted by `send` and not yet written to the network. */
  readonly bufferedAmount: number;
  /** Drop the connection at once: a client that does not read would never see a close frame. */
  terminate(): void;
}

export type ClientHandle = {
  onMessage(text: string): void;
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
  underlying: string;
  /** Venue asked for; undefined follows the store's default venue. */
  venue: string | undefined;
  quotes: boolean;
  /** Venue of the last snapshot or update sent. */
  sentVenue: string | undefined;
  /** Kind of message owed to a conflated subscription; its content is built when sent. */
  pending: 'snapshot' | 'update' | undefined;
};

type Client = {
  id: number;
  sock: ClientSocket;
  subs: Map<string, Sub>;
  /** When the client's buffer first went above the conflation bound (hub clock). */
  slowSince: number | undefined;
  open: boolean;
};

export type HubLimits = Pick<WsLimits, 'conflateBytes' | 'dropBytes' | 'stallMs'> & { heartbeatMs: number; maxSubscriptions?: number };

const subKey = (underlying: string, venue: string | undefined) => `surface|${underlying}|${venue ?? '*'}`;

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
  /** Encoded payloads of the current fan-out pass, shared by clients on the same channel. */
  private memo = new Map<string, string>();

  constructor(
    private readonly store: SurfaceStore,
    private readonly limits: HubLimits,
    private readonly now: () => number = Date.now,
    private readonly log?: Logger,
  ) {}

  connect(sock: ClientSocket): ClientHandle {
    const client: Client = { id: this.nextId++, sock, subs: new Map(), slowSince: undefined, open: true };
    this.clients.add(client);
    this.control(client, { type: 'hello', protocol: PROTOCOL_VERSION, channels: CHANNELS, heartbeatMs: this.limits.heartbeatMs });
    return {
      onMessage: (text) => this.onMessage(client, text),
      onClose: () => this.remove(client),
    };
  }

  /** Called after every store apply; only surface changes are streamed today. */
  onChange(change: StoreChange): void {
    if (change.kind !== 'surface') return;
    this.memo.clear();
    for (const client of this.clients) {
      for (const sub of client.subs.values()) {
        if (sub.underlying !== change.underlying) continue;
        const venue = this.resolve(sub);
        if (venue !== change.venue) continue;
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
    const text = JSON.stringify({ type: 'heartbeat', ts: this.now() } satisfies ServerMessage);
    for (const client of this.clients) {
      if (client.sock.bufferedAmount <= this.limits.conflateBytes) this.write(client, text);
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

  private onMessage(client: Client, text: string): void {
    const r = parseClientMessage(text);
    if (!r.ok) return this.control(client, { type: 'error', message: r.message });
    if (r.msg.op === 'subscribe') this.subscribe(client, r.msg);
    else this.unsubscribe(client, r.msg);
  }

  private subscribe(client: Client, m: Subscribe): void {
    const k = subKey(m.underlying, m.venue);
    const max = this.limits.maxSubscriptions ?? 64;
    if (!client.subs.has(k) && client.subs.size >= max) {
      return this.control(client, { type: 'error', message: `at most ${max} subscriptions per connection` });
    }
    const sub: Sub = { underlying: m.underlying, venue: m.venue, quotes: m.quotes ?? true, sentVenue: undefined, pending: undefined };
    client.subs.set(k, sub); // a repeated subscribe restarts the subscription with a new snapshot
    this.control(client, { type: 'subscribed', channel: m.channel, underlying: m.underlying, venue: m.venue ?? null });
    this.memo.clear();
    if (client.open && this.resolve(sub) !== undefined) this.deliver(client, sub, 'snapshot');
  }

  private unsubscribe(client: Client, m: Unsubscribe): void {
    if (!client.subs.delete(subKey(m.underlying, m.venue))) {
      return this.control(client, { type: 'error', message: `not subscribed to ${m.channel} ${m.underlying}${m.venue ? ` on ${m.venue}` : ''}` });
    }
    this.control(client, { type: 'unsubscribed', channel: m.channel, underlying: m.underlying, venue: m.venue ?? null });
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
    const venue = this.resolve(sub);
    const entry = venue === undefined ? undefined : this.store.surface(sub.underlying, venue);
    if (!entry || venue === undefined) return;
    // A venue switch owes a snapshot whatever was pending.
    const type = sub.sentVenue !== venue ? 'snapshot' : kind;
    const dataKey = `${venue}|${sub.underlying}|${entry.seq}|${sub.quotes}`;
    let data = this.memo.get(dataKey);
    if (data === undefined) this.memo.set(dataKey, (data = JSON.stringify(liveSurface(this.store, entry, sub.quotes))));
    // Spliced rather than re-stringified so N clients on a channel cost one encoding.
    const head = JSON.stringify({ type, channel: 'surface', underlying: sub.underlying, venue, seq: entry.seq });
    this.write(client, `${head.slice(0, -1)},"data":${data}}`);
    sub.sentVenue = venue;
    sub.pending = undefined;
  }

  /** Small control messages go out even while conflating; the drop bound still applies. */
  private control(client: Client, msg: ServerMessage): void {
    if (client.sock.bufferedAmount > this.limits.dropBytes) return this.drop(client, client.sock.bufferedAmount);
    this.write(client, JSON.stringify(msg));
  }

  private write(client: Client, text: string): void {
    if (!client.open) return;
    client.sock.send(text);
    this.counters.messages++;
    this.counters.bytes += text.length;
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
