/**
 * One websocket client of the simulated venue: JSON-RPC dispatch, subscriptions, heartbeat and
 * the subscribe rate limit (EXCHANGES.md §1.1, §1.3, §1.10, §1.11).
 */
import { WebSocket } from 'ws';
import type { SimConfig } from './config.ts';
import type { SubscriptionHub } from './hub.ts';
import { bookSnapshot, findInstrument } from './model/venue.ts';
import { round, tickerFor } from './model/ticker.ts';
import type { VenueState } from './model/types.ts';
import { parseChannel, type Channel } from './protocol/channels.ts';
import { callPublicMethod, API_VERSION } from './protocol/methods.ts';
import {
  errors,
  fail,
  HEARTBEAT_FRAME,
  notificationFrame,
  nowMicros,
  ok,
  responseFrame,
  TEST_REQUEST_FRAME,
  type RpcId,
  type RpcOutcome,
} from './protocol/rpc.ts';
import { createBucket, take, type TokenBucket } from './protocol/token-bucket.ts';

/** A client that has this much unsent data is disconnected (Deribit: `connection_too_slow`, EXCHANGES.md §1.11). */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export type SessionDeps = {
  config: SimConfig;
  hub: SubscriptionHub<Session>;
  getState(): VenueState;
  /** wall clock, ms */
  clock(): number;
  log(msg: string): void;
};

