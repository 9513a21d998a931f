import WebSocket from 'ws';
import { SCHEMA_VERSION, eventId, type InstrumentDef, type MdEvent, type Status, type StatusKind } from '@volstream/events';
import type { Logger } from '@volstream/runtime';
import { Backoff } from '../../backoff.ts';
import { Pacer } from '../../pacer.ts';
import { RequestTimeoutError, RpcError, SessionClosedError } from '../../errors.ts';
import { rejectedFrame } from '../../rejected.ts';
import type { VenueSession, VenueSessionDeps } from '../../venue.ts';
import { ContinuityTracker } from './continuity.ts';
import { VENUE, mapDeribitMessage, type DeribitContext, type DeribitControl, type InstrumentInfo } from './mapper.ts';

/** Settings of one Deribit session (parsed from env by the connector's config). */
export type DeribitConfig = {
  url: string;
  /** `public/get_instruments` currencies, e.g. BTC, ETH. */
  currencies: string[];
  /** `public/set_heartbeat` interval (s, >= 10 per Deribit). */
  heartbeatS: number;
  /** A ticker or index channel silent this long is reported stale (ms). */
  staleAfterMs: number;
  /** public/subscribe requests per second (Deribit allows ~3.3 sustained). */
  subscribePerS: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  requestTimeoutMs: number;
  /** Re-list instruments this often to pick up new expiries (ms; 0 = only at connect). */
  instrumentsRefreshMs: number;
};

export type DeribitStats = {
  connects: number;
  disconnects: number;
  frames: number;
  events: number;
  rejected: number;
  ignored: number;
  heartbeats: number;
  testRequests: number;
  rpcErrors: number;
  rateLimited: number;
  resyncs: number;
  droppedWhileResync: number;
  stale: number;
  subscribedChannels: number;
  /** Channels the venue refused as invalid (not subscribed). */
  invalidChannels: number;
  instruments: number;
};

/** Deribit accepts at most 500 channels per public/subscribe (market-data best practices). */
export const MAX_CHANNELS_PER_SUBSCRIBE = 500;
const INSTRUMENT_KINDS = ['option', 'future'] as const;
/** More newly stale channels than this in one check become one summary status per underlying. */
const STALE_DETAIL_LIMIT = 20;
const RATE_LIMIT_RETRIES = 5;
/** Gaps found within this window share one resubscribe request (subscribe itself is paced). */
const RESYNC_COALESCE_MS = 20;

