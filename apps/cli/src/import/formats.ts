import type { MdEvent } from '@volstream/events';
import { ImportFileError } from './errors.ts';

export const FORMATS = ['tardis', 'deribit-jsonl', 'recording'] as const;
export type ImportFormat = (typeof FORMATS)[number];

/** What one line of a file gives: events to publish, a refusal with its reason (counted, the
 * import goes on), or nothing (a header). A malformed line throws `ImportFileError` instead. */
export type LineResult = { events: MdEvent[] } | { refused: string; detail?: string } | null;

/** Maps the lines of one file in order; state (instruments seen) lives in the closure. */
export type LineMapper = (text: string, line: number) => LineResult;

/**
 * The format of a file from its first non-blank line: a Tardis options_chain CSV header; a JSON
 * object with `frame` and `recvTs` (the connector's raw recording); or one with `instrument_name`
 * (Deribit public/get_order_book results, as `volstream fit` reads).
 */
export function detectFormat(first: string, line: number): ImportFormat {
  const text = first.trim();
  if (text.startsWith('{')) {
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch (err) {
      throw new ImportFileError(line, `not valid JSON (${(err as Error).message})`);
    }
    if (typeof o === 'object' && o !== null) {
      if ('frame' in o && 'recvTs' in o) return 'recording';
      if ('instrument_name' in o) return 'deribit-jsonl';
    }
    throw new ImportFileError(line, 'JSON lines of an unknown kind (expected {"venue","recvTs","frame"} recordings or Deribit get_order_book results with instrument_name)');
  }
  const cells = text.split(',');
  if (cells.includes('symbol') && cells.includes('local_timestamp')) return 'tardis';
  throw new ImportFileError(line, `unknown file format (expected a Tardis options_chain CSV header, recorder JSON lines or Deribit order-book JSON lines), got ${JSON.stringify(text.slice(0, 80))}`);
}
