import { eventId, type MdEvent } from '@volstream/events';
import { ImportFileError } from './errors.ts';
import type { FrameMapper } from './frames.ts';
import type { LineMapper, LineResult } from './formats.ts';
import { inverseOptionInstrument, isToken } from './md-fields.ts';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Deribit `public/get_order_book` results, one JSON object per line (the chain files `volstream
 * fit` reads) -> per line an `md.instrument` the first time an option is seen, then what the
 * connector's Deribit mapper makes of the result as if it had just been answered: a book
 * snapshot and a ticker. These files hold no receive time: `recvTs` is the exchange `timestamp`.
 * Refused (counted): `other_venue` (--venue other than deribit), `linear_option` (USDC options:
 * no contract size in the file), `bad_symbol`, `frame_rejected` (the mapper's reason). A line
 * that is not JSON or lacks instrument_name/timestamp throws `ImportFileError` naming it.
 */
export function createDeribitJsonlMapper(mapFrame: FrameMapper, { venue }: { venue?: string } = {}): LineMapper {
  const listed = new Set<string>();
  return (text: string, line: number): LineResult => {
    if (text.trim() === '') return null;
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch (err) {
      throw new ImportFileError(line, `not valid JSON (${(err as Error).message})`);
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ImportFileError(line, 'expected a JSON object');
    const r = o as Record<string, unknown>;
    const name = typeof r['instrument_name'] === 'string' ? r['instrument_name'] : null;
    const ts = num(r['timestamp']);
    if (name === null || ts === null || !Number.isInteger(ts)) throw new ImportFileError(line, 'missing or invalid field(s): instrument_name, timestamp');
    if (venue !== undefined && venue !== 'deribit') return { refused: 'other_venue', detail: 'deribit' };
    const underlying = name.slice(0, Math.max(0, name.indexOf('-')));
    if (underlying.includes('_')) return { refused: 'linear_option', detail: name };
    if (!isToken(underlying)) return { refused: 'bad_symbol', detail: name };
    const mapped = mapFrame('deribit', JSON.stringify({ jsonrpc: '2.0', result: r }), ts)!;
    if (mapped.rejected) return { refused: 'frame_rejected', detail: mapped.rejected.reason };
    const events: MdEvent[] = [];
    const expiryTs = num(r['expiration_timestamp']);
    const strike = num(r['strike']);
    const type = r['option_type'];
    if (!listed.has(name) && expiryTs !== null && strike !== null && strike > 0 && (type === 'call' || type === 'put')) {
      listed.add(name);
      events.push(inverseOptionInstrument({ id: eventId('orderbook', 'deribit', name, ts, 'instrument'), venue: 'deribit', ts, recvTs: ts, instrument: name, underlying, expiryTs, strike, optionType: type }));
    }
    return { events: [...events, ...mapped.events] };
  };
}
