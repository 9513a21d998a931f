import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MdEvent, subjectFor, type OptionTicker } from '@volstream/events';
import { loadFixtures } from '../../fixtures/load.ts';
import { mapDeribitMessage, type DeribitContext, type DeribitMapResult, type InstrumentInfo } from './mapper.ts';

const RECV = 1_700_000_000_123;
const noRegistry: DeribitContext = { instruments: new Map() };
const map = (frame: string | object, ctx: DeribitContext = noRegistry, recvTs = RECV) =>
  mapDeribitMessage(typeof frame === 'string' ? frame : JSON.stringify(frame), recvTs, ctx);

const real = loadFixtures('deribit-frames.jsonl');
const control = loadFixtures('deribit-control-frames.jsonl');
const chain = loadFixtures('deribit-order-book-chain.jsonl');
const all = [...real, ...control, ...chain];

/** tardis-node's assertions, here: every output is a valid event, finite, with sane times. */
function assertSane(r: DeribitMapResult, recvTs = RECV): void {
  for (const ev of r.events) {
    const parsed = MdEvent.safeParse(ev);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(ev.recvTs).toBe(recvTs);
    expect(Number.isInteger(ev.ts) && ev.ts > 1e12 && ev.ts < 4.2e12).toBe(true);
    JSON.stringify(ev, (_k, v) => {
      if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
      return v;
    });
    expect(() => subjectFor('md', ev)).not.toThrow();
  }
}

const frameOf = (source: RegExp) => {
  const f = all.find((x) => source.test(x.source));
  if (!f) throw new Error(`no fixture ${source}`);
  return f.text;
};
const notification = (channel: string, data: unknown) => ({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });

