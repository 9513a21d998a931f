import WebSocket from 'ws';
import type { InstrumentDef, MdEvent } from '@volstream/events';
import type { Logger } from '@volstream/runtime';
import { Backoff } from '../backoff.ts';
import { TokenBucket } from '../pacer.ts';
import type { VenueSession, VenueSessionDeps } from '../venue.ts';
import type { FramePipeline, RegistryContext } from './pipeline.ts';
import { StaleWatch } from './stale.ts';
import { StatusFactory } from './status.ts';
import type { StreamControl } from './stream-control.ts';
import { rawText } from './ws-text.ts';

/**
 * How a channel-based venue (OKX, Bybit, Binance) is spoken: request frames, limits and
 * keep-alive. Plain data and small functions, so the session below is shared.
 */
export type ChannelProtocol = {
  /** Websocket URL per route (Binance 2025 serves depth and mark prices on different paths). */
  urls: Record<string, string>;
  /** The subscribe/unsubscribe frame for `channels`, carrying our request id. */
  request(op: 'subscribe' | 'unsubscribe', channels: readonly string[], reqId: number): string;
  maxPerRequest: number;
  /** Channels one connection may hold (Binance: 200; OKX recommends < 30 books). */
  maxPerConnection: number;
  /** Subscribe/unsubscribe budget per connection. */
  budget: { burst: number; perSecond: number };
  /** New connections per second across the session (venues limit connection rates per IP). */
  connectsPerSecond: number;
  /** A keep-alive frame the client must send every `pingEveryMs` (none: the server pings). */
  ping?: (reqId: number) => string;
  pingEveryMs: number;
  /** No frame for this long: the link is dead, reconnect. */
  silenceMs: number;
  /** Whether the venue acks each channel separately (OKX) rather than each request. */
  ackPerChannel: boolean;
};

/** What to subscribe for which instruments, and where listings come from. */
export type ChannelPlan = {
  /** Channels that do not depend on the listing (instrument list, index, summaries). */
  staticChannels: string[];
  instrumentChannels(def: InstrumentDef): string[];
  /** The channel to resubscribe to get a fresh snapshot of an instrument's book. */
  bookChannel(instrument: string): string | undefined;
  /** Route (URL key) of a channel. */
  routeOf(channel: string): string;
  /** Channels watched for staleness (they tick continuously) and what they describe. */
  staleInfo(channel: string): { underlying?: string | undefined; instrument?: string | undefined; expiryTs?: number | undefined } | undefined;
  wanted(def: InstrumentDef): boolean;
  /** Underlyings named in connection status events. */
  underlyings: string[];
  /** REST bodies of the instrument lists (fetched at start and every `refreshMs`), if any. */
  fetchListings?: () => Promise<string[]>;
  refreshMs: number;
};

export type ChannelSessionOptions = {
  venue: string;
  protocol: ChannelProtocol;
  plan: ChannelPlan;
  pipeline: FramePipeline<RegistryContext, StreamControl>;
  staleAfterMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  requestTimeoutMs: number;
};

const RATE_LIMIT_RETRIES = 5;
const RESYNC_COALESCE_MS = 20;

type Pending = {
  op: 'subscribe' | 'unsubscribe';
  channels: string[];
  acked: Set<string>;
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
};

/** An answer the venue refused; `rateLimited` answers are retried after a backoff. */
class SubscribeError extends Error {
  constructor(readonly code: string, message: string, readonly rateLimited: boolean) {
    super(message);
    this.name = 'SubscribeError';
  }
}

/**
 * A channel-based venue session: the listing (websocket channel and/or REST) decides the
 * channels; channels are spread over as many connections as the venue's per-connection limit
 * needs; each connection reconnects on its own with backoff and resubscribes its channels.
 * Frames go through the shared pipeline (mapper + sequencing rules); a broken book is
 * resubscribed on its own connection. Never throws on input: bad frames are dead-lettered.
 */
