import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type BookEvent, type InstrumentDef, type MdEvent } from '@volstream/events';
import { mapDeribitMessage } from '@volstream/connector';
import { loadFixtures } from '@volstream/connector/testing';
import { runCore } from '@volstream/runtime';
import { createBookCore } from './core.ts';

type ChainRow = {
  instrument_name: string; expiration_timestamp: number; strike: number; option_type: 'call' | 'put'; timestamp: number;
  best_bid_price: number; best_bid_amount: number; best_ask_price: number; best_ask_amount: number; underlying_price: number; mark_price: number;
};

/** The real 2020-05-14 BTC chain (first 40 rows), mapped by the connector's Deribit mapper. */
const rows = loadFixtures('deribit-order-book-chain.jsonl').map((f) => ({ text: f.text, row: (f.frame as { result: ChainRow }).result }));

const instrumentOf = (r: ChainRow): InstrumentDef => ({
  type: 'md.instrument', v: SCHEMA_VERSION, id: `i:${r.instrument_name}`, venue: 'deribit', ts: r.timestamp, recvTs: r.timestamp,
  instrument: r.instrument_name, underlying: 'BTC', kind: 'option', expiryTs: r.expiration_timestamp, strike: r.strike, optionType: r.option_type,
  settlement: 'inverse', contractSize: 1, quoteCurrency: 'BTC', active: true,
});

describe('book core on the real Deribit chain', () => {
  const input: MdEvent[] = [
    ...rows.map(({ row }) => instrumentOf(row)),
    ...rows.flatMap(({ text, row }) => mapDeribitMessage(text, row.timestamp + 7, { instruments: new Map() }).events),
  ];
  const out = runCore(createBookCore(), input);

  it('publishes each option top as Deribit reported it (0 = no quote -> null side)', () => {
    const tops = new Map(out.flatMap((o) => (o.type === 'book.top' ? [[o.instrument, o] as const] : [])));
    expect(tops.size).toBe(rows.length);
    for (const { row } of rows) {
      const t = tops.get(row.instrument_name)!;
      expect([t.bid, t.bidSize, t.ask, t.askSize], row.instrument_name).toEqual([
        row.best_bid_price > 0 ? row.best_bid_price : null, row.best_bid_price > 0 ? row.best_bid_amount : null,
        row.best_ask_price > 0 ? row.best_ask_price : null, row.best_ask_price > 0 ? row.best_ask_amount : null,
      ]);
      expect(t).toMatchObject({ strike: row.strike, optionType: row.option_type, expiryTs: row.expiration_timestamp, settlement: 'inverse' });
    }
  });

  it('publishes the forward of each expiry from underlying_price, one per change', () => {
    const forwards = out.filter((o): o is Extract<BookEvent, { type: 'book.forward' }> => o.type === 'book.forward');
    const expiries = new Set(rows.map((r) => r.row.expiration_timestamp));
    expect(new Set(forwards.map((f) => f.expiryTs))).toEqual(expiries);
    for (const f of forwards) expect(f.source).toBe('underlying_price');
    // The last forward of each expiry is the last row's underlying_price for that expiry.
    for (const exp of expiries) {
      const last = rows.filter((r) => r.row.expiration_timestamp === exp).at(-1)!.row;
      expect(forwards.filter((f) => f.expiryTs === exp).at(-1)!.forward).toBe(last.underlying_price);
    }
  });

  it('publishes one mark per option', () => {
    expect(out.filter((o) => o.type === 'book.mark')).toHaveLength(rows.length);
  });
});