describe('mapDeribitMessage on real captured frames', () => {
  it.each(all.map((f) => [f.source, f.text] as const))('%s', (_source, text) => {
    const r = map(text);
    expect(r.rejected).toBeUndefined();
    assertSane(r);
    expect(r).toMatchSnapshot();
  });

  it('maps an option ticker: IV percent -> fraction, expiry at 08:00 UTC, forward = underlying_price', () => {
    const r = map(frameOf(/ws_tardis.*line 8 /));
    expect(r.events).toEqual([{
      type: 'md.ticker', v: 1, id: 'deribit:ticker:BTC-5JUN20-9250-C:1590969652595', venue: 'deribit', ts: 1590969652595, recvTs: RECV,
      instrument: 'BTC-5JUN20-9250-C', underlying: 'BTC', expiryTs: Date.parse('2020-06-05T08:00:00Z'),
      underlyingPrice: 9440.73, underlyingIndex: 'SYN.BTC-5JUN20', indexPrice: 9434.36, markPrice: 0.03847784,
      bestBid: 0.0365, bestAsk: 0.04, markIv: 0.6321, bidIv: 0.5839, askIv: 0.669,
    } satisfies OptionTicker]);
  });

  it('drops no-quote values: best price 0 and IV 0 become absent, IV noise is rounded away', () => {
    const [ev] = map(frameOf(/ws_tardis.*line 10 /)).events as OptionTicker[];
    expect(ev).toMatchObject({ instrument: 'ETH-10JUN20-270-C', markIv: 0.7296, markPrice: 0.000632 });
    expect(ev).not.toHaveProperty('bestBid');
    expect(ev).not.toHaveProperty('bestAsk');
    expect(ev).not.toHaveProperty('bidIv');
    expect(ev).not.toHaveProperty('askIv');
  });

  it('treats ask_iv 500 (dead quote) as no IV (real chain row)', () => {
    const row = chain.find((f) => (f.frame as { result: { ask_iv: number } }).result.ask_iv === 500)!;
    const ticker = map(row.text).events.find((e) => e.type === 'md.ticker') as OptionTicker;
    expect(ticker.askIv).toBeUndefined();
    expect(ticker.bestAsk).toBeGreaterThan(0);
  });

  it('maps the 2019 snapshot without type and the change after it (delete -> amount 0)', () => {
    const snap = map(frameOf(/ws_tardis.*line 3 /)).events[0]!;
    expect(snap).toMatchObject({ type: 'md.book.snapshot', seq: 1776289261, bids: [[217.8, 1895], [217.75, 712]] });
    expect(snap).not.toHaveProperty('expiryTs');
    const delta = map(frameOf(/ws_tardis.*line 4 /)).events[0]!;
    expect(delta).toMatchObject({ type: 'md.book.delta', seq: 1776294623, prevSeq: 1776294621, bids: [[217.8, 0]], asks: [[219.2, 64903], [219.1, 19343]] });
  });

  it('treats type "change" with prev_change_id 0 as a snapshot, and a snapshot carrying prev_change_id as a snapshot', () => {
    expect(map(frameOf(/ws_tardis.*line 13 /)).events[0]!.type).toBe('md.book.snapshot');
    expect(map(frameOf(/ws_tardis.*line 14 /)).events[0]!.type).toBe('md.book.snapshot');
  });

  it('maps get_instruments: inverse options with terms, perpetuals without expiry', () => {
    const r = map(frameOf(/ws_misc.*line 4 /));
    expect(r.events[0]).toEqual({
      type: 'md.instrument', v: 1, id: 'deribit:instrument:ETH-6JUL25-1500-C:1751758217175', venue: 'deribit', ts: 1751758217175, recvTs: RECV,
      instrument: 'ETH-6JUL25-1500-C', underlying: 'ETH', kind: 'option', expiryTs: 1751788800000, strike: 1500, optionType: 'call',
      settlement: 'inverse', contractSize: 1, quoteCurrency: 'ETH', tickSize: 0.0001, active: true,
    });
    const perp = map({ jsonrpc: '2.0', id: 3, result: [{ ...(JSON.parse(frameOf(/ws_misc.*line 4 /)).result[0]), kind: 'future', instrument_name: 'BTC-PERPETUAL', settlement_period: 'perpetual', expiration_timestamp: 32503708800000, strike: undefined, option_type: undefined, base_currency: 'BTC', quote_currency: 'USD', contract_size: 10 }] });
    expect(perp.events[0]).toMatchObject({ kind: 'perpetual', underlying: 'BTC', settlement: 'inverse', contractSize: 10 });
    expect(perp.events[0]).not.toHaveProperty('expiryTs');
    expect(perp.events[0]).not.toHaveProperty('strike');
  });

  it('gives frames that carry no market data no events: heartbeats, test_request, answers, unused channels, combos, closed instruments', () => {
    for (const re of [/heartbeat notification/, /test_request/, /subscribe answer/, /set_heartbeat answer/, /public\/test answer/, /error answer/,
      /ws_tardis.*line 1 /, /ws_tardis.*line 2 /, /ws_tardis.*line 7 /, /ws_tardis.*line 15 /, /ws_tardis.*line 16 /, /ws_tardis.*line 17 /,
      /ws_crypto.*line 1 /, /ws_crypto.*line 4 /, /ws_crypto.*line 7 /, /ws_misc.*line 3 /]) {
      const r = map(frameOf(re));
      expect(r.events, String(re)).toEqual([]);
      expect(r.rejected, String(re)).toBeUndefined();
    }
    expect(map(frameOf(/test_request/)).control).toEqual({ kind: 'test_request' });
    expect(map(frameOf(/heartbeat notification/)).control).toEqual({ kind: 'heartbeat' });
    expect(map(frameOf(/subscribe answer/)).control).toEqual({ kind: 'result', id: 4235, method: 'public/subscribe', channels: ['deribit_price_index.btc_usd'] });
    expect(map(frameOf(/error answer/)).control).toEqual({ kind: 'error', id: 7, code: 11094, message: 'internal_server_error' });
  });

  it('reads an answer by the method of its request id when the context knows it', () => {
    const ctx: DeribitContext = { instruments: new Map(), methodOf: (id) => (id === 5 ? 'public/unsubscribe' : undefined) };
    expect(map({ jsonrpc: '2.0', id: 5, result: ['book.BTC-5JUN20-9250-C.100ms'] }, ctx).control).toMatchObject({ method: 'public/unsubscribe', channels: ['book.BTC-5JUN20-9250-C.100ms'] });
    expect(map({ jsonrpc: '2.0', id: 6, result: [] }, { instruments: new Map(), methodOf: () => 'public/get_instruments' })).toEqual({ events: [], control: { kind: 'result', id: 6, method: 'public/get_instruments' } });
  });

  it('takes underlying and expiry from the instrument registry before the name', () => {
    const instruments = new Map<string, InstrumentInfo>([['BTC-5JUN20-9250-C', { kind: 'option', underlying: 'XBT', expiryTs: 1_591_340_000_000 }]]);
    const [ev] = map(frameOf(/ws_tardis.*line 8 /), { instruments }).events;
    expect(ev).toMatchObject({ underlying: 'XBT', expiryTs: 1_591_340_000_000 });
  });

  it('is deterministic: ids depend on the frame, not on the receive time', () => {
    for (const f of all) {
      const a = map(f.text, noRegistry, RECV).events.map((e) => e.id);
      const b = map(f.text, noRegistry, RECV + 5_000).events.map((e) => e.id);
      // Instrument lists without usOut fall back to recvTs for ts (and so id): none here lack it.
      expect(b).toEqual(a);
    }
  });
});

