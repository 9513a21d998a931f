import type { ModelDriver, ModelOption } from './model.ts';
import { decText, yymmdd } from './model.ts';
import { linearLevels, toNumbers, type StrBook } from './books.ts';
import type { Client, EmulatedProtocol, EmulatorIO, Outgoing } from './server.ts';

const TICK = 5;
/** The partial-depth stream the connector subscribes (2025: `@depth20@100ms`). */
export const BINANCE_DEPTH = 20;

type Book = StrBook & { u: number };

/**
 * Binance European options, 2025 stream format (EXCHANGES.md §4) over the simulator's market:
 * combined streams `/public/stream` and `/market/stream`, live SUBSCRIBE/UNSUBSCRIBE/
 * LIST_SUBSCRIPTIONS with integer ids, `<symbol>@depth20@100ms` (a full top-20 book each push,
 * `depthUpdate` with U/u/pu), `<underlying>@optionMarkPrice` (index, best prices, IVs, -1 = none),
 * `!optionSymbol` new listings (OPTION_PAIR payload), REST `/eapi/v1/exchangeInfo`. Prices in
 * USDT per contract (coin price × forward on a 5-USDT tick), unit 1. Too many requests closes
 * the connection, as Binance does.
 */
export function binanceProtocol(model: ModelDriver): EmulatedProtocol {
  const books = new Map<string, Book>();
  const symbolOf = (o: ModelOption) => `${o.underlying}-${yymmdd(o.expiryTs)}-${o.strike}-${o.isCall ? 'C' : 'P'}`;
  const depthStream = (o: ModelOption) => `${symbolOf(o).toLowerCase()}@depth${BINANCE_DEPTH}@100ms`;
  const venueBook = (o: ModelOption): StrBook => {
    const m = model.book(o.name);
    const f = model.forward(o.name);
    return { bids: linearLevels(m.bids, f, TICK, true, 2, 1), asks: linearLevels(m.asks, f, TICK, false, 2, 1) };
  };
  const bookOf = (o: ModelOption): Book => {
    let b = books.get(o.name);
    if (!b) books.set(o.name, (b = { ...venueBook(o), u: 10_000 + o.index * 100 }));
    return b;
  };
  const depth = (o: ModelOption, now: number, pu: number): Outgoing => {
    const b = bookOf(o);
    return {
      channel: depthStream(o), book: symbolOf(o),
      frame: JSON.stringify({ stream: depthStream(o), data: { e: 'depthUpdate', E: now, T: now - 1, s: symbolOf(o), U: pu + 1, u: b.u, pu, b: b.bids.slice(0, BINANCE_DEPTH), a: b.asks.slice(0, BINANCE_DEPTH) } }),
    };
  };
  const markStream = (u: string) => `${u.toLowerCase()}usdt@optionMarkPrice`;
  const markPrice = (u: string, now: number): Outgoing => ({
    channel: markStream(u),
    frame: JSON.stringify({ stream: markStream(u), data: model.listedOptions().filter((o) => o.underlying === u).map((o) => {
      const b = bookOf(o);
      const mid = model.mid(o.name);
      const vol = model.vol(o.name);
      return {
        s: symbolOf(o), mp: mid !== undefined ? decText(mid * model.forward(o.name), 1) : '0', E: now, e: 'markPrice', i: decText(model.spot(o.underlying), 8), P: '0.0000',
        bo: b.bids[0]?.[0] ?? '0.0000', ao: b.asks[0]?.[0] ?? '0.0000', bq: b.bids[0]?.[1] ?? '0.00', aq: b.asks[0]?.[1] ?? '0.00', b: '-1.0', a: '-1.0',
        hl: '0', ll: '0', vo: vol !== undefined ? decText(vol, 6) : '-1.0', rf: '0.0', d: '0', t: '0', g: '0', v: '0',
      };
    }) }),
  });
  const pair = (o: ModelOption, now: number) => ({ e: 'OPTION_PAIR', E: now, u: `${o.underlying}USDT`, qa: 'USDT', s: symbolOf(o), unit: 1, mq: '0.01', d: o.isCall ? 'CALL' : 'PUT', sp: String(o.strike), ed: o.expiryTs });
  const underlyings = () => [...new Set(model.options.map((o) => o.underlying))];
  const byStream = () => new Map(model.options.map((o) => [depthStream(o), o]));
  const bySymbol = () => new Map(model.options.map((o) => [symbolOf(o), o]));

  return {
    venue: 'binance',
    instrumentOf: (name) => symbolOf(model.option(name)!),

    onMessage(c: Client, text: string, io: EmulatorIO) {
      // Binance allows 10 incoming messages per second per connection; more disconnects.
      const t = io.now();
      const times = ((c.state.times as number[] | undefined) ?? []).filter((x) => t - x < 1_000);
      times.push(t);
      c.state.times = times;
      if (times.length > 10) return io.closeClient(c, 1008, 'Too many requests');
      let req: { method?: string; params?: string[]; id?: number };
      try {
        req = JSON.parse(text) as typeof req;
      } catch {
        return io.reply(c, { error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null });
      }
      const id = req.id ?? null;
      if (req.method === 'LIST_SUBSCRIPTIONS') return io.reply(c, { result: [...c.channels], id });
      if (req.method !== 'SUBSCRIBE' && req.method !== 'UNSUBSCRIBE') return io.reply(c, { error: { code: 2, msg: `Invalid request: unknown variant ${req.method}` }, id });
      if (req.method === 'SUBSCRIBE') {
        const failure = io.takeSubscribeFailure();
        if (failure === 'rateLimit') return io.closeClient(c, 1008, 'Too many requests');
        if (failure === 'error') return io.reply(c, { error: { code: 2, msg: 'Invalid request: injected failure' }, id });
      }
      const streams = byStream();
      const known = (s: string) => (streams.has(s) && model.listed.has(streams.get(s)!.name)) || underlyings().some((u) => s === markStream(u)) || s === '!optionSymbol';
      const params = req.params ?? [];
      if (params.some((s) => !known(s))) return io.reply(c, { error: { code: 2, msg: `Invalid request: unknown stream ${params.find((s) => !known(s))}` }, id });
      if (req.method === 'UNSUBSCRIBE') {
        for (const s of params) c.channels.delete(s);
        return io.reply(c, { result: null, id });
      }
      for (const s of params) c.channels.add(s);
      io.reply(c, { result: null, id });
      for (const s of params) {
        const o = streams.get(s);
        if (o) {
          const b = bookOf(o);
          io.push(c, [depth(o, t, b.u)]);
        }
      }
    },

    onStep(step) {
      const out: Outgoing[] = [];
      for (const name of step.books.keys()) {
        const o = model.option(name)!;
        const b = bookOf(o);
        const next = venueBook(o);
        if (JSON.stringify(next.bids.slice(0, BINANCE_DEPTH)) === JSON.stringify(b.bids.slice(0, BINANCE_DEPTH)) && JSON.stringify(next.asks.slice(0, BINANCE_DEPTH)) === JSON.stringify(b.asks.slice(0, BINANCE_DEPTH))) continue;
        const pu = b.u;
        b.u += 3; // the partial book samples a diff stream: u jumps by the diffs in between
        b.bids = next.bids;
        b.asks = next.asks;
        out.push(depth(o, step.now, pu));
      }
      return out;
    },

    /** Partial depth is pushed at its update speed whether or not the book changed (same u: same book). */
    onTick(now) {
      return [...underlyings().map((u) => markPrice(u, now)), ...model.listedOptions().map((o) => depth(o, now, bookOf(o).u - 3))];
    },

    http(path) {
      if (path !== '/eapi/v1/exchangeInfo') return undefined;
      return JSON.stringify({
        timezone: 'UTC', serverTime: Date.now(), optionContracts: [], optionAssets: [], rateLimits: [],
        optionSymbols: model.listedOptions().map((o) => ({
          expiryDate: o.expiryTs, filters: [{ filterType: 'PRICE_FILTER', minPrice: '5', maxPrice: '1000000', tickSize: String(TICK) }, { filterType: 'LOT_SIZE', minQty: '0.01', maxQty: '1000', stepSize: '0.01' }],
          symbol: symbolOf(o), side: o.isCall ? 'CALL' : 'PUT', strikePrice: `${o.strike}.00000000`, underlying: `${o.underlying}USDT`, unit: 1,
          makerFeeRate: '0.00020000', takerFeeRate: '0.00020000', minQty: '0.01', maxQty: '1000', initialMargin: '0.15', maintenanceMargin: '0.07',
          minInitialMargin: '0.10', minMaintenanceMargin: '0.05', priceScale: 1, quantityScale: 2, quoteAsset: 'USDT', status: 'TRADING',
        })),
      });
    },

    trueBook(instrument) {
      const o = bySymbol().get(instrument);
      return o ? toNumbers(bookOf(o), BINANCE_DEPTH) : undefined;
    },

    onListing(name, listed, now) {
      const o = model.option(name)!;
      if (!listed) return []; // delistings show in exchangeInfo only
      books.delete(name);
      return [{ channel: '!optionSymbol', frame: JSON.stringify({ stream: '!optionSymbol', data: pair(o, now) }) }];
    },
  };
}