export class ChannelSession implements VenueSession {
  readonly venue: string;
  readonly stats = {
    connections: 0, connects: 0, disconnects: 0, frames: 0, events: 0, rejected: 0, ignored: 0, resyncs: 0, checksumMismatches: 0,
    duplicates: 0, droppedWhileResync: 0, stale: 0, subscribedChannels: 0, invalidChannels: 0, rateLimited: 0, subscribeErrors: 0,
    pings: 0, pongs: 0, instruments: 0, listed: 0, delisted: 0, listingErrors: 0,
  };
  readonly done: Promise<void>;

  readonly log: Logger;
  readonly now: () => number;
  private readonly statuses: StatusFactory;
  private readonly stale: StaleWatch;
  private readonly conns: Connection[] = [];
  private readonly live = new Map<string, InstrumentDef>();
  /** Book channel -> instrument, to forget a chain when its connection restarts. */
  private readonly bookOf = new Map<string, string>();
  private readonly connectBucket: TokenBucket;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private resolveDone!: () => void;

  constructor(readonly opts: ChannelSessionOptions, readonly deps: VenueSessionDeps) {
    this.venue = opts.venue;
    this.log = deps.log;
    this.now = deps.now ?? Date.now;
    this.statuses = new StatusFactory(opts.venue, this.now);
    this.stale = new StaleWatch(opts.staleAfterMs);
    this.connectBucket = new TokenBucket({ burst: Math.max(1, opts.protocol.connectsPerSecond), perSecond: opts.protocol.connectsPerSecond }, this.now);
    this.done = new Promise((r) => (this.resolveDone = r));
    for (const c of opts.plan.staticChannels) this.assign(c);
    if (this.conns.length === 0) this.newConnection(Object.keys(opts.protocol.urls)[0]!);
    this.timers.push(setInterval(() => this.tick(), Math.max(100, Math.min(1_000, opts.staleAfterMs / 4))));
    if (opts.plan.fetchListings) {
      void this.refreshListings();
      if (opts.plan.refreshMs > 0) this.timers.push(setInterval(() => void this.refreshListings(), opts.plan.refreshMs));
    }
  }

  restart(reason: string): void {
    this.log.warn('restarting connections', { reason });
    for (const c of this.conns) c.restart();
  }

  pause(paused: boolean): void {
    for (const c of this.conns) c.pause(paused);
  }

