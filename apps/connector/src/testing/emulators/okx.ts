import { okxChecksum } from '../../exchanges/okx/checksum.ts';
import { okxChannelKey } from '../../exchanges/okx/names.ts';
import type { ModelDriver, ModelOption } from './model.ts';
import { decText, yymmdd } from './model.ts';
import { diffLevels, toNumbers, type StrBook, type StrLevels } from './books.ts';
import type { Client, EmulatedProtocol, EmulatorIO, Outgoing } from './server.ts';

/** `ctVal × ctMult` per family (coin per contract). The real option values are UNVERIFIED; any positive value exercises the mapping. */
const CT_MULT: Record<string, string> = { BTC: '0.01', ETH: '0.1' };

type Book = StrBook & { seq: number; steps: number };

/**
 * OKX v5 public websocket (EXCHANGES.md §2) over the simulator's market: `books` snapshot then
 * updates with seqId/prevSeqId and the CRC32 checksum of the top 25 levels, `opt-summary`
 * (markVol, fwdPx) and `index-tickers` per family, the `instruments` channel (full list on
 * subscribe, changes later), text ping/pong, per-arg acks and OKX-shaped errors
 * (60012 invalid request, 60014 too frequent, 60018 unknown channel). REST
 * `/api/v5/public/instruments`. Options are inverse (coin prices), sizes in contracts.
 */