describe('mapDeribitMessage on bad input', () => {
  const book = JSON.parse(frameOf(/ws_crypto.*line 2 /)) as { params: { channel: string; data: Record<string, unknown> } };
  const withData = (patch: Record<string, unknown>) => JSON.stringify(notification(book.params.channel, { ...book.params.data, ...patch }));
  const cases: [string, string, RegExp][] = [
    ['malformed JSON', '{"jsonrpc":"2.0","method":"subscr', /malformed JSON/],
    ['empty string', '', /malformed JSON/],
    ['not an object', '[1,2,3]', /not a Deribit JSON-RPC frame/],
    ['no jsonrpc version', '{"method":"subscription","params":{}}', /jsonrpc/],
    ['no result, error or method', '{"jsonrpc":"2.0","id":1}', /no result, error or method/],
    ['unknown method', '{"jsonrpc":"2.0","method":"surprise","params":{}}', /unknown notification method/],
    ['unknown channel', JSON.stringify(notification('weather.today', {})), /unknown channel/],
    ['infinite price', withData({ bids: [['new', 1e999, 1]] }).replace('null', '1e999'), /bids/],
    ['string amount', withData({ asks: [['new', 0.006, '64.5']] }), /asks/],
    ['negative amount', withData({ asks: [['new', 0.006, -1]] }), /asks/],
    ['unknown action', withData({ asks: [['modify', 0.006, 1]] }), /asks/],
    ['timestamp in seconds', withData({ timestamp: 1622627851 }), /timestamp/],
    ['fractional change_id', withData({ change_id: 1.5 }), /change_id/],
    ['unrecognised instrument', withData({ instrument_name: 'NOT AN INSTRUMENT' }), /unrecognised instrument name/],
    ['impossible expiry date', withData({ instrument_name: 'BTC-31FEB21-25000-P' }), /unrecognised instrument name/],
    ['index price 0', JSON.stringify(notification('deribit_price_index.btc_usd', { index_name: 'btc_usd', price: 0, timestamp: 1550588002899 })), /not positive/],
    ['future without mark', JSON.stringify(notification('ticker.BTC-PERPETUAL.100ms', { instrument_name: 'BTC-PERPETUAL', timestamp: 1550588002899, mark_price: null })), /mark_price/],
    ['heartbeat of unknown type', '{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"surprise"}}', /heartbeat/],
    ['unknown answer', '{"jsonrpc":"2.0","id":77,"result":{"what":1}}', /unrecognised result/],
  ];
  it.each(cases)('%s is rejected with a reason', (_name, frame, reason) => {
    const r = map(frame);
    expect(r.events).toEqual([]);
    expect(r.rejected?.reason).toMatch(reason);
  });

  it('keeps the valid instruments of a list with a bad one, and says which', () => {
    const list = JSON.parse(frameOf(/ws_misc.*line 4 /)) as { result: Record<string, unknown>[] };
    const r = map({ ...list, result: [list.result[0], { ...list.result[1], contract_size: 'one' }] });
    expect(r.events).toHaveLength(1);
    expect(r.rejected?.reason).toMatch(/1 of 2 instruments invalid: #1: contract_size/);
  });

  it('never throws and never emits an invalid event, whatever the string (fuzz)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
      const r = map(s);
      assertSane(r);
      expect(r.events.length === 0 || r.rejected === undefined || r.events.every((e) => e.type === 'md.instrument')).toBe(true);
    }), { numRuns: 2_000 });
  });

  it('never throws on real frames with any field replaced by any JSON value (fuzz)', () => {
    const objects = all.map((f) => f.frame as Record<string, unknown>);
    fc.assert(fc.property(fc.constantFrom(...objects), fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), (frame, path, value) => {
      const copy = structuredClone(frame);
      // Walk to an existing object along the path's keys, falling back to the frame's own keys.
      let node: Record<string, unknown> = copy;
      for (const [i, key] of path.entries()) {
        const keys = Object.keys(node);
        const k = keys.length ? keys[key.length % keys.length]! : key;
        if (i === path.length - 1 || typeof node[k] !== 'object' || node[k] === null) {
          node[k] = value;
          break;
        }
        node = node[k] as Record<string, unknown>;
      }
      const r = map(JSON.stringify(copy));
      assertSane(r);
    }), { numRuns: 3_000 });
  });
});