  async stop(): Promise<void> {
    if (this.stopped) return this.done;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.conns.map((c) => c.stop()));
    this.resolveDone();
  }

  // -------------------------------------------------------------------------------------------
  // Channels and connections

  /** The connection that holds a channel, opening one when every connection of its route is full. */
  private assign(channel: string): Connection {
    const owner = this.conns.find((c) => c.channels.has(channel));
    if (owner) return owner;
    const route = this.opts.plan.routeOf(channel);
    const conn = this.conns.find((c) => c.route === route && c.channels.size < this.opts.protocol.maxPerConnection) ?? this.newConnection(route);
    conn.channels.add(channel);
    return conn;
  }

  private newConnection(route: string): Connection {
    const url = this.opts.protocol.urls[route];
    if (url === undefined) throw new Error(`${this.venue}: no URL for route ${route}`);
    const conn = new Connection(this, this.conns.length, route, url);
    this.conns.push(conn);
    this.stats.connections = this.conns.length;
    return conn;
  }

  /** Spaces connection attempts across the session (per-IP connection limits). */
  connectSlot(): number {
    return this.connectBucket.reserve();
  }

  onConnected(conn: Connection): void {
    this.stats.connects++;
    for (const c of conn.channels) {
      const instrument = this.bookOf.get(c);
      if (instrument !== undefined) this.opts.pipeline.forget(instrument);
    }
    this.connectionStatus('feed_connected', conn, 'websocket open');
  }

  onDisconnected(conn: Connection, reason: string): void {
    this.stats.disconnects++;
    for (const c of conn.channels) this.stale.untrack(c);
    this.connectionStatus('feed_disconnected', conn, reason);
  }

  onSubscribed(channels: readonly string[]): void {
    const now = this.now();
    for (const c of channels) {
      const info = this.opts.plan.staleInfo(c);
      if (info) this.stale.track(c, info, now);
    }
    this.stats.subscribedChannels = this.conns.reduce((n, c) => n + c.subscribed.size, 0);
  }

  onRefused(conn: Connection, channel: string): void {
    this.stats.invalidChannels++;
    conn.channels.delete(channel);
    this.log.warn('venue refused channel', { channel });
  }

  // -------------------------------------------------------------------------------------------
  // Frames

  /** Every frame of every connection: record, map, publish, act on the control signal. */
  onFrame(conn: Connection, frame: string, recvTs: number): void {
    this.stats.frames++;
    this.deps.record?.(this.venue, recvTs, frame);
    const r = this.opts.pipeline.process(frame, recvTs);
    if (r.rejected) {
      this.log.debug('frame rejected', { reason: r.rejected.reason });
      this.deps.sink.push(r.rejected);
    }
    for (const ev of r.events) this.push(ev);
    this.onInstruments(r.events);
    this.syncPipelineStats();
    for (const x of r.resync) this.resync(x.instrument);
    const c = r.control;
    if (!c) return;
    switch (c.kind) {
      case 'data':
        this.stale.touch(c.channel, recvTs);
        return;
      case 'pong':
        this.stats.pongs++;
        return;
      case 'notice':
        this.log.warn('venue notice', { message: c.message, code: c.code });
        return;
      case 'ack':
      case 'error':
        conn.onAnswer(c);
        return;
    }
  }

  private push(ev: MdEvent): void {
    this.stats.events++;
    this.deps.sink.push(ev);
  }

  private syncPipelineStats(): void {
    const p = this.opts.pipeline.stats;
    this.stats.rejected = p.rejected;
    this.stats.ignored = p.ignored;
    this.stats.resyncs = p.resyncs;
    this.stats.checksumMismatches = p.checksumMismatches;
    this.stats.duplicates = p.duplicates;
    this.stats.droppedWhileResync = p.droppedWhileResync;
  }

  /** Listings from any source: subscribe new ones, drop ended or expired ones. */
  private onInstruments(events: readonly MdEvent[], complete?: Set<string>): void {
    const now = this.now();
    for (const ev of events) {
      if (ev.type !== 'md.instrument') continue;
      const ok = ev.active && this.opts.plan.wanted(ev) && (ev.expiryTs === undefined || ev.expiryTs > now);
      if (ok && !this.live.has(ev.instrument)) this.addInstrument(ev);
      else if (!ok && this.live.has(ev.instrument)) this.removeInstrument(ev.instrument, 'listing no longer active');
    }
    if (complete) for (const name of [...this.live.keys()]) if (!complete.has(name)) this.removeInstrument(name, 'no longer listed');
    this.stats.instruments = this.live.size;
  }

  private addInstrument(def: InstrumentDef): void {
    this.live.set(def.instrument, def);
    this.stats.listed++;
    const byConn = new Map<Connection, string[]>();
    for (const ch of this.opts.plan.instrumentChannels(def)) {
      if (this.opts.plan.bookChannel(def.instrument) === ch) this.bookOf.set(ch, def.instrument);
      const conn = this.assign(ch);
      byConn.set(conn, [...(byConn.get(conn) ?? []), ch]);
    }
    for (const [conn, chans] of byConn) conn.subscribeLater(chans);
  }

  private removeInstrument(name: string, reason: string): void {
    const def = this.live.get(name);
    if (!def) return;
    this.live.delete(name);
    this.stats.delisted++;
    this.opts.pipeline.forget(name);
    const shared = new Set([...this.live.values()].flatMap((d) => this.opts.plan.instrumentChannels(d)));
    for (const ch of this.opts.plan.instrumentChannels(def)) {
      if (shared.has(ch)) continue; // still needed by another listing (a per-expiry stream)
      this.stale.untrack(ch);
      this.bookOf.delete(ch);
      const conn = this.conns.find((c) => c.channels.has(ch));
      if (!conn) continue;
      conn.channels.delete(ch);
      if (conn.subscribed.delete(ch)) void conn.unsubscribe([ch]);
    }
    this.log.info('instrument ended', { instrument: name, reason });
  }

  private resync(instrument: string): void {
    const ch = this.opts.plan.bookChannel(instrument);
    const conn = ch !== undefined ? this.conns.find((c) => c.channels.has(ch)) : undefined;
    if (ch === undefined || !conn) return;
    conn.queueResync(ch);
  }

  private async refreshListings(): Promise<void> {
    if (this.stopped || !this.opts.plan.fetchListings) return;
    let bodies: string[];
    try {
      bodies = await this.opts.plan.fetchListings();
    } catch (err) {
      this.stats.listingErrors++;
      this.log.warn('instrument list failed; retrying', { err: (err as Error).message });
      // The listing is needed before anything can be subscribed: retry soon, not at the next refresh.
      this.timers.push(setTimeout(() => void this.refreshListings(), Math.min(5_000, this.opts.reconnectMaxMs)));
      return;
    }
    const complete = new Set<string>();
    const events: MdEvent[] = [];
    for (const body of bodies) {
      const recvTs = this.now();
      this.deps.record?.(this.venue, recvTs, body);
      const r = this.opts.pipeline.process(body, recvTs);
      if (r.rejected) this.deps.sink.push(r.rejected);
      for (const ev of r.events) {
        this.push(ev);
        events.push(ev);
        if (ev.type === 'md.instrument' && ev.active) complete.add(ev.instrument);
      }
    }
    this.onInstruments(events, complete);
  }

  private tick(): void {
    const now = this.now();
    for (const [name, def] of this.live) if (def.expiryTs !== undefined && def.expiryTs <= now) this.removeInstrument(name, 'expired');
    const statuses = this.stale.check(now, (f) => this.statuses.make('feed_stale', f));
    this.stats.stale = this.stale.staleCount;
    for (const s of statuses) this.push(s);
  }

  private connectionStatus(kind: 'feed_connected' | 'feed_disconnected', conn: Connection, reason: string): void {
    for (const underlying of this.opts.plan.underlyings) {
      this.push(this.statuses.make(kind, { underlying, reason, detail: { url: conn.url, connection: conn.index } }));
    }
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}

