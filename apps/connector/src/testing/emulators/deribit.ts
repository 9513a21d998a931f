import type { Level } from '@volstream/events';
import type { ModelDriver, ModelOption } from './model.ts';
import type { Client, EmulatedProtocol, EmulatorIO, Outgoing } from './server.ts';

const round = (x: number, dp: number) => Math.round(x * 10 ** dp) / 10 ** dp;

/**
 * Deribit API v2 JSON-RPC (EXCHANGES.md §1) over the simulator's market: the model's own book
 * frames (`book.{name}.100ms`, change_id/prev_change_id from one global counter, a `snapshot`
 * on every subscribe), tickers (IVs in percent, underlying_price = the expiry's forward) and the
 * price index, `instrument.state.{kind}.{currency}` for listings, heartbeats with test_request
 * once `public/set_heartbeat` is called, and Deribit's errors (-32602 invalid channels,
 * 10028 too_many_requests, 11094 internal_server_error).
 */
export function deribitProtocol(model: ModelDriver): EmulatedProtocol {
  const envelope = (id: unknown, body: object) => {
    const usIn = Date.now() * 1000;
    return { jsonrpc: '2.0', id, ...body, usIn, usOut: usIn + 120, usDiff: 120, testnet: false };
  };
  const notification = (channel: string, data: unknown) => JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });
  const bookChannel = (name: string) => `book.${name}.100ms`;
  const tickerChannel = (name: string) => `ticker.${name}.100ms`;
  const indexChannel = (u: string) => `deribit_price_index.${u.toLowerCase()}_usd`;
  const snapshot = (name: string, now: number): Outgoing => {
    const b = model.book(name);
    const side = (ls: readonly (readonly [number, number])[]) => ls.map(([p, a]) => ['new', p, a]);
    return { channel: bookChannel(name), book: name, frame: notification(bookChannel(name), { type: 'snapshot', timestamp: now, instrument_name: name, change_id: b.changeId, bids: side(b.bids), asks: side(b.asks) }) };
  };
  const ticker = (o: ModelOption, now: number): Outgoing => {
    const b = model.book(o.name);
    const vol = model.vol(o.name);
    const mid = model.mid(o.name);
    return {
      channel: tickerChannel(o.name),
      frame: notification(tickerChannel(o.name), {
        instrument_name: o.name, timestamp: now, state: 'open', best_bid_price: b.bids[0]?.[0] ?? 0, best_bid_amount: b.bids[0]?.[1] ?? 0,
        best_ask_price: b.asks[0]?.[0] ?? 0, best_ask_amount: b.asks[0]?.[1] ?? 0, mark_price: mid !== undefined ? round(mid, 8) : 0,
        mark_iv: vol !== undefined ? round(vol * 100, 2) : 0, bid_iv: 0, ask_iv: 0, underlying_price: round(model.forward(o.name), 2),
        underlying_index: `SYN.${o.name.split('-').slice(0, 2).join('-')}`, index_price: round(model.spot(o.underlying), 2), interest_rate: 0,
      }),
    };
  };
  const listing = (o: ModelOption) => ({
    price_index: `${o.underlying.toLowerCase()}_usd`, rfq: false, kind: 'option', instrument_name: o.name, maker_commission: 0.0003, taker_commission: 0.0003,
    instrument_type: 'reversed', expiration_timestamp: o.expiryTs, creation_timestamp: o.expiryTs - 30 * 86_400_000, is_active: true,
    option_type: o.isCall ? 'call' : 'put', contract_size: 1, tick_size: 0.0001, strike: o.strike, instrument_id: 100_000 + o.index, settlement_period: 'week',
    min_trade_amount: 0.1, settlement_currency: o.underlying, base_currency: o.underlying, counter_currency: 'USD', quote_currency: o.underlying,
    tick_size_steps: [{ tick_size: 0.0005, above_price: 0.005 }],
  });
  const underlyings = () => [...new Set(model.options.map((o) => o.underlying))];
  const knownChannel = (ch: string) => {
    const m = /^(book|ticker)\.(.+)\.100ms$/.exec(ch);
    if (m) return model.listed.has(m[2]!);
    if (/^instrument\.state\.(option|future|any)\.(BTC|ETH|USDC|any)$/.test(ch)) return true;
    return underlyings().some((u) => ch === indexChannel(u));
  };

  return {
    venue: 'deribit',
    instrumentOf: (name) => name,

    onMessage(c: Client, text: string, io: EmulatorIO) {
      let req: { id?: number; method?: string; params?: Record<string, unknown> };
      try {
        req = JSON.parse(text) as typeof req;
      } catch {
        return io.reply(c, envelope(null, { error: { code: -32700, message: 'parse_error' } }));
      }
      const p = req.params ?? {};
      const answer = (body: object) => io.reply(c, envelope(req.id, body));
      const now = io.now();
      switch (req.method) {
        case 'public/set_heartbeat':
          c.state.heartbeatS = Number(p.interval);
          c.state.nextHeartbeat = now + Number(p.interval) * 1000;
          return answer({ result: 'ok' });
        case 'public/test':
          return answer({ result: { version: '1.2.26' } });
        case 'public/get_instruments':
          return answer({ result: p.kind === 'option' ? model.listedOptions().filter((o) => o.underlying === p.currency).map(listing) : [] });
        case 'public/get_instrument': {
          const o = model.option(String(p.instrument_name));
          return o ? answer({ result: listing(o) }) : answer({ error: { code: 10020, message: 'instrument_not_found' } });
        }
        case 'public/unsubscribe': {
          const chans = (p.channels ?? []) as string[];
          for (const ch of chans) c.channels.delete(ch);
          return answer({ result: chans });
        }
        case 'public/subscribe': {
          const failure = io.takeSubscribeFailure();
          if (failure === 'rateLimit') return answer({ error: { code: 10028, message: 'too_many_requests' } });
          if (failure === 'error') return answer({ error: { code: 11094, message: 'internal_server_error' } });
          const chans = (p.channels ?? []) as string[];
          const invalid = chans.filter((ch) => !knownChannel(ch));
          if (invalid.length) return answer({ error: { code: -32602, message: 'Invalid params', data: { param: 'channels', reason: 'invalid channel', channels: invalid } } });
          for (const ch of chans) c.channels.add(ch);
          answer({ result: chans });
          for (const ch of chans) {
            const m = /^(book|ticker)\.(.+)\.100ms$/.exec(ch);
            if (m?.[1] === 'book') io.push(c, [snapshot(m[2]!, now)]);
            else if (m?.[1] === 'ticker') io.push(c, [ticker(model.option(m[2]!)!, now)]);
          }
          return;
        }
        default:
          return answer({ error: { code: -32601, message: 'Method not found' } });
      }
    },

    onStep(step) {
      return [...step.books].map(([name, data]) => ({ channel: bookChannel(name), book: name, frame: notification(bookChannel(name), data) }));
    },

    onTick(now) {
      const out: Outgoing[] = [];
      for (const o of model.listedOptions()) out.push(ticker(o, now));
      for (const u of underlyings()) out.push({ channel: indexChannel(u), frame: notification(indexChannel(u), { index_name: `${u.toLowerCase()}_usd`, price: round(model.spot(u), 2), timestamp: now }) });
      return out;
    },

    /** After public/set_heartbeat: a heartbeat and a test_request every interval (docs public-set_heartbeat). */
    onClientTick(c, now, io) {
      const every = c.state.heartbeatS;
      if (typeof every !== 'number' || now < (c.state.nextHeartbeat as number)) return;
      c.state.nextHeartbeat = now + every * 1000;
      io.reply(c, { jsonrpc: '2.0', method: 'heartbeat', params: { type: 'heartbeat' } });
      io.reply(c, { jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } });
    },

    http() {
      return undefined;
    },

    trueBook(instrument) {
      const b = model.book(instrument);
      return { bids: b.bids.map(([p, a]) => [p, a] as Level), asks: b.asks.map(([p, a]) => [p, a] as Level) };
    },

    onListing(name, listed, now) {
      const o = model.option(name)!;
      const data = { instrument_name: name, state: listed ? 'created' : 'terminated', timestamp: now };
      return ['option', 'any'].map((k) => ({ channel: `instrument.state.${k}.${o.underlying}`, frame: notification(`instrument.state.${k}.${o.underlying}`, data) }));
    },
  };
}