type Answer = { control: DeribitControl; events: MdEvent[] };
type Pending = { method: string; resolve: (a: Answer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
type Tracked = { last: number; stale: boolean; underlying: string | undefined; instrument: string | undefined; expiryTs: number | undefined };

export const bookChannel = (instrument: string) => `book.${instrument}.100ms`;
export const tickerChannel = (instrument: string) => `ticker.${instrument}.100ms`;
export const indexChannel = (currency: string) => `deribit_price_index.${currency.toLowerCase()}_usd`;

/**
 * Channels for a set of listed instruments: book + ticker per option, ticker per future and
 * perpetual, and the USD price index of each currency.
 */
export function channelsFor(instruments: readonly InstrumentDef[], currencies: readonly string[]): string[] {
  const out: string[] = [];
  for (const i of instruments) {
    if (!i.active) continue;
    if (i.kind === 'option') out.push(bookChannel(i.instrument), tickerChannel(i.instrument));
    else out.push(tickerChannel(i.instrument));
  }
  for (const c of currencies) out.push(indexChannel(c));
  return out;
}

/** Split into subscribe requests of at most `size` channels. */
export function batches<T>(xs: readonly T[], size = MAX_CHANNELS_PER_SUBSCRIBE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * The Deribit websocket session: a thin adapter around the pure mapper that owns the socket,
 * the clock and the timers. Connect, set the heartbeat, list instruments, subscribe in paced
 * batches, check book continuity per channel (resubscribing on a gap), report stale channels,
 * and reconnect with backoff forever until stopped. It never throws on bad input: frames the
 * mapper rejects go to the dead-letter subject.
 */
export function startDeribitSession(config: DeribitConfig, deps: VenueSessionDeps): VenueSession {
  const s = new DeribitSession(config, deps);
  return s;
}

class DeribitSession implements VenueSession {
  readonly venue = VENUE;
  readonly stats: DeribitStats = {
    connects: 0, disconnects: 0, frames: 0, events: 0, rejected: 0, ignored: 0, heartbeats: 0, testRequests: 0, rpcErrors: 0,
    rateLimited: 0, resyncs: 0, droppedWhileResync: 0, stale: 0, subscribedChannels: 0, invalidChannels: 0, instruments: 0,
  };
  readonly done: Promise<void>;

  private readonly now: () => number;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly pacer: Pacer;
  /** Instruments ever listed, kept across sessions (the mapper's read-only context). */
  private readonly registry = new Map<string, InstrumentInfo>();
  private readonly pending = new Map<number, Pending>();
  private readonly continuity = new ContinuityTracker();
  private readonly tracked = new Map<string, Tracked>();
  private readonly subscribed = new Set<string>();
  private readonly resyncQueue = new Set<string>();
  private readonly ctx: DeribitContext;
  private ws: WebSocket | undefined;
  private nextId = 1;
  private statusSeq = 0;
  private lastFrameAt = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(private readonly config: DeribitConfig, private readonly deps: VenueSessionDeps) {
    this.now = deps.now ?? Date.now;
    this.log = deps.log;
    this.backoff = new Backoff({ minMs: config.reconnectMinMs, maxMs: config.reconnectMaxMs, random: deps.random });
    this.pacer = new Pacer(config.subscribePerS, this.now);
    this.ctx = { instruments: this.registry, methodOf: (id) => this.pending.get(id)?.method };
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.ws?.close(1000, 'stopping');
    await this.done;
  }

  restart(reason: string): void {
    if (!this.ws) return;
    this.log.warn('restarting session', { reason });
    this.ws.terminate();
  }

  /** Backpressure from the publisher: stop reading the socket until the queue drains. */
  pause(paused: boolean): void {
    if (paused) this.ws?.pause();
    else this.ws?.resume();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.session();
      } catch (err) {
        if (!this.stopped) this.log.warn('session failed', { err: (err as Error).message });
      }
      if (this.stopped) break;
      const delay = this.backoff.next();
      this.log.info('reconnecting', { delayMs: delay, attempt: this.backoff.attempts });
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() { clearTimeout(t); resolve(); }
      this.wake = done;
    });
  }

  /** One websocket connection from open to close. */
  private async session(): Promise<void> {
    const ws = new WebSocket(this.config.url, { perMessageDeflate: false, handshakeTimeout: this.config.requestTimeoutMs, maxPayload: 256 * 1024 * 1024 });
    this.ws = ws;
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.on('error', (err) => this.log.warn('websocket error', { err: err.message }));
    let connected = false;
    const timers: NodeJS.Timeout[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
        ws.once('close', () => reject(new SessionClosedError('closed before open')));
      });
      if (this.stopped) return;
      connected = true;
      this.stats.connects++;
      this.continuity.clear();
      this.subscribed.clear();
      this.tracked.clear();
      this.lastFrameAt = this.now();
      this.log.info('connected', { url: this.config.url });
      this.connectionStatus('feed_connected', 'websocket open');
      ws.on('message', (data: WebSocket.RawData) => this.onFrame(rawText(data), this.now()));
      ws.once('close', () => this.failPending(new SessionClosedError()));
      timers.push(setInterval(() => this.checkLiveness(ws), 1_000));
      timers.push(setInterval(() => this.checkStale(), Math.max(100, Math.min(1_000, this.config.staleAfterMs / 4))));

      await this.request('public/set_heartbeat', { interval: this.config.heartbeatS });
      const instruments = await this.listInstruments();
      await this.subscribe(channelsFor(instruments, this.config.currencies));
      this.backoff.reset();
      this.log.info('subscribed', { channels: this.subscribed.size, instruments: instruments.length });
      if (this.config.instrumentsRefreshMs > 0) {
        timers.push(setInterval(() => void this.refreshInstruments().catch((err) => this.log.warn('instrument refresh failed', { err: (err as Error).message })), this.config.instrumentsRefreshMs));
      }
      await closed;
    } finally {
      for (const t of timers) clearInterval(t);
      clearTimeout(this.resyncTimer);
      this.resyncTimer = undefined;
      this.resyncQueue.clear();
      this.failPending(new SessionClosedError());
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
      this.ws = undefined;
      if (connected) {
        this.stats.disconnects++;
        this.connectionStatus('feed_disconnected', this.stopped ? 'connector stopping' : 'websocket closed');
      }
    }
  }

  /** No frame for two heartbeat intervals (Deribit sends one each interval): the link is dead. */
  private checkLiveness(ws: WebSocket): void {
    const silentMs = this.now() - this.lastFrameAt;
    if (silentMs > this.config.heartbeatS * 2_000 + 5_000) {
      this.log.warn('no frames, closing', { silentMs });
      ws.terminate();
    }
  }

  private async listInstruments(): Promise<InstrumentDef[]> {
    const out: InstrumentDef[] = [];
    for (const currency of this.config.currencies) {
      for (const kind of INSTRUMENT_KINDS) {
        const answer = await this.request('public/get_instruments', { currency, kind, expired: false });
        for (const e of answer.events) if (e.type === 'md.instrument') out.push(e);
      }
    }
    this.stats.instruments = this.registry.size;
    return out;
  }

  private async refreshInstruments(): Promise<void> {
    const instruments = await this.listInstruments();
    const fresh = channelsFor(instruments, this.config.currencies).filter((c) => !this.subscribed.has(c));
    if (fresh.length) {
      this.log.info('new instruments listed', { channels: fresh.length });
      await this.subscribe(fresh);
    }
    // Expired instruments stop sending: stop watching them for staleness.
    const now = this.now();
    for (const [channel, t] of this.tracked) if (t.expiryTs !== undefined && t.expiryTs <= now) this.tracked.delete(channel);
  }

  /**
   * Subscribe in batches of <= 500 channels, paced to the venue's rate limit. A rate-limit
   * answer backs off and retries; channels the venue names as invalid (an instrument that
   * expired since it was listed) are dropped and the rest retried; any other error ends the
   * session, which reconnects and starts again.
   */
  private async subscribe(channels: readonly string[]): Promise<void> {
    for (let batch of batches(channels)) {
      for (let attempt = 0; batch.length > 0; attempt++) {
        try {
          const answer = await this.paced('public/subscribe', { channels: batch });
          this.onSubscribed(answer.control.kind === 'result' ? answer.control.channels ?? [] : []);
          break;
        } catch (err) {
          if (!(err instanceof RpcError) || attempt >= RATE_LIMIT_RETRIES) throw err;
          const invalid = err.invalidChannels;
          if (invalid) {
            this.stats.invalidChannels += invalid.length;
            this.log.warn('venue refused channels, subscribing the rest', { channels: invalid.slice(0, 5).join(','), count: invalid.length });
            batch = batch.filter((c) => !invalid.includes(c));
            continue;
          }
          if (!err.isRateLimit) throw err;
          this.stats.rateLimited++;
          const wait = this.backoff.next();
          this.log.warn('subscribe rate-limited, backing off', { delayMs: wait });
          this.pacer.delay(wait);
        }
      }
    }
  }

  /** subscribe and unsubscribe share the venue's subscription rate limit. */
  private async paced(method: 'public/subscribe' | 'public/unsubscribe', params: { channels: string[] }): Promise<Answer> {
    await this.sleepMs(this.pacer.reserve());
    return this.request(method, params);
  }

  private sleepMs(ms: number): Promise<void> {
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
  }

  private onSubscribed(channels: readonly string[]): void {
    const now = this.now();
    for (const c of channels) {
      this.subscribed.add(c);
      // Ticker and index channels tick continuously; a book channel of a quiet option may
      // rightly stay silent for minutes, so only the former are watched for staleness.
      if (c.startsWith('ticker.') || c.startsWith('deribit_price_index.')) {
        const instrument = c.startsWith('ticker.') ? c.slice('ticker.'.length, c.lastIndexOf('.')) : undefined;
        const info = instrument !== undefined ? this.registry.get(instrument) : undefined;
        // `deribit_price_index.btc_usd` -> BTC
        const underlying = info?.underlying ?? (instrument === undefined ? c.slice(c.indexOf('.') + 1).split('_')[0]!.toUpperCase() : undefined);
        this.tracked.set(c, { last: now, stale: false, underlying, instrument, expiryTs: info?.expiryTs });
      }
    }
    this.stats.subscribedChannels = this.subscribed.size;
  }

  private request(method: string, params: Record<string, unknown>): Promise<Answer> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new SessionClosedError(`${method}: not connected`));
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestTimeoutError(method, this.config.requestTimeoutMs));
      }, this.config.requestTimeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }), (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new SessionClosedError(`${method}: send failed`, { cause: err }));
      });
    });
  }

  private failPending(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(err);
    }
  }

  /** Every frame: map, publish, then act on the control signal. */
  private onFrame(frame: string, recvTs: number): void {
    this.stats.frames++;
    this.lastFrameAt = recvTs;
    const r = mapDeribitMessage(frame, recvTs, this.ctx);
    if (r.rejected) {
      this.stats.rejected++;
      this.log.debug('frame rejected', { reason: r.rejected.reason });
      this.deps.sink.push(rejectedFrame({ venue: VENUE, frame, recvTs, reason: r.rejected.reason }));
    }
    const c = r.control;
    const channel = c?.kind === 'notification' ? c.channel : undefined;
    for (const ev of r.events) this.onEvent(ev, channel, recvTs);
    if (!c) return;
    switch (c.kind) {
      case 'heartbeat':
        this.stats.heartbeats++;
        return;
      case 'test_request':
        // Unanswered test_requests make Deribit close the connection (docs public-set_heartbeat).
        this.stats.testRequests++;
        this.request('public/test', {}).catch(() => undefined);
        return;
      case 'notification': {
        if (c.ignored) this.stats.ignored++;
        const t = this.tracked.get(c.channel);
        if (t) {
          t.last = recvTs;
          t.stale = false;
        }
        return;
      }
      case 'result':
      case 'error': {
        const p = c.id !== undefined ? this.pending.get(c.id) : undefined;
        if (c.kind === 'error') {
          this.stats.rpcErrors++;
          if (c.code === 10028) this.stats.rateLimited++;
          if (!p) this.log.warn('rpc error', { code: c.code, message: c.message });
        }
        if (!p) return;
        clearTimeout(p.timer);
        this.pending.delete(c.id!);
        if (c.kind === 'error') p.reject(new RpcError(c.code, c.message, p.method, c.data));
        else p.resolve({ control: c, events: r.events });
        return;
      }
    }
  }

  private onEvent(ev: MdEvent, channel: string | undefined, recvTs: number): void {
    switch (ev.type) {
      case 'md.instrument':
        this.registry.set(ev.instrument, { kind: ev.kind, underlying: ev.underlying, expiryTs: ev.expiryTs });
        break;
      case 'md.book.snapshot':
        this.continuity.snapshot(ev.instrument, ev.seq);
        break;
      case 'md.book.delta': {
        const check = this.continuity.change(ev.instrument, ev.prevSeq, ev.seq, recvTs);
        if (check === 'awaiting_snapshot') {
          this.stats.droppedWhileResync++;
          return;
        }
        if (check === 'gap') {
          // Publish the delta that shows the gap (the book stage checks continuity itself),
          // then say why the book will be rebuilt, then ask for a fresh snapshot.
          this.push(ev);
          this.stats.resyncs++;
          this.push(this.status('book_resync', {
            underlying: ev.underlying, instrument: ev.instrument, expiryTs: ev.expiryTs,
            reason: `change_id gap on ${channel ?? ev.instrument}: prev_change_id ${ev.prevSeq}, resubscribing`,
            detail: { prevChangeId: ev.prevSeq, changeId: ev.seq },
          }));
          this.scheduleResync(channel ?? bookChannel(ev.instrument));
          return;
        }
        break;
      }
      default:
        break;
    }
    this.push(ev);
  }

  private push(ev: MdEvent): void {
    this.stats.events++;
    this.deps.sink.push(ev);
  }

  /** Resubscribe broken channels (unsubscribe + subscribe: the first message is a snapshot). */
  private scheduleResync(channel: string): void {
    this.resyncQueue.add(channel);
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      const channels = [...this.resyncQueue].slice(0, MAX_CHANNELS_PER_SUBSCRIBE);
      for (const c of channels) this.resyncQueue.delete(c);
      void this.resubscribe(channels).catch((err) => this.log.warn('resubscribe failed', { err: (err as Error).message }));
      if (this.resyncQueue.size) this.scheduleResync([...this.resyncQueue][0]!);
    }, RESYNC_COALESCE_MS);
  }

  private async resubscribe(channels: string[]): Promise<void> {
    this.log.info('resubscribing', { channels: channels.length });
    await this.paced('public/unsubscribe', { channels }).catch((err) => this.log.warn('unsubscribe failed', { err: (err as Error).message }));
    await this.subscribe(channels);
  }

  private checkStale(): void {
    const now = this.now();
    const fresh: Tracked[] = [];
    const names: string[] = [];
    for (const [channel, t] of this.tracked) {
      if (t.expiryTs !== undefined && t.expiryTs <= now) {
        this.tracked.delete(channel); // an expired instrument is silent by design
        continue;
      }
      if (t.stale || now - t.last <= this.config.staleAfterMs) continue;
      t.stale = true;
      fresh.push(t);
      names.push(channel);
    }
    if (!fresh.length) return;
    this.stats.stale += fresh.length;
    if (fresh.length <= STALE_DETAIL_LIMIT) {
      fresh.forEach((t, i) => this.push(this.status('feed_stale', {
        underlying: t.underlying, instrument: t.instrument, expiryTs: t.expiryTs,
        reason: `${names[i]} silent for ${now - t.last} ms`, detail: { channel: names[i], silentMs: now - t.last },
      })));
      return;
    }
    const byUnderlying = new Map<string | undefined, string[]>();
    fresh.forEach((t, i) => byUnderlying.set(t.underlying, [...(byUnderlying.get(t.underlying) ?? []), names[i]!]));
    for (const [underlying, chans] of byUnderlying) {
      this.push(this.status('feed_stale', {
        underlying, reason: `${chans.length} channels silent for over ${this.config.staleAfterMs} ms`,
        detail: { channels: chans.length, sample: chans.slice(0, 10) },
      }));
    }
  }

  /** Connection events go out once per currency, so every underlying's share sees them. */
  private connectionStatus(kind: 'feed_connected' | 'feed_disconnected', reason: string): void {
    for (const underlying of this.config.currencies) this.push(this.status(kind, { underlying, reason, detail: { url: this.config.url } }));
  }

  private status(kind: StatusKind, f: { underlying?: string | undefined; instrument?: string | undefined; expiryTs?: number | undefined; reason: string; detail?: Record<string, unknown> }): Status {
    const ts = this.now();
    const ev: Status = {
      type: 'status', v: SCHEMA_VERSION, id: eventId(VENUE, 'status', kind, f.instrument ?? f.underlying ?? '_', ts, ++this.statusSeq),
      venue: VENUE, ts, recvTs: ts, kind, stage: 'connector', reason: f.reason,
    };
    if (f.underlying !== undefined) ev.underlying = f.underlying;
    if (f.instrument !== undefined) ev.instrument = f.instrument;
    if (f.expiryTs !== undefined) ev.expiryTs = f.expiryTs;
    if (f.detail !== undefined) ev.detail = f.detail;
    return ev;
  }
}

function rawText(data: WebSocket.RawData): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