/** One websocket of a channel session, reconnecting with backoff until stopped. */
class Connection {
  readonly channels = new Set<string>();
  readonly subscribed = new Set<string>();
  private readonly backoff: Backoff;
  /** Request budget of the current socket (venues count per connection: a new socket starts afresh). */
  private bucket: TokenBucket;
  private readonly pending = new Map<number, Pending>();
  private readonly resyncQueue = new Set<string>();
  private ws: WebSocket | undefined;
  private nextId = 1;
  private lastFrameAt = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly done: Promise<void>;
  /** Channels to subscribe once connected (or now, when connected). */
  private readonly waiting = new Set<string>();
  private flushing = false;

  constructor(private readonly s: ChannelSession, readonly index: number, readonly route: string, readonly url: string) {
    this.backoff = new Backoff({ minMs: s.opts.reconnectMinMs, maxMs: s.opts.reconnectMaxMs, random: s.deps.random });
    this.bucket = new TokenBucket(s.opts.protocol.budget, s.now);
    this.done = this.run();
  }

  private get p(): ChannelProtocol {
    return this.s.opts.protocol;
  }

  restart(): void {
    this.ws?.terminate();
  }

  pause(paused: boolean): void {
    if (paused) this.ws?.pause();
    else this.ws?.resume();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.ws?.close(1000, 'stopping');
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.sleep(this.s.connectSlot());
      if (this.stopped) break;
      try {
        await this.session();
      } catch (err) {
        if (!this.stopped) this.s.log.warn('connection failed', { venue: this.s.venue, connection: this.index, err: (err as Error).message });
      }
      if (this.stopped) break;
      const delay = this.backoff.next();
      this.s.log.info('reconnecting', { venue: this.s.venue, connection: this.index, delayMs: delay, attempt: this.backoff.attempts });
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() { clearTimeout(t); resolve(); }
      this.wake = done;
    });
  }

  private async session(): Promise<void> {
    const ws = new WebSocket(this.url, { perMessageDeflate: false, handshakeTimeout: this.s.opts.requestTimeoutMs, maxPayload: 256 * 1024 * 1024 });
    this.ws = ws;
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.on('error', (err) => this.s.log.warn('websocket error', { venue: this.s.venue, err: err.message }));
    let connected = false;
    const timers: NodeJS.Timeout[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
        ws.once('close', () => reject(new Error('closed before open')));
      });
      if (this.stopped) return;
      connected = true;
      this.bucket = new TokenBucket(this.p.budget, this.s.now);
      this.subscribed.clear();
      this.lastFrameAt = this.s.now();
      this.s.onConnected(this);
      ws.on('message', (data: WebSocket.RawData) => {
        this.lastFrameAt = this.s.now();
        this.s.onFrame(this, rawText(data), this.lastFrameAt);
      });
      // A server ping proves the link is alive (Binance pings; `ws` answers with a pong itself).
      ws.on('ping', () => (this.lastFrameAt = this.s.now()));
      timers.push(setInterval(() => this.checkLiveness(ws), Math.min(1_000, Math.max(50, this.p.silenceMs / 4))));
      const ping = this.p.ping;
      if (ping) {
        timers.push(setInterval(() => {
          if (ws.readyState !== WebSocket.OPEN) return;
          this.s.stats.pings++;
          ws.send(ping(this.nextId++));
        }, this.p.pingEveryMs));
      }
      for (const c of this.channels) this.waiting.add(c);
      await this.flush();
      this.backoff.reset();
      await closed;
    } finally {
      for (const t of timers) clearInterval(t);
      clearTimeout(this.resyncTimer);
      this.resyncTimer = undefined;
      this.resyncQueue.clear();
      this.failPending(new Error('websocket closed'));
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
      this.ws = undefined;
      this.subscribed.clear();
      if (connected) this.s.onDisconnected(this, this.stopped ? 'connector stopping' : 'websocket closed');
    }
  }

  private checkLiveness(ws: WebSocket): void {
    const silent = this.s.now() - this.lastFrameAt;
    if (silent > this.p.silenceMs) {
      this.s.log.warn('no frames, closing', { venue: this.s.venue, connection: this.index, silentMs: silent });
      ws.terminate();
    }
  }

  private get open(): boolean {
    return this.ws !== undefined && this.ws.readyState === WebSocket.OPEN;
  }

  /** Subscribe channels added while running (new listings); they wait for the connection if it is down. */
  subscribeLater(channels: readonly string[]): void {
    for (const c of channels) if (!this.subscribed.has(c)) this.waiting.add(c);
    if (this.open) void this.flush();
  }

  /** Subscribe everything waiting, in requests of at most maxPerRequest channels. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.waiting.size && this.open) {
        const batch = [...this.waiting].filter((c) => this.channels.has(c)).slice(0, this.p.maxPerRequest);
        for (const c of batch) this.waiting.delete(c);
        if (!batch.length) {
          this.waiting.clear();
          break;
        }
        await this.subscribeBatch(batch);
      }
    } catch (err) {
      // A request that got no answer: the session is unhealthy, start again.
      this.s.log.warn('subscribe failed, reconnecting', { venue: this.s.venue, err: (err as Error).message });
      this.ws?.terminate();
    } finally {
      this.flushing = false;
    }
  }

  /**
   * One subscribe request. A rate-limit answer waits (backoff) and retries; another refusal of
   * a batch retries its channels one by one, and a channel refused alone is dropped (counted as
   * invalidChannels). A missing answer throws (the caller reconnects).
   */
  private async subscribeBatch(batch: string[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.send('subscribe', batch);
        for (const c of batch) this.subscribed.add(c);
        this.s.onSubscribed(batch);
        return;
      } catch (err) {
        if (!(err instanceof SubscribeError)) throw err;
        this.s.stats.subscribeErrors++;
        if (err.rateLimited && attempt < RATE_LIMIT_RETRIES) {
          this.s.stats.rateLimited++;
          const wait = this.backoff.next();
          this.s.log.warn('subscribe rate-limited, backing off', { venue: this.s.venue, delayMs: wait });
          this.bucket.delay(wait);
          continue;
        }
        if (batch.length > 1) {
          for (const c of batch) await this.subscribeBatch([c]);
          return;
        }
        this.s.onRefused(this, batch[0]!);
        return;
      }
    }
  }

  async unsubscribe(channels: string[]): Promise<void> {
    if (!this.open) return;
    await this.send('unsubscribe', channels).catch((err) => this.s.log.warn('unsubscribe failed', { venue: this.s.venue, err: (err as Error).message }));
  }

  /** Send one request and wait for its answer (or, OKX, one answer per channel). */
  private async send(op: 'subscribe' | 'unsubscribe', channels: string[]): Promise<void> {
    const wait = this.bucket.reserve();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new Error(`${op}: not connected`);
    const id = this.nextId++;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${op}: no answer within ${this.s.opts.requestTimeoutMs} ms`));
      }, this.s.opts.requestTimeoutMs);
      this.pending.set(id, { op, channels, acked: new Set(), resolve, reject, timer });
      ws.send(this.p.request(op, channels, id), (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(err);
      });
    });
  }

  /** An ack or error from the venue: settle the request it answers. */
  onAnswer(c: Extract<StreamControl, { kind: 'ack' | 'error' }>): void {
    const id = c.reqId !== undefined ? Number(c.reqId) : NaN;
    let entry: [number, Pending] | undefined = this.pending.has(id) ? [id, this.pending.get(id)!] : undefined;
    // Answers without our id: match by channel, else the oldest request waiting.
    if (!entry && c.kind === 'ack' && c.channels) entry = [...this.pending].find(([, p]) => c.channels!.some((ch) => p.channels.includes(ch)));
    if (!entry && c.kind === 'error') entry = [...this.pending][0];
    if (!entry) return;
    const [key, p] = entry;
    if (c.kind === 'error') {
      this.settle(key, p);
      p.reject(new SubscribeError(c.code, `${p.op} refused: ${c.code} ${c.message}`, c.rateLimited));
      return;
    }
    if (this.p.ackPerChannel && c.channels) {
      for (const ch of c.channels) p.acked.add(ch);
      if (p.acked.size < p.channels.length) return;
    }
    this.settle(key, p);
    p.resolve();
  }

  private settle(key: number, p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(key);
  }

  private failPending(err: Error): void {
    for (const [key, p] of this.pending) {
      this.settle(key, p);
      p.reject(err);
    }
  }

  /** Resubscribe broken books (coalesced): unsubscribe + subscribe gives a fresh snapshot. */
  queueResync(channel: string): void {
    this.resyncQueue.add(channel);
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      const channels = [...this.resyncQueue].slice(0, this.p.maxPerRequest);
      for (const c of channels) this.resyncQueue.delete(c);
      void this.resubscribe(channels);
      if (this.resyncQueue.size) this.queueResync([...this.resyncQueue][0]!);
    }, RESYNC_COALESCE_MS);
  }

  private async resubscribe(channels: string[]): Promise<void> {
    if (!this.open) return;
    this.s.log.info('resubscribing', { venue: this.s.venue, channels: channels.length });
    await this.unsubscribe(channels);
    for (const c of channels) {
      this.subscribed.delete(c);
      this.waiting.add(c);
    }
    await this.flush();
  }
}

export type { Connection };
