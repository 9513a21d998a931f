import type { ModelDriver, ModelOption } from './model.ts';
import { decText } from './model.ts';
import { diffLevels, linearLevels, toNumbers, type StrBook } from './books.ts';
import type { Client, EmulatedProtocol, EmulatorIO, Outgoing } from './server.ts';

/** Bybit BTC/ETH option tick (USDC) used by the emulator. */
const TICK = 5;
const DEPTH = 25;

type Book = StrBook & { u: number };

/**
 * Bybit v5 option websocket (EXCHANGES.md §3) over the simulator's market: `orderbook.25.{symbol}`
 * snapshot then deltas with consecutive `u`, `tickers.{symbol}` (IV fractions, underlyingPrice),
 * `{"op":"ping"}` answered with ret_msg "pong", one answer per subscribe request. REST
 * `/v5/market/instruments-info?category=option`. Prices in USDC = coin price × forward on a
 * 5-USDC tick; one contract = one coin.
 */
export function bybitProtocol(model: ModelDriver): EmulatedProtocol {
  const books = new Map<string, Book>();
  const symbolOf = (o: ModelOption) => o.name; // Bybit writes dates like Deribit: BTC-27NOV26-95000-C
  const venueBook = (o: ModelOption): StrBook => {
    const m = model.book(o.name);
    const f = model.forward(o.name);
    return { bids: linearLevels(m.bids, f, TICK, true, 2, 0).slice(0, DEPTH), asks: linearLevels(m.asks, f, TICK, false, 2, 0).slice(0, DEPTH) };
  };
  const bookOf = (o: ModelOption): Book => {
    let b = books.get(o.name);
    if (!b) books.set(o.name, (b = { ...venueBook(o), u: 100 + o.index }));
    return b;
  };
  const topic = (o: ModelOption) => `orderbook.${DEPTH}.${symbolOf(o)}`;
  const frame = (o: ModelOption, type: 'snapshot' | 'delta', b: StrBook, u: number, ts: number) =>
    JSON.stringify({ topic: topic(o), type, ts, data: { s: symbolOf(o), b: b.bids, a: b.asks, u, seq: u * 7 }, cts: ts - 2 });
  const ticker = (o: ModelOption, now: number): Outgoing => {
    const b = bookOf(o);
    const f = model.forward(o.name);
    const mid = model.mid(o.name);
    const vol = model.vol(o.name);
    return {
      channel: `tickers.${symbolOf(o)}`,
      frame: JSON.stringify({
        topic: `tickers.${symbolOf(o)}`, type: 'snapshot', ts: now, data: {
          symbol: symbolOf(o), bidPrice: b.bids[0]?.[0] ?? '0', bidSize: b.bids[0]?.[1] ?? '0', bidIv: '0', askPrice: b.asks[0]?.[0] ?? '0', askSize: b.asks[0]?.[1] ?? '0', askIv: '0',
          markPrice: mid !== undefined ? decText(mid * f, 2) : '0', markPriceIv: vol !== undefined ? decText(vol, 4) : '0', indexPrice: decText(model.spot(o.underlying), 2),
          underlyingPrice: decText(f, 2), openInterest: '0', delta: '0', gamma: '0', vega: '0', theta: '0',
        },
      }),
    };
  };
  const instrument = (o: ModelOption) => ({
    symbol: symbolOf(o), optionsType: o.isCall ? 'Call' : 'Put', status: 'Trading', baseCoin: o.underlying, quoteCoin: 'USD', settleCoin: 'USDC',
    launchTime: String(o.expiryTs - 30 * 86_400_000), deliveryTime: String(o.expiryTs), deliveryFeeRate: '0.00015',
    priceFilter: { minPrice: '5', maxPrice: '10000000', tickSize: String(TICK) }, lotSizeFilter: { maxOrderQty: '10000', minOrderQty: '0.01', qtyStep: '0.01' },
  });
  const bySymbol = () => new Map(model.options.map((o) => [symbolOf(o), o]));

  return {
    venue: 'bybit',
    instrumentOf: (name) => symbolOf(model.option(name)!),

    onMessage(c: Client, text: string, io: EmulatorIO) {
      let req: { req_id?: string; op?: string; args?: string[] };
      try {
        req = JSON.parse(text) as typeof req;
      } catch {
        return io.reply(c, { success: false, ret_msg: 'error:request not json', conn_id: `c${c.id}`, op: '' });
      }
      const base = { conn_id: `c${c.id}`, ...(req.req_id !== undefined ? { req_id: req.req_id } : {}), op: req.op ?? '' };
      if (req.op === 'ping') return io.reply(c, { success: true, ret_msg: 'pong', ...base });
      if (req.op !== 'subscribe' && req.op !== 'unsubscribe') return io.reply(c, { success: false, ret_msg: `error:unknown op ${req.op}`, ...base });
      const args = req.args ?? [];
      if (req.op === 'subscribe') {
        const failure = io.takeSubscribeFailure();
        if (failure === 'rateLimit') return io.reply(c, { success: false, ret_msg: 'Too many requests', ...base });
        if (failure === 'error') return io.reply(c, { success: false, ret_msg: 'error:handler not found', ...base });
      }
      const symbols = bySymbol();
      const resolve = (t: string) => {
        const m = /^(orderbook\.\d+|tickers)\.(.+)$/.exec(t);
        const o = m ? symbols.get(m[2]!) : undefined;
        return o && model.listed.has(o.name) ? o : undefined;
      };
      const bad = args.filter((t) => !resolve(t));
      if (bad.length) return io.reply(c, { success: false, ret_msg: `Invalid symbol :[${bad.join(',')}]`, ...base });
      if (req.op === 'unsubscribe') {
        for (const t of args) c.channels.delete(t);
        return io.reply(c, { success: true, ret_msg: '', ...base });
      }
      for (const t of args) c.channels.add(t);
      io.reply(c, { success: true, ret_msg: '', ...base });
      const now = io.now();
      for (const t of args) {
        const o = resolve(t)!;
        if (t.startsWith('orderbook.')) {
          const b = bookOf(o);
          io.push(c, [{ channel: t, frame: frame(o, 'snapshot', b, b.u, now), book: symbolOf(o) }]);
        } else {
          io.push(c, [ticker(o, now)]);
        }
      }
    },

    onStep(step) {
      const out: Outgoing[] = [];
      for (const name of step.books.keys()) {
        const o = model.option(name)!;
        const b = bookOf(o);
        const next = venueBook(o);
        const delta = { bids: diffLevels(b.bids, next.bids), asks: diffLevels(b.asks, next.asks) };
        if (!delta.bids.length && !delta.asks.length) continue;
        b.u += 1; // consecutive update ids (Bybit docs)
        b.bids = next.bids;
        b.asks = next.asks;
        out.push({ channel: topic(o), frame: frame(o, 'delta', delta, b.u, step.now), book: symbolOf(o) });
      }
      return out;
    },

    onTick(now) {
      return model.listedOptions().map((o) => ticker(o, now));
    },

    http(path, query) {
      if (path !== '/v5/market/instruments-info' || query.get('category') !== 'option') return undefined;
      const coin = query.get('baseCoin');
      const list = model.listedOptions().filter((o) => coin === null || o.underlying === coin).map(instrument);
      return JSON.stringify({ retCode: 0, retMsg: 'OK', result: { category: 'option', nextPageCursor: '', list }, retExtInfo: {}, time: Date.now() });
    },

    trueBook(instrument) {
      const o = bySymbol().get(instrument);
      return o ? toNumbers(bookOf(o)) : undefined;
    },

    onListing(name, listed) {
      if (listed) books.delete(name);
      return []; // Bybit announces listings through REST only
    },
  };
}
