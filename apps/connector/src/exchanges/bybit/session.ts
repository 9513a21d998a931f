import type { VenueSession, VenueSessionDeps } from '../../venue.ts';
import { ChannelSession, type ChannelProtocol } from '../../session/channel-session.ts';
import { FramePipeline, type RegistryContext } from '../../session/pipeline.ts';
import { fetchText, joinUrl } from '../../session/rest.ts';
import type { StreamControl } from '../../session/stream-control.ts';
import { venueSymbol } from '../common/expiry.ts';
import { VENUE, mapBybitMessage } from './mapper.ts';
import { bybitBookTopic, bybitTickerTopic } from './names.ts';

export type BybitConfig = {
  url: string;
  /** REST base (`https://api.bybit.com`) for `/v5/market/instruments-info` (no websocket listing). */
  restUrl: string;
  baseCoins: string[];
  bookDepth: 25 | 100;
  pingMs: number;
  staleAfterMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  requestTimeoutMs: number;
  instrumentsRefreshMs: number;
};

/**
 * Bybit v5 option protocol (EXCHANGES.md §3): `{"req_id","op":"subscribe","args":[topics]}`,
 * one answer per request; `{"op":"ping"}` keep-alive. Topics per request: 10 (what tardis-node
 * uses; the official cap is UNVERIFIED). Rates: UNVERIFIED, kept modest.
 */
export function bybitProtocol(c: Pick<BybitConfig, 'url' | 'pingMs'>): ChannelProtocol {
  return {
    urls: { public: c.url },
    request: (op, channels, id) => JSON.stringify({ req_id: String(id), op, args: channels }),
    maxPerRequest: 10,
    maxPerConnection: 400,
    budget: { burst: 20, perSecond: 10 },
    connectsPerSecond: 5,
    ping: (id) => JSON.stringify({ req_id: String(id), op: 'ping' }),
    pingEveryMs: c.pingMs,
    // Two pings unanswered (plus some slack) and the link is dead.
    silenceMs: 2 * c.pingMs + Math.min(5_000, c.pingMs),
    ackPerChannel: false,
  };
}

/** Bybit session: listings from REST (paged), `orderbook.{depth}` and `tickers` per option. */
export function startBybitSession(config: BybitConfig, deps: VenueSessionDeps): VenueSession {
  const ctx: RegistryContext = { instruments: new Map() };
  const pipeline = new FramePipeline<RegistryContext, StreamControl>({ venue: VENUE, map: mapBybitMessage, ctx });
  return new ChannelSession({
    venue: VENUE,
    protocol: bybitProtocol(config),
    pipeline,
    staleAfterMs: config.staleAfterMs,
    reconnectMinMs: config.reconnectMinMs,
    reconnectMaxMs: config.reconnectMaxMs,
    requestTimeoutMs: config.requestTimeoutMs,
    plan: {
      staticChannels: [],
      instrumentChannels: (def) => [bybitBookTopic(venueSymbol(def.instrument), config.bookDepth), bybitTickerTopic(venueSymbol(def.instrument))],
      bookChannel: (instrument) => bybitBookTopic(venueSymbol(instrument), config.bookDepth),
      routeOf: () => 'public',
      staleInfo: (ch) => {
        if (!ch.startsWith('tickers.')) return undefined;
        const instrument = ch.slice('tickers.'.length);
        const info = ctx.instruments.get(instrument);
        return { underlying: info?.underlying, instrument, expiryTs: info?.expiryTs };
      },
      wanted: (def) => def.kind === 'option' && config.baseCoins.includes(def.underlying),
      underlyings: config.baseCoins,
      fetchListings: () => fetchPaged(config),
      refreshMs: config.instrumentsRefreshMs,
    },
  }, deps);
}

/** Every page of `instruments-info` per base coin (`nextPageCursor`). */
async function fetchPaged(config: BybitConfig): Promise<string[]> {
  const bodies: string[] = [];
  for (const coin of config.baseCoins) {
    let cursor = '';
    for (let page = 0; page < 50; page++) {
      const q = `category=option&baseCoin=${encodeURIComponent(coin)}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = await fetchText(joinUrl(config.restUrl, `/v5/market/instruments-info?${q}`), config.requestTimeoutMs);
      bodies.push(body);
      cursor = nextCursor(body);
      if (!cursor) break;
    }
  }
  return bodies;
}

function nextCursor(body: string): string {
  try {
    const c = (JSON.parse(body) as { result?: { nextPageCursor?: unknown } }).result?.nextPageCursor;
    return typeof c === 'string' ? c : '';
  } catch {
    return '';
  }
}