describe('mapDeribitMessage: listings while running', () => {
  const listing = (JSON.parse(frameOf(/ws_misc.*line 4 /)) as { result: Record<string, unknown>[] }).result[0]!;
  const state = (instrument_name: string, st: string, timestamp: number) => notification(`instrument.state.option.ETH`, { instrument_name, state: st, timestamp });

  it('instrument.state: created/started ask for the listing; terminated ends a known one with an inactive md.instrument', () => {
    expect(map(state('ETH-6JUL25-1500-C', 'created', 1751700000000)).control).toEqual({ kind: 'instrument_state', instrument: 'ETH-6JUL25-1500-C', state: 'created', change: 'listed', ts: 1751700000000 });
    const ctx: DeribitContext = { instruments: new Map() };
    const listed = map({ jsonrpc: '2.0', id: 9, result: listing, usOut: 1751758217175538 }, { ...ctx, methodOf: () => 'public/get_instrument' });
    expect(listed.events).toHaveLength(1);
    const def = listed.events[0]!;
    ctx.instruments.set('ETH-6JUL25-1500-C', { kind: 'option', underlying: 'ETH', expiryTs: 1751788800000, def: def as never });
    const ended = map(state('ETH-6JUL25-1500-C', 'terminated', 1751788900000), ctx);
    expect(ended.control).toMatchObject({ change: 'ended' });
    expect(ended.events).toEqual([{ ...def, id: 'deribit:instrument:ETH-6JUL25-1500-C:1751788900000:terminated', ts: 1751788900000, recvTs: RECV, active: false }]);
    // `settled` before the expiry is a daily settlement, not an end.
    expect(map(state('ETH-6JUL25-1500-C', 'settled', 1751700000000), ctx)).toMatchObject({ events: [], control: { change: 'other' } });
  });

  it('reads public/get_instrument answers by shape, and instrument.creation notifications', () => {
    expect(map({ jsonrpc: '2.0', id: 77, result: listing }).events[0]).toMatchObject({ type: 'md.instrument', instrument: 'ETH-6JUL25-1500-C' });
    expect(map(notification('instrument.creation.option.ETH', listing)).events[0]).toMatchObject({ type: 'md.instrument', instrument: 'ETH-6JUL25-1500-C', ts: RECV });
  });

  it('USDC-settled linear options: settlement linear, quote USDC, and their price index named for the session', () => {
    const linear = { ...listing, instrument_name: 'XRP_USDC-29JUN26-0d025-C', instrument_type: 'linear', base_currency: 'XRP', quote_currency: 'USDC', settlement_currency: 'USDC', counter_currency: 'USDC', price_index: 'xrp_usdc', strike: 0.025, contract_size: 1000, expiration_timestamp: Date.parse('2026-06-29T08:00:00Z') };
    const r = map({ jsonrpc: '2.0', id: 3, result: [linear], usOut: 1751758217175538 }, { instruments: new Map(), methodOf: () => 'public/get_instruments' });
    expect(r.events[0]).toMatchObject({ instrument: 'XRP_USDC-29JUN26-0d025-C', underlying: 'XRP', settlement: 'linear', quoteCurrency: 'USDC', contractSize: 1000, strike: 0.025 });
    expect(r.control).toMatchObject({ method: 'public/get_instruments', priceIndexes: ['xrp_usdc'] });
  });
});
