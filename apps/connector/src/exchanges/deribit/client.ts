import WebSocket from 'ws';
import type { InstrumentDef, MdEvent } from '@volstream/events';
import type { Logger } from '@volstream/runtime';
import { Backoff } from '../../backoff.ts';
import { Pacer } from '../../pacer.ts';
import { RPC_INVALID_PARAMS, RPC_TOO_MANY_REQUESTS, RequestTimeoutError, RpcError, SessionClosedError } from '../../errors.ts';
import { FramePipeline } from '../../session/pipeline.ts';
import { StaleWatch } from '../../session/stale.ts';
import { StatusFactory } from '../../session/status.ts';
import { rawText } from '../../session/ws-text.ts';
import type { VenueSession, VenueSessionDeps } from '../../venue.ts';
import { VENUE, mapDeribitMessage, type DeribitContext, type DeribitControl } from './mapper.ts';

/** Settings of one Deribit session (parsed from env by the connector's config). */
export type DeribitConfig = {
  url: string;
  /** `public/get_instruments` currencies: BTC, ETH (inverse) and USDC (linear options of many bases). */
  currencies: string[];
  /** Bases of the USDC-settled linear instruments to keep (`*` = all), e.g. BTC, ETH. */
  linearBases: string[];
  /** `public/set_heartbeat` interval (s, >= 10 per Deribit). */
  heartbeatS: number;
  /** A ticker or index channel silent this long is reported stale (ms). */
  staleAfterMs: number;
  /** public/subscribe requests per second (Deribit allows ~3.3 sustained). */
  subscribePerS: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  requestTimeoutMs: number;
  /** Re-list instruments this often as a backstop to instrument.state (ms; 0 = only at connect). */
  instrumentsRefreshMs: number;
  /** No frame for this long: the link is dead (default two heartbeat intervals + 5 s). */
  silenceMs?: number;
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
  duplicates: number;
  droppedWhileResync: number;
  stale: number;
  subscribedChannels: number;
  /** Channels the venue refused as invalid (not subscribed). */
  invalidChannels: number;
  instruments: number;
  /** Listings added or ended while running (instrument.state or a refresh). */
  listed: number;
  delisted: number;
};

/** Deribit accepts at most 500 channels per public/subscribe (market-data best practices). */
export const MAX_CHANNELS_PER_SUBSCRIBE = 500;
const INSTRUMENT_KINDS = ['option', 'future'] as const;
const RATE_LIMIT_RETRIES = 5;
/** Gaps found within this window share one resubscribe request (subscribe itself is paced). */
const RESYNC_COALESCE_MS = 20;
/** Settlement currencies whose instruments are linear in that currency (not an underlying). */
const SETTLEMENT_CURRENCIES = new Set(['USDC', 'USDT']);

