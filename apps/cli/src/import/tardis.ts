import { SCHEMA_VERSION, eventId, type BookSnapshot, type Level, type MdEvent, type OptionTicker } from '@volstream/events';
import { TARDIS_OPTIONS_CHAIN_HEADER, splitCsvLine } from '@volstream/svi';
import { ImportFileError } from './errors.ts';
import type { LineMapper, LineResult } from './formats.ts';
import { compact, inverseOptionInstrument, isToken, ivFraction, nonNegative, positive } from './md-fields.ts';

type Col = (typeof TARDIS_OPTIONS_CHAIN_HEADER)[number];

/** Tardis exchange ids whose options_chain conventions are confirmed (EXCHANGES.md §6: Deribit's:
 * coin premiums, IVs in percent) -> our venue token. Other exchanges' rows are refused. */
const TARDIS_VENUES: Record<string, string> = { deribit: 'deribit' };

const MICROS_RE = /^\d{1,17}$/;

/**
 * Tardis `options_chain` CSV rows -> the normalised MD events the book stage needs, per row:
 * an `md.instrument` the first time a symbol is seen, an `md.ticker` (underlying_price as the
 * forward, mark, IVs as fractions) and an `md.book.snapshot` of one level per side (best bid /
 * ask price and amount). `ts` is the row's exchange `timestamp`, `recvTs` its `local_timestamp`
 * (µs -> ms, floored); the book's `seq` is the timestamp in µs. Ids are
 * `tardis:<venue>:<symbol>:<timestamp µs>:<kind>`: the same row always gives the same ids.
 *
 * Refused rows (counted): `unsupported_exchange` (conventions not confirmed), `other_venue`
 * (--venue), `linear_option` (USDC options: the file has no contract size), `bad_symbol`,
 * `expired` (timestamp at/after expiry). A wrong header, column count, number or type throws
 * `ImportFileError` naming the line.
 *
 * @param venue only rows of this venue (default: every supported venue)
 */
export function createTardisMapper({ venue }: { venue?: string } = {}): LineMapper {
  let idx: Record<Col, number> | null = null;
  const listed = new Set<string>();

  return (text: string, line: number): LineResult => {
    if (text.trim() === '') return null;
    const cells = splitCsvLine(text);
    if (!idx) {
      const missing = TARDIS_OPTIONS_CHAIN_HEADER.filter((c) => !cells.includes(c));
      if (missing.length > 0) throw new ImportFileError(line, `not a Tardis options_chain header (missing column(s): ${missing.join(', ')})`);
      idx = Object.fromEntries(TARDIS_OPTIONS_CHAIN_HEADER.map((c) => [c, cells.indexOf(c)])) as Record<Col, number>;
      return null;
    }
    if (cells.length !== TARDIS_OPTIONS_CHAIN_HEADER.length) throw new ImportFileError(line, `expected ${TARDIS_OPTIONS_CHAIN_HEADER.length} columns, got ${cells.length}`);
    const get = (c: Col) => (cells[idx![c]] ?? '').trim();
    const bad: string[] = [];
    const micros = (c: Col): string => {
      const s = get(c);
      if (!MICROS_RE.test(s)) bad.push(`${c}=${JSON.stringify(s)}`);
      return s;
    };
    const num = (c: Col, required: boolean): number | null => {
      const s = get(c);
      if (s === '') {
        if (required) bad.push(`${c}=""`);
        return null;
      }
      const v = Number(s);
      if (!Number.isFinite(v)) bad.push(`${c}=${JSON.stringify(s)}`);
      return v;
    };
    const symbol = get('symbol');
    const type = get('type');
    const optionType = type === 'call' || type === 'put' ? type : null;
    const tsUs = micros('timestamp');
    const localUs = micros('local_timestamp');
    const expUs = micros('expiration');
    const strike = num('strike_price', true);
    const f = {
      bid: num('bid_price', false), bidAmount: num('bid_amount', false), bidIv: num('bid_iv', false),
      ask: num('ask_price', false), askAmount: num('ask_amount', false), askIv: num('ask_iv', false),
      mark: num('mark_price', false), markIv: num('mark_iv', false), forward: num('underlying_price', false),
    };
    if (symbol === '') bad.push('symbol=""');
    if (optionType === null) bad.push(`type=${JSON.stringify(type)}`);
    if (bad.length > 0) throw new ImportFileError(line, `invalid field(s): ${bad.join(', ')}`);

    const v = TARDIS_VENUES[get('exchange')];
    if (v === undefined) return { refused: 'unsupported_exchange', detail: get('exchange') };
    if (venue !== undefined && v !== venue) return { refused: 'other_venue', detail: v };
    const dash = symbol.indexOf('-');
    const underlying = dash > 0 ? symbol.slice(0, dash) : '';
    if (underlying.includes('_')) return { refused: 'linear_option', detail: symbol };
    if (!isToken(underlying) || !(strike! > 0)) return { refused: 'bad_symbol', detail: symbol };
    const ts = Math.floor(Number(tsUs) / 1000);
    const recvTs = Math.floor(Number(localUs) / 1000);
    const expiryTs = Math.floor(Number(expUs) / 1000);
    if (ts >= expiryTs) return { refused: 'expired', detail: symbol };

    const id = (kind: string) => eventId('tardis', v, symbol, tsUs, kind);
    const base = { v: SCHEMA_VERSION, venue: v, ts, recvTs, instrument: symbol, underlying, expiryTs } as const;
    const events: MdEvent[] = [];
    if (!listed.has(symbol)) {
      listed.add(symbol);
      events.push(inverseOptionInstrument({ id: id('instrument'), venue: v, ts, recvTs, instrument: symbol, underlying, expiryTs, strike: strike!, optionType: optionType! }));
    }
    // Ticker first: its forward reaches the vol stage before the quote it prices.
    events.push(compact<OptionTicker>({
      type: 'md.ticker', id: id('ticker'), ...base,
      underlyingPrice: positive(f.forward), underlyingIndex: get('underlying_index') || undefined,
      markPrice: nonNegative(f.mark), bestBid: positive(f.bid), bestAsk: positive(f.ask),
      markIv: ivFraction(f.markIv), bidIv: ivFraction(f.bidIv), askIv: ivFraction(f.askIv),
    }));
    const level = (price: number | null, amount: number | null): Level[] => (price !== null && price > 0 && amount !== null && amount > 0 ? [[price, amount]] : []);
    const book: BookSnapshot = { type: 'md.book.snapshot', id: id('book'), ...base, seq: Number(tsUs), bids: level(f.bid, f.bidAmount), asks: level(f.ask, f.askAmount) };
    events.push(book);
    return { events };
  };
}
