import type { VenueSession, VenueSessionDeps } from '../../venue.ts';
import { ChannelSession, type ChannelProtocol } from '../../session/channel-session.ts';
import { FramePipeline, type RegistryContext } from '../../session/pipeline.ts';
import { fetchText, joinUrl } from '../../session/rest.ts';
import type { StreamControl } from '../../session/stream-control.ts';
import { venueSymbol } from '../common/expiry.ts';
import { OkxChecksumVerifier } from './checksum.ts';
import { VENUE, mapOkxMessage } from './mapper.ts';
import { baseOfPair, okxArg } from './names.ts';

export type OkxConfig = {
  url: string;
  /** Optional REST base (`https://www.okx.com`): also poll `/api/v5/public/instruments` (the websocket `instruments` channel is the main source). */
  restUrl: string | undefined;
  /** Option families, e.g. BTC-USD, ETH-USD (inverse, coin-quoted). */
  families: string[];
  /** Book channels per connection (OKX recommends fewer than 30 depth channels per connection). */
  booksPerConnection: number;
  pingMs: number;
  staleAfterMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  requestTimeoutMs: number;
  instrumentsRefreshMs: number;
};

/**
 * OKX v5 public protocol (EXCHANGES.md §2): `{"id","op","args":[{channel, instId|instFamily|instType}]}`,
 * one ack per arg; the text `ping` when idle (the connection drops after 30 s without data);
 * subscribe/unsubscribe at most 480 per hour per connection.
 */
export function okxProtocol(c: Pick<OkxConfig, 'url' | 'booksPerConnection' | 'pingMs'>): ChannelProtocol {
  return {
    urls: { public: c.url },
    request: (op, channels, id) => JSON.stringify({ id: String(id), op, args: channels.map(okxArg) }),
    // Total args must stay under 64 KB: ~60 bytes each.
    maxPerRequest: 200,
    maxPerConnection: c.booksPerConnection,
    budget: { burst: 20, perSecond: 480 / 3600 },
    // OKX allows 3 connection requests per second per IP.
    connectsPerSecond: 3,
    ping: () => 'ping',
    pingEveryMs: c.pingMs,
    // Two pings unanswered (plus some slack) and the link is dead.
    silenceMs: 2 * c.pingMs + Math.min(5_000, c.pingMs),
    ackPerChannel: true,
  };
}

/**
 * OKX session: listings from the websocket `instruments` channel (and the REST list when
 * configured), one `books` channel per option (checksums verified), `opt-summary` (IVs, fwdPx)
 * and `index-tickers` per family.
 */
export function startOkxSession(config: OkxConfig, deps: VenueSessionDeps): VenueSession {
  const ctx: RegistryContext = { instruments: new Map() };
  const pipeline = new FramePipeline<RegistryContext, StreamControl>({ venue: VENUE, map: mapOkxMessage, ctx, verifier: new OkxChecksumVerifier() });
  const familyOf = (key: string) => key.slice(key.indexOf(':') + 1);
  return new ChannelSession({
    venue: VENUE,
    protocol: okxProtocol(config),
    pipeline,
    staleAfterMs: config.staleAfterMs,
    reconnectMinMs: config.reconnectMinMs,
    reconnectMaxMs: config.reconnectMaxMs,
    requestTimeoutMs: config.requestTimeoutMs,
    plan: {
      staticChannels: ['instruments:OPTION', ...config.families.flatMap((f) => [`opt-summary:${f}`, `index-tickers:${f}`])],
      instrumentChannels: (def) => [`books:${venueSymbol(def.instrument)}`],
      bookChannel: (instrument) => `books:${venueSymbol(instrument)}`,
      routeOf: () => 'public',
      staleInfo: (ch) => (ch.startsWith('opt-summary:') || ch.startsWith('index-tickers:') ? { underlying: baseOfPair(familyOf(ch)) } : undefined),
      wanted: (def) => def.kind === 'option' && config.families.some((f) => venueSymbol(def.instrument).startsWith(`${f}-`)),
      underlyings: [...new Set(config.families.map((f) => baseOfPair(f) ?? f))],
      fetchListings: config.restUrl === undefined ? undefined : async () => Promise.all(config.families.map((f) =>
        fetchText(joinUrl(config.restUrl!, `/api/v5/public/instruments?instType=OPTION&instFamily=${encodeURIComponent(f)}`), config.requestTimeoutMs))),
      refreshMs: config.instrumentsRefreshMs,
    },
  }, deps);
}