type Answer = { control: DeribitControl; events: MdEvent[] };
type Pending = { method: string; resolve: (a: Answer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export const bookChannel = (instrument: string) => `book.${instrument}.100ms`;
export const tickerChannel = (instrument: string) => `ticker.${instrument}.100ms`;
export const indexChannel = (indexName: string) => `deribit_price_index.${indexName}`;
/** Default index of a coin currency when the listing names none: `btc_usd`. */
export const defaultIndexName = (currency: string) => `${currency.toLowerCase()}_usd`;
export const instrumentStateChannels = (currency: string) => INSTRUMENT_KINDS.map((k) => `instrument.state.${k}.${currency}`);

/** Channels of one listed instrument: book + ticker per option, ticker per future and perpetual. */
export function instrumentChannels(i: InstrumentDef): string[] {
  return i.kind === 'option' ? [bookChannel(i.instrument), tickerChannel(i.instrument)] : [tickerChannel(i.instrument)];
}

/** Channels for a set of listed instruments plus the price indexes they price off. */
export function channelsFor(instruments: readonly InstrumentDef[], indexNames: readonly string[]): string[] {
  const out: string[] = [];
  for (const i of instruments) if (i.active) out.push(...instrumentChannels(i));
  for (const n of indexNames) out.push(indexChannel(n));
  return out;
}

/** Split into subscribe requests of at most `size` channels. */
export function batches<T>(xs: readonly T[], size = MAX_CHANNELS_PER_SUBSCRIBE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * The Deribit websocket session: a thin adapter around the frame pipeline (pure mapper +
 * sequencing rules) that owns the socket, the clock and the timers. Connect, set the heartbeat,
 * list instruments per currency, subscribe in paced batches, follow listings and expiries
 * (instrument.state, plus a periodic re-list), resubscribe a book on a gap, report stale
 * channels, and reconnect with backoff forever until stopped. Bad frames go to the dead letter.
 */
export function startDeribitSession(config: DeribitConfig, deps: VenueSessionDeps): VenueSession {
  return new DeribitSession(config, deps);
}

class DeribitSession implements VenueSession {
  readonly venue = VENUE;
  readonly stats: DeribitStats = {
    connects: 0, disconnects: 0, frames: 0, events: 0, rejected: 0, ignored: 0, heartbeats: 0, testRequests: 0, rpcErrors: 0,
    rateLimited: 0, resyncs: 0, duplicates: 0, droppedWhileResync: 0, stale: 0, subscribedChannels: 0, invalidChannels: 0, instruments: 0,
    listed: 0, delisted: 0,
  };
  readonly done: Promise<void>;

  private readonly now: () => number;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly pacer: Pacer;
  private readonly statuses: StatusFactory;
  private readonly pending = new Map<number, Pending>();
  private readonly pipeline: FramePipeline<DeribitContext, DeribitControl>;
  private readonly stale: StaleWatch;
  private readonly subscribed = new Set<string>();
  private readonly resyncQueue = new Set<string>();
  /** Instruments subscribed now, by name (a listing that ends is removed). */
  private readonly live = new Map<string, InstrumentDef>();
  private readonly indexNames = new Set<string>();
  private ws: WebSocket | undefined;
  private nextId = 1;
  private lastFrameAt = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(private readonly config: DeribitConfig, private readonly deps: VenueSessionDeps) {
    this.now = deps.now ?? Date.now;
    this.log = deps.log;
    this.backoff = new Backoff({ minMs: config.reconnectMinMs, maxMs: config.reconnectMaxMs, random: deps.random });
    this.pacer = new Pacer(config.subscribePerS, this.now);
    this.statuses = new StatusFactory(VENUE, this.now);
    this.stale = new StaleWatch(config.staleAfterMs);
    const ctx: DeribitContext = { instruments: new Map(), methodOf: (id) => this.pending.get(id)?.method };
    this.pipeline = new FramePipeline({ venue: VENUE, map: mapDeribitMessage, ctx });
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
      this.pipeline.forget();
      this.subscribed.clear();
      this.stale.clear();
      this.live.clear();
      this.lastFrameAt = this.now();
      this.log.info('connected', { url: this.config.url });
      this.connectionStatus('feed_connected', 'websocket open');
      ws.on('message', (data: WebSocket.RawData) => this.onFrame(rawText(data), this.now()));
      ws.once('close', () => this.failPending(new SessionClosedError()));
      timers.push(setInterval(() => this.checkLiveness(ws), Math.min(1_000, Math.max(50, (this.config.silenceMs ?? 4_000) / 4))));
      timers.push(setInterval(() => this.checkStale(), Math.max(100, Math.min(1_000, this.config.staleAfterMs / 4))));

      await this.request('public/set_heartbeat', { interval: this.config.heartbeatS });
      await this.subscribeLifecycle();
      const listed = await this.listInstruments();
      for (const i of listed) this.live.set(i.instrument, i);
      await this.subscribe(channelsFor(listed, [...this.indexNames]));
      this.backoff.reset();
      this.log.info('subscribed', { channels: this.subscribed.size, instruments: listed.length });
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
    if (silentMs > (this.config.silenceMs ?? this.config.heartbeatS * 2_000 + 5_000)) {
      this.log.warn('no frames, closing', { silentMs });
      ws.terminate();
    }
  }

  /**
   * Listing changes arrive on instrument.state (docs recommend it over polling get_instruments,
   * which costs 1 request/s of a special budget). A venue that refuses the channel still gets
   * the periodic re-list.
   */
  private async subscribeLifecycle(): Promise<void> {
    const channels = this.config.currencies.flatMap(instrumentStateChannels);
    try {
      await this.subscribe(channels);
    } catch (err) {
      // A venue without the channel (-32602; channels it names are already dropped by subscribe)
      // still works through re-listing; any other error restarts the session as usual.
      if (!(err instanceof RpcError) || err.code !== RPC_INVALID_PARAMS) throw err;
      this.log.info('instrument.state not available; relying on re-listing', { err: err.message });
    }
  }

  /** Whether a listing is one this session wants: coin currencies all, USDC/USDT only configured bases. */
  private wanted(i: InstrumentDef): boolean {
    if (i.kind !== 'option' && i.kind !== 'future' && i.kind !== 'perpetual') return false;
    if (i.settlement === 'inverse') return this.config.currencies.includes(i.underlying);
    return this.config.linearBases.includes('*') || this.config.linearBases.includes(i.underlying);
  }

  private async listInstruments(): Promise<InstrumentDef[]> {
    const out: InstrumentDef[] = [];
    for (const currency of this.config.currencies) {
      if (!SETTLEMENT_CURRENCIES.has(currency)) this.indexNames.add(defaultIndexName(currency));
      for (const kind of INSTRUMENT_KINDS) {
        const answer = await this.request('public/get_instruments', { currency, kind, expired: false });
        const defs = answer.events.filter((e): e is InstrumentDef => e.type === 'md.instrument' && this.wanted(e));
        out.push(...defs);
        // A listing names its index (btc_usd, sol_usdc): watch the ones of the instruments kept.
        if (answer.control.kind === 'result' && answer.control.priceIndexes && SETTLEMENT_CURRENCIES.has(currency)) {
          const bases = new Set(defs.map((d) => d.underlying.toLowerCase()));
          for (const n of answer.control.priceIndexes) if (bases.has(n.split('_')[0]!)) this.indexNames.add(n);
        }
      }
    }
    this.stats.instruments = this.pipeline.ctx.instruments.size;
    return out;
  }

  /** Backstop to instrument.state: subscribe what appeared, drop what is gone or expired. */
  private async refreshInstruments(): Promise<void> {
    const listed = await this.listInstruments();
    const names = new Set(listed.map((i) => i.instrument));
    const added = listed.filter((i) => i.active && !this.live.has(i.instrument));
    for (const i of added) this.live.set(i.instrument, i);
    const fresh = [...channelsFor(added, []), ...[...this.indexNames].map(indexChannel)].filter((c) => !this.subscribed.has(c));
    if (fresh.length) {
      this.stats.listed += added.length;
      this.log.info('new instruments listed', { instruments: added.length });
      await this.subscribe(fresh);
    }
    const now = this.now();
    for (const [name, def] of this.live) {
      if (!names.has(name) || (def.expiryTs !== undefined && def.expiryTs <= now)) await this.endInstrument(name, 'no longer listed');
    }
  }

  /** A listing appeared while running (instrument.state created/started): fetch it, subscribe. */
  private async listInstrument(name: string): Promise<void> {
    if (this.live.has(name)) return;
    const answer = await this.request('public/get_instrument', { instrument_name: name });
    const def = answer.events.find((e): e is InstrumentDef => e.type === 'md.instrument' && e.instrument === name);
    if (!def || !def.active || !this.wanted(def)) return;
    this.live.set(name, def);
    this.stats.listed++;
    this.stats.instruments = this.pipeline.ctx.instruments.size;
    this.log.info('instrument listed', { instrument: name });
    await this.subscribe(instrumentChannels(def).filter((c) => !this.subscribed.has(c)));
  }

  /** An instrument expired or was delisted: stop watching and unsubscribe its channels. */
  private async endInstrument(name: string, reason: string): Promise<void> {
    const def = this.live.get(name);
    if (!def) return;
    this.live.delete(name);
    this.stats.delisted++;
    this.pipeline.forget(name);
    const channels = instrumentChannels(def).filter((c) => this.subscribed.has(c));
    for (const c of channels) {
      this.stale.untrack(c);
      this.subscribed.delete(c);
    }
    this.stats.subscribedChannels = this.subscribed.size;
    this.log.info('instrument ended', { instrument: name, reason });
    if (channels.length) await this.paced('public/unsubscribe', { channels }).catch((err) => this.log.warn('unsubscribe failed', { err: (err as Error).message }));
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
    for (const c of channels) {
      this.subscribed.add(c);
      // Ticker and index channels tick continuously; a book channel of a quiet option may
      // rightly stay silent for minutes, so only the former are watched for staleness.
      if (c.startsWith('ticker.')) {
        const instrument = c.slice('ticker.'.length, c.lastIndexOf('.'));
        const info = this.pipeline.ctx.instruments.get(instrument);
        this.stale.track(c, { underlying: info?.underlying, instrument, expiryTs: info?.expiryTs }, this.now());
      } else if (c.startsWith('deribit_price_index.')) {
        // `deribit_price_index.btc_usd` -> BTC
        this.stale.track(c, { underlying: c.slice(c.indexOf('.') + 1).split('_')[0]!.toUpperCase() }, this.now());
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

  /** Every frame: record, map through the pipeline, publish, then act on the control signal. */
  private onFrame(frame: string, recvTs: number): void {
    this.stats.frames++;
    this.lastFrameAt = recvTs;
    this.deps.record?.(VENUE, recvTs, frame);
    const r = this.pipeline.process(frame, recvTs);
    if (r.rejected) {
      this.stats.rejected++;
      this.log.debug('frame rejected', { reason: r.rejected.reason });
      this.deps.sink.push(r.rejected);
    }
    for (const ev of r.events) this.push(ev);
    this.syncPipelineStats();
    for (const x of r.resync) this.scheduleResync(bookChannel(x.instrument));
    const c = r.control;
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
      case 'notification':
        if (c.ignored) this.stats.ignored++;
        this.stale.touch(c.channel, recvTs);
        return;
      case 'instrument_state':
        if (c.change === 'listed') void this.listInstrument(c.instrument).catch((err) => this.log.warn('listing failed', { instrument: c.instrument, err: (err as Error).message }));
        else if (c.change === 'ended') void this.endInstrument(c.instrument, `state ${c.state}`);
        return;
      case 'result':
      case 'error': {
        const p = c.id !== undefined ? this.pending.get(c.id) : undefined;
        if (c.kind === 'error') {
          // Refused channels are counted as invalidChannels by subscribe(), not as errors.
          const refusedChannels = c.code === RPC_INVALID_PARAMS && p?.method === 'public/subscribe';
          if (!refusedChannels) this.stats.rpcErrors++;
          if (c.code === RPC_TOO_MANY_REQUESTS) this.stats.rateLimited++;
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

  private syncPipelineStats(): void {
    const p = this.pipeline.stats;
    this.stats.resyncs = p.resyncs;
    this.stats.duplicates = p.duplicates;
    this.stats.droppedWhileResync = p.droppedWhileResync;
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
    const statuses = this.stale.check(now, (n) => this.statuses.make('feed_stale', n));
    this.stats.stale = this.stale.staleCount;
    for (const s of statuses) this.push(s);
  }

  /** Connection events go out once per underlying, so every underlying's share sees them. */
  private connectionStatus(kind: 'feed_connected' | 'feed_disconnected', reason: string): void {
    for (const underlying of this.underlyings()) this.push(this.statuses.make(kind, { underlying, reason, detail: { url: this.config.url } }));
  }

  private underlyings(): string[] {
    const out = new Set(this.config.currencies.filter((c) => !SETTLEMENT_CURRENCIES.has(c)));
    if (this.config.currencies.some((c) => SETTLEMENT_CURRENCIES.has(c))) for (const b of this.config.linearBases) if (b !== '*') out.add(b);
    return [...out];
  }
}

