import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MdEvent, type BookSnapshot, type InstrumentDef, type OptionTicker } from '@volstream/events';
import { TARDIS_OPTIONS_CHAIN_HEADER } from '@volstream/svi';
import { ImportFileError } from './errors.ts';
import { detectFormat } from './formats.ts';
import { createTardisMapper } from './tardis.ts';

const CSV = readFileSync(fileURLToPath(new URL('../../../../libs/svi/src/fixtures/deribit_options_chain_2020-05-14T0541Z_btc.tardis.csv', import.meta.url)), 'utf8').split('\n');
const HEADER = CSV[0]!;
/** EXCHANGES.md §6: the preview row of the Tardis docs [real]. */
const DOCS_ROW = 'deribit,BTC-9JUN20-9875-P,1591574399413000,1591574400196008,put,9875,1591689600000000,0.1,0.0295,0.0205,15.0,55.91,0.0235,15.0,68.94,0.02210436,62.89,SYN.BTC-9JUN20,9756.36,-0.61752,0.00103,2.24964,-53.05655,-0.22796';

function mapAll(lines: readonly string[], venue?: string) {
  const map = createTardisMapper(venue === undefined ? {} : { venue });
  const events: MdEvent[] = [];
  const refused: Record<string, number> = {};
  let rows = 0;
  lines.forEach((l, i) => {
    const r = map(l, i + 1);
    if (r === null) return;
    rows++;
    if ('events' in r) events.push(...r.events);
    else refused[r.refused] = (refused[r.refused] ?? 0) + 1;
  });
  return { events, refused, rows };
}

const error = (f: () => unknown): ImportFileError => {
  try { f(); } catch (e) { if (e instanceof ImportFileError) return e; throw e; }
  throw new Error('no ImportFileError thrown');
};

describe('Tardis options_chain rows -> MD events', () => {
  it('maps the documented row: instrument, ticker in fractions, one-level book, row timestamps, ids from the row', () => {
    const { events } = mapAll([HEADER, DOCS_ROW]);
    const [inst, ticker, book] = events as [InstrumentDef, OptionTicker, BookSnapshot];
    expect(events.map((e) => e.type)).toEqual(['md.instrument', 'md.ticker', 'md.book.snapshot']);
    const base = { v: 1, venue: 'deribit', ts: 1591574399413, recvTs: 1591574400196, instrument: 'BTC-9JUN20-9875-P', underlying: 'BTC', expiryTs: 1591689600000 };
    expect(inst).toEqual({ ...base, type: 'md.instrument', id: 'tardis:deribit:BTC-9JUN20-9875-P:1591574399413000:instrument', kind: 'option', strike: 9875, optionType: 'put', settlement: 'inverse', contractSize: 1, quoteCurrency: 'BTC', active: true });
    expect(ticker).toEqual({ ...base, type: 'md.ticker', id: 'tardis:deribit:BTC-9JUN20-9875-P:1591574399413000:ticker', underlyingPrice: 9756.36, underlyingIndex: 'SYN.BTC-9JUN20', markPrice: 0.02210436, bestBid: 0.0205, bestAsk: 0.0235, markIv: 0.6289, bidIv: 0.5591, askIv: 0.6894 });
    expect(book).toEqual({ ...base, type: 'md.book.snapshot', id: 'tardis:deribit:BTC-9JUN20-9875-P:1591574399413000:book', seq: 1591574399413000, bids: [[0.0205, 15]], asks: [[0.0235, 15]] });
  });

  it('maps every row of the fixture into valid events, one instrument per symbol, the same ids every time', () => {
    const a = mapAll(CSV);
    expect(a.rows).toBe(315);
    expect(a.refused).toEqual({});
    for (const e of a.events) {
      const r = MdEvent.safeParse(e);
      expect(r.success, JSON.stringify(e)).toBe(true);
      expect(Number.isInteger(e.ts) && Number.isInteger(e.recvTs)).toBe(true);
    }
    expect(a.events.filter((e) => e.type === 'md.instrument')).toHaveLength(310);
    expect(a.events).toHaveLength(310 + 2 * 315);
    expect(new Set(a.events.map((e) => e.id)).size).toBe(a.events.length);
    expect(mapAll(CSV).events).toEqual(a.events);
    // A side without a price has no level, and no bestBid/bidIv nonsense from Deribit's zeros.
    const oneSided = a.events.find((e): e is BookSnapshot => e.type === 'md.book.snapshot' && e.bids.length === 0)!;
    expect(oneSided).toBeDefined();
    const t = a.events.find((e): e is OptionTicker => e.type === 'md.ticker' && e.id.startsWith(`tardis:deribit:${oneSided.instrument}:`))!;
    expect(t.bestBid).toBeUndefined();
    expect(t.bidIv).toBeUndefined();
  });

  it('refuses rows it cannot map faithfully, by reason', () => {
    const row = (f: (cells: string[]) => void) => { const c = DOCS_ROW.split(','); f(c); return c.join(','); };
    const lines = [
      HEADER,
      row((c) => { c[0] = 'okex-options'; }),
      row((c) => { c[1] = 'SOL_USDC-9JUN20-40-P'; }),
      row((c) => { c[2] = '1591689600000000'; }),
      DOCS_ROW,
    ];
    expect(mapAll(lines).refused).toEqual({ unsupported_exchange: 1, linear_option: 1, expired: 1 });
    expect(mapAll(lines, 'okx').refused).toEqual({ unsupported_exchange: 1, other_venue: 3 });
  });

  it('names the line of a malformed file: header, column count, numbers, type', () => {
    expect(error(() => mapAll(['a,b,c'])).message).toMatch(/^line 1: not a Tardis options_chain header \(missing column\(s\): exchange, symbol/);
    expect(error(() => mapAll([HEADER, DOCS_ROW, 'deribit,BTC-X,1'])).message).toBe(`line 3: expected ${TARDIS_OPTIONS_CHAIN_HEADER.length} columns, got 3`);
    const e = error(() => mapAll([HEADER, '', DOCS_ROW.replace(',9756.36,', ',abc,').replace('1591574399413000', '1.5e15')]));
    expect(e.line).toBe(3);
    expect(e.message).toBe('line 3: invalid field(s): timestamp="1.5e15", underlying_price="abc"');
    expect(error(() => mapAll([HEADER, DOCS_ROW.replace(',put,', ',straddle,')])).message).toBe('line 2: invalid field(s): type="straddle"');
  });
});

describe('detectFormat', () => {
  it('tells the three formats apart by the first line and names an unknown one', () => {
    expect(detectFormat(HEADER, 1)).toBe('tardis');
    expect(detectFormat('{"venue":"deribit","recvTs":1,"frame":"{}"}', 1)).toBe('recording');
    expect(detectFormat('{"instrument_name":"BTC-22MAY20-9250-P","timestamp":1}', 1)).toBe('deribit-jsonl');
    expect(() => detectFormat('hello,world', 4)).toThrow(/^line 4: unknown file format/);
    expect(() => detectFormat('{"a":1}', 1)).toThrow(/JSON lines of an unknown kind/);
    expect(() => detectFormat('{"a":', 2)).toThrow(/^line 2: not valid JSON/);
  });
});