export function okxProtocol(model: ModelDriver): EmulatedProtocol {
  const books = new Map<string, Book>();
  const instIdOf = (o: ModelOption) => `${o.underlying}-USD-${yymmdd(o.expiryTs)}-${o.strike}-${o.isCall ? 'C' : 'P'}`;
  const byInstId = () => new Map(model.options.map((o) => [instIdOf(o), o]));
  let instIds = byInstId();
  const family = (o: ModelOption) => `${o.underlying}-USD`;

  const venueBook = (o: ModelOption): StrBook => {
    const m = model.book(o.name);
    const mult = Number(CT_MULT[o.underlying]);
    const side = (ls: readonly (readonly [number, number])[]): StrLevels =>
      ls.map(([p, a]) => [decText(p), String(Math.round(a / mult))] as [string, string]).filter(([, s]) => s !== '0');
    return { bids: side(m.bids), asks: side(m.asks) };
  };
  const bookOf = (o: ModelOption): Book => {
    let b = books.get(o.name);
    if (!b) books.set(o.name, (b = { ...venueBook(o), seq: 1_000 + o.index * 10, steps: 0 }));
    return b;
  };
  const checksum = (b: StrBook) => okxChecksum(b.bids, b.asks);
  const push = (arg: Record<string, string>, data: unknown[], action?: string) => JSON.stringify(action ? { arg, action, data } : { arg, data });
  const bookArg = (o: ModelOption) => ({ channel: 'books', instId: instIdOf(o) });
  const snapshot = (o: ModelOption, now: number): Outgoing => {
    const b = bookOf(o);
    return {
      channel: `books:${instIdOf(o)}`, book: instIdOf(o),
      frame: push(bookArg(o), [{ asks: b.asks.map(lvl), bids: b.bids.map(lvl), ts: String(now), checksum: checksum(b), prevSeqId: -1, seqId: b.seq }], 'snapshot'),
    };
  };
  const instrument = (o: ModelOption, state: string) => ({
    instType: 'OPTION', instId: instIdOf(o), uly: family(o), instFamily: family(o), settleCcy: o.underlying, ctVal: '1', ctMult: CT_MULT[o.underlying],
    ctValCcy: o.underlying, optType: o.isCall ? 'C' : 'P', stk: String(o.strike), listTime: String(o.expiryTs - 30 * 86_400_000), expTime: String(o.expiryTs),
    tickSz: '0.0001', lotSz: '1', minSz: '1', state,
  });
  const summary = (fam: string, now: number) => push({ channel: 'opt-summary', instFamily: fam }, model.listedOptions().filter((o) => family(o) === fam).map((o) => {
    const vol = model.vol(o.name);
    return {
      instType: 'OPTION', instId: instIdOf(o), uly: fam, markVol: vol !== undefined ? decText(vol, 10) : '', bidVol: '', askVol: '', realVol: '',
      fwdPx: decText(model.forward(o.name), 4), ts: String(now),
    };
  }));
  const index = (fam: string, now: number) => push({ channel: 'index-tickers', instId: fam }, [{ instId: fam, idxPx: decText(model.spot(fam.split('-')[0] as 'BTC'), 2), ts: String(now) }]);
  const families = () => [...new Set(model.options.map(family))];

  return {
    venue: 'okx',
    instrumentOf: (name) => instIdOf(model.option(name)!),

    onMessage(c: Client, text: string, io: EmulatorIO) {
      if (text === 'ping') return io.reply(c, 'pong');
      let req: { id?: string; op?: string; args?: { channel: string; instId?: string; instFamily?: string; instType?: string }[] };
      try {
        req = JSON.parse(text) as typeof req;
      } catch {
        return io.reply(c, { event: 'error', code: '60012', msg: `Invalid request: ${text.slice(0, 40)}`, connId: `c${c.id}` });
      }
      const id = req.id !== undefined ? { id: req.id } : {};
      if (req.op !== 'subscribe' && req.op !== 'unsubscribe') return io.reply(c, { ...id, event: 'error', code: '60012', msg: 'Invalid request', connId: `c${c.id}` });
      if (req.op === 'subscribe') {
        const failure = io.takeSubscribeFailure();
        if (failure === 'rateLimit') return io.reply(c, { ...id, event: 'error', code: '60014', msg: 'Requests too frequent.', connId: `c${c.id}` });
        if (failure === 'error') return io.reply(c, { ...id, event: 'error', code: '60012', msg: 'Invalid request: injected failure', connId: `c${c.id}` });
      }
      instIds = byInstId();
      const now = io.now();
      for (const arg of req.args ?? []) {
        const key = okxChannelKey(arg);
        const o = arg.instId !== undefined ? instIds.get(arg.instId) : undefined;
        const known = arg.channel === 'instruments' || ((arg.channel === 'opt-summary' || arg.channel === 'index-tickers') && families().includes(arg.instFamily ?? arg.instId ?? ''))
          || (arg.channel === 'books' && o !== undefined && model.listed.has(o.name));
        if (!known) {
          io.reply(c, { ...id, event: 'error', code: '60018', msg: `Subscribe failed, wrong URL or channel:${arg.channel},instId:${arg.instId ?? ''} doesn't exist.`, connId: `c${c.id}` });
          continue;
        }
        if (req.op === 'unsubscribe') {
          c.channels.delete(key);
          io.reply(c, { ...id, event: 'unsubscribe', arg, connId: `c${c.id}` });
          continue;
        }
        c.channels.add(key);
        io.reply(c, { ...id, event: 'subscribe', arg, connId: `c${c.id}` });
        if (arg.channel === 'books') io.push(c, [snapshot(o!, now)]);
        else if (arg.channel === 'opt-summary') io.push(c, [{ channel: key, frame: summary(arg.instFamily!, now) }]);
        else if (arg.channel === 'index-tickers') io.push(c, [{ channel: key, frame: index(arg.instId!, now) }]);
        else io.push(c, [{ channel: key, frame: push({ channel: 'instruments', instType: 'OPTION' }, model.listedOptions().map((x) => instrument(x, 'live'))) }]);
      }
    },

    onStep(step, io) {
      const out: Outgoing[] = [];
      for (const name of step.books.keys()) {
        const o = model.option(name)!;
        const b = bookOf(o);
        const next = venueBook(o);
        let bids = diffLevels(b.bids, next.bids);
        const asks = diffLevels(b.asks, next.asks);
        if (!bids.length && !asks.length) continue;
        const prev = b.seq;
        // seqIds grow by 1 to 3: only the prevSeqId -> seqId link matters (EXCHANGES.md §2.4).
        b.seq += 1 + (b.steps++ % 3);
        b.bids = next.bids;
        b.asks = next.asks;
        const id = instIdOf(o);
        // The corruption fault changes one size in the message but not the book the checksum covers.
        if (io.takeCorrupt(id)) bids = [...bids, [b.bids[0]?.[0] ?? '0.0001', '777']];
        out.push({
          channel: `books:${id}`, book: id,
          frame: push(bookArg(o), [{ asks: asks.map(lvl), bids: bids.map(lvl), ts: String(step.now), checksum: checksum(b), prevSeqId: prev, seqId: b.seq }], 'update'),
        });
      }
      return out;
    },

    onTick(now) {
      return families().flatMap((f) => [
        { channel: `opt-summary:${f}`, frame: summary(f, now) },
        { channel: `index-tickers:${f}`, frame: index(f, now) },
      ]);
    },

    http(path, query) {
      if (path !== '/api/v5/public/instruments') return undefined;
      const fam = query.get('instFamily');
      return JSON.stringify({ code: '0', msg: '', data: model.listedOptions().filter((o) => fam === null || family(o) === fam).map((o) => instrument(o, 'live')) });
    },

    trueBook(instrument) {
      const o = instIds.get(instrument) ?? byInstId().get(instrument);
      return o ? toNumbers(bookOf(o)) : undefined;
    },

    onListing(name, listed) {
      const o = model.option(name)!;
      instIds = byInstId();
      if (listed) books.delete(name); // a new listing starts from the model's current book
      return [{ channel: 'instruments:OPTION', frame: push({ channel: 'instruments', instType: 'OPTION' }, [instrument(o, listed ? 'live' : 'expired')]) }];
    },
  };
}

/** `[px, sz, "0", numOrders]` as OKX sends levels. */
function lvl([px, sz]: [string, string]): [string, string, string, string] {
  return [px, sz, '0', sz === '0' ? '0' : '1'];
}