export class Session {
  private readonly subs = new Set<string>();
  private readonly bucket: TokenBucket;
  private heartbeat: { timer: NodeJS.Timeout; awaitingTest: boolean } | null = null;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: SessionDeps,
  ) {
    this.bucket = createBucket({ burst: deps.config.subscribeBurst, perSecond: deps.config.subscribePerSecond, nowMs: deps.clock() });
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? null : data.toString()));
    ws.on('close', () => this.dispose());
    ws.on('error', () => this.dispose());
  }

  send(frame: Buffer | string): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.deps.log(`closing slow client (${this.ws.bufferedAmount} bytes buffered)`);
      this.terminate(1008, 'connection_too_slow');
      return;
    }
    this.ws.send(frame, { binary: false });
  }

  private onMessage(text: string | null): void {
    const usIn = nowMicros();
    let msg: unknown;
    try {
      msg = text === null ? undefined : JSON.parse(text);
    } catch {
      this.reply(null, fail(errors.parse()), usIn);
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg) || typeof (msg as { method?: unknown }).method !== 'string') {
      this.reply(null, fail(errors.invalidRequest()), usIn);
      return;
    }
    const { id, method, params } = msg as { id?: RpcId; method: string; params?: unknown };
    const { outcome, after } = this.handle(method, params);
    this.reply(id ?? null, outcome, usIn);
    after?.();
  }

  private reply(id: RpcId, outcome: RpcOutcome, usIn: number): void {
    this.send(responseFrame({ id, outcome, usIn, usOut: nowMicros() }));
  }

  /** `after` runs once the response is sent (snapshots must follow the subscribe response). */
  private handle(method: string, params: unknown): { outcome: RpcOutcome; after?: () => void } {
    const nowMs = this.deps.clock();
    switch (method) {
      case 'public/subscribe':
        return this.subscribe(params, nowMs);
      case 'public/unsubscribe':
        return { outcome: this.unsubscribe(params, nowMs) };
      case 'public/unsubscribe_all':
        for (const ch of [...this.subs]) this.removeChannel(ch);
        return { outcome: ok('ok') };
      case 'public/set_heartbeat':
        return { outcome: this.setHeartbeat(params) };
      case 'public/disable_heartbeat':
        this.stopHeartbeat();
        return { outcome: ok('ok') };
      case 'public/test':
        if (this.heartbeat) this.heartbeat.awaitingTest = false;
        return { outcome: ok({ version: API_VERSION }) };
      default:
        if (method.startsWith('private/')) return { outcome: fail(errors.unauthorized()) };
        return { outcome: callPublicMethod({ state: this.deps.getState(), method, params, nowMs }) };
    }
  }

  private channelsParam(params: unknown): string[] | RpcOutcome {
    const channels = (params as { channels?: unknown } | undefined)?.channels;
    if (!Array.isArray(channels) || !channels.every((c) => typeof c === 'string')) {
      return fail(errors.invalidParams('channels', 'value must be a list'));
    }
    const max = this.deps.config.maxChannelsPerSubscribe;
    if (channels.length > max) {
      return fail(errors.invalidParams('channels', `too many channels in one request: ${channels.length} > ${max}`));
    }
    return channels as string[];
  }

  /**
   * All-or-nothing: an unknown channel fails the whole request with -32602 listing the bad
   * channels (a loud failure for connector bugs; the real venue's exact behaviour for unknown
   * channels is not in a stored source — older API versions answered `result: []`).
   * Every accepted book channel gets a `snapshot` right after the response, tickers and the index
   * their current value.
   */
  private subscribe(params: unknown, nowMs: number): { outcome: RpcOutcome; after?: () => void } {
    const channels = this.channelsParam(params);
    if (!Array.isArray(channels)) return { outcome: channels };
    if (!take(this.bucket, nowMs)) return { outcome: fail(errors.tooManyRequests()) };
    const state = this.deps.getState();
    const accepted: Channel[] = [];
    const raw: string[] = [];
    const invalid: string[] = [];
    for (const name of new Set(channels)) {
      const r = parseChannel(state, name);
      if (r.ok) accepted.push(r.channel);
      else (r.reason === 'raw' ? raw : invalid).push(name);
    }
    if (invalid.length > 0) return { outcome: fail(errors.invalidParams('channels', 'invalid channel', { channels: invalid })) };
    if (raw.length > 0) return { outcome: fail(errors.rawNotAvailable(raw)) };
    for (const ch of accepted) {
      this.subs.add(ch.channel);
      this.deps.hub.add(ch.channel, this);
    }
    return { outcome: ok(accepted.map((c) => c.channel)), after: () => this.sendInitial(accepted) };
  }

  /** Uses the current state only: subscribing never draws from the model's generator. */
  private sendInitial(channels: readonly Channel[]): void {
    const state = this.deps.getState();
    const nowMs = state.nowMs;
    for (const ch of channels) {
      if (ch.kind === 'index') {
        const u = state.underlyings.find((x) => x.spec.indexName === ch.indexName);
        if (u) this.send(notificationFrame(ch.channel, { index_name: ch.indexName, price: round(u.market.spot, 2), timestamp: nowMs }));
        continue;
      }
      const found = findInstrument(state, ch.instrument);
      if (!found) continue;
      const data = ch.kind === 'book' ? bookSnapshot({ u: found.u, index: found.index, nowMs }) : tickerFor({ u: found.u, index: found.index, nowMs });
      this.send(notificationFrame(ch.channel, data));
    }
  }

  private unsubscribe(params: unknown, nowMs: number): RpcOutcome {
    const channels = this.channelsParam(params);
    if (!Array.isArray(channels)) return channels;
    if (!take(this.bucket, nowMs)) return fail(errors.tooManyRequests());
    return ok(channels.filter((ch) => this.removeChannel(ch)));
  }

  private removeChannel(channel: string): boolean {
    if (!this.subs.delete(channel)) return false;
    this.deps.hub.remove(channel, this);
    return true;
  }

  /**
   * `public/set_heartbeat {interval}` (seconds, ≥ SIM_MIN_HEARTBEAT_S, Deribit: "not less than 10").
   * Every interval: if the previous test_request is still unanswered, close; else send a
   * `heartbeat` and a `test_request` (EXCHANGES.md §1.10).
   */
  private setHeartbeat(params: unknown): RpcOutcome {
    const interval = Number((params as { interval?: unknown } | undefined)?.interval);
    const min = this.deps.config.minHeartbeatIntervalS;
    if (!Number.isFinite(interval) || interval < min) {
      return fail(errors.invalidParams('interval', `must be a number of seconds >= ${min}`));
    }
    this.stopHeartbeat();
    const hb = {
      awaitingTest: false,
      timer: setInterval(() => {
        if (hb.awaitingTest) {
          this.deps.log('closing client: test_request not answered');
          this.terminate(1000, 'test_request not answered');
          return;
        }
        this.send(HEARTBEAT_FRAME);
        this.send(TEST_REQUEST_FRAME);
        hb.awaitingTest = true;
      }, interval * 1000),
    };
    this.heartbeat = hb;
    return ok('ok');
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat.timer);
    this.heartbeat = null;
  }

  /** Close now; kill the socket if the peer does not complete the close handshake. */
  terminate(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    try {
      this.ws.close(code, reason);
    } catch {
      // already closing
    }
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopHeartbeat();
    for (const ch of this.subs) this.deps.hub.remove(ch, this);
    this.subs.clear();
  }
}
