import type { VenueSession, VenueSessionDeps } from '../../venue.ts';
import { ChannelSession, type ChannelProtocol } from '../../session/channel-session.ts';
import { FramePipeline, type RegistryContext } from '../../session/pipeline.ts';
import { fetchText, joinUrl } from '../../session/rest.ts';
import type { StreamControl } from '../../session/stream-control.ts';
import { venueSymbol } from '../common/expiry.ts';
import { VENUE, mapBinanceMessage } from './mapper.ts';
import { baseOfUnderlying, binanceStreams, parseBinanceSymbol, type BinanceFormat } from './names.ts';

export type BinanceConfig = {
  /** Combined-stream endpoint for depth (2025 "public" path; 2023 the one eoptions endpoint). */
  url: string;
  /** 2025 only: the "market" path that serves optionMarkPrice and new symbols. */
  marketUrl: string;
  /** REST base (`https://eapi.binance.com`) for `/eapi/v1/exchangeInfo`. */
  restUrl: string;
  format: BinanceFormat;
  /** Index symbols, e.g. BTCUSDT, ETHUSDT. */
  underlyings: string[];
  silenceMs: number;
  staleAfterMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  requestTimeoutMs: number;
  instrumentsRefreshMs: number;
};

/**
 * Binance options protocol (EXCHANGES.md §4): live `SUBSCRIBE`/`UNSUBSCRIBE` with an integer id;
 * at most 200 streams per connection and 10 incoming messages per second (more disconnects).
 * The server pings (`ws` answers); `LIST_SUBSCRIPTIONS` every 20 s doubles as our liveness probe.
 */
export function binanceProtocol(c: Pick<BinanceConfig, 'url' | 'marketUrl' | 'format' | 'silenceMs'>): ChannelProtocol {
  return {
    urls: c.format === '2025' ? { public: c.url, market: c.marketUrl } : { public: c.url },
    request: (op, channels, id) => JSON.stringify({ method: op === 'subscribe' ? 'SUBSCRIBE' : 'UNSUBSCRIBE', params: channels, id }),
    maxPerRequest: 50,
    maxPerConnection: 200,
    budget: { burst: 5, perSecond: 4 },
    // UNVERIFIED for options (spot allows 300 connections per 5 minutes per IP).
    connectsPerSecond: 5,
    ping: (id) => JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id }),
    pingEveryMs: Math.max(100, Math.min(20_000, c.silenceMs / 3)),
    silenceMs: c.silenceMs,
    ackPerChannel: false,
  };
}

/** Binance session: listings from REST exchangeInfo plus the new-symbol stream; partial depth per option; mark prices per underlying. */
export function startBinanceSession(config: BinanceConfig, deps: VenueSessionDeps): VenueSession {
  const ctx: RegistryContext = { instruments: new Map() };
  const pipeline = new FramePipeline<RegistryContext, StreamControl>({ venue: VENUE, map: mapBinanceMessage, ctx, dropOlderSnapshots: true });
  const f = config.format;
  const markStreams = new Map(config.underlyings.map((u) => [binanceStreams.markPrice(u, f), baseOfUnderlying(u)]));
  const indexStreams = new Map(f === '2023' ? config.underlyings.map((u) => [binanceStreams.index(u), baseOfUnderlying(u)]) : []);
  const bases = config.underlyings.map((u) => baseOfUnderlying(u) ?? u);
  const depth = (instrument: string) => binanceStreams.depth(venueSymbol(instrument), f);
  return new ChannelSession({
    venue: VENUE,
    protocol: binanceProtocol(config),
    pipeline,
    staleAfterMs: config.staleAfterMs,
    reconnectMinMs: config.reconnectMinMs,
    reconnectMaxMs: config.reconnectMaxMs,
    requestTimeoutMs: config.requestTimeoutMs,
    plan: {
      staticChannels: [...markStreams.keys(), ...indexStreams.keys(), binanceStreams.newSymbols(f)],
      instrumentChannels: (def) => {
        if (f === '2025') return [depth(def.instrument)];
        // 2023: quotes and IVs come per expiry (one stream shared by that expiry's options).
        const p = parseBinanceSymbol(venueSymbol(def.instrument));
        return p ? [depth(def.instrument), binanceStreams.tickerByExpiry(p.base, p.expiry)] : [depth(def.instrument)];
      },
      bookChannel: depth,
      // 2025 fstream routes depth to /public and mark prices and listings to /market.
      routeOf: (ch) => (f === '2025' && !ch.includes('@depth') ? 'market' : 'public'),
      staleInfo: (ch) => {
        const u = markStreams.get(ch) ?? indexStreams.get(ch);
        return markStreams.has(ch) || indexStreams.has(ch) ? { underlying: u } : undefined;
      },
      wanted: (def) => def.kind === 'option' && bases.includes(def.underlying),
      underlyings: bases,
      fetchListings: async () => [await fetchText(joinUrl(config.restUrl, '/eapi/v1/exchangeInfo'), config.requestTimeoutMs)],
      refreshMs: config.instrumentsRefreshMs,
    },
  }, deps);
}
