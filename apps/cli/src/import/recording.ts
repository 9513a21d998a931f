import { z } from 'zod';
import { TOKEN_RE } from '@volstream/events';
import { ImportFileError } from './errors.ts';
import type { FrameMapper } from './frames.ts';
import type { LineMapper, LineResult } from './formats.ts';

/** One line of the connector's raw capture: the frame as received (text; JSON is accepted too,
 * re-serialised), the venue it came from and its local receive time (ms). */
const RecordedLine = z.object({
  venue: z.string().regex(TOKEN_RE),
  recvTs: z.number().int().nonnegative(),
  frame: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]),
});

/**
 * Raw capture lines (`{"venue","recvTs","frame"}`) -> the events the connector's mapper makes of
 * each frame at its recorded receive time: ids, timestamps and all, the same events the live
 * connector published. Frames without market data (heartbeats, request answers) and frames the
 * mapper rejects are counted (`no_market_data`, `frame_rejected`), as are lines of venues the
 * connector cannot map (`unsupported_venue`) or not asked for (`other_venue`). A line that is not
 * such an object throws `ImportFileError` naming it.
 */
export function createRecordingMapper(mapFrame: FrameMapper, { venue }: { venue?: string } = {}): LineMapper {
  return (text: string, line: number): LineResult => {
    if (text.trim() === '') return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ImportFileError(line, `not valid JSON (${(err as Error).message})`);
    }
    const r = RecordedLine.safeParse(json);
    if (!r.success) throw new ImportFileError(line, `not a recorded frame: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    const rec = r.data;
    if (venue !== undefined && rec.venue !== venue) return { refused: 'other_venue', detail: rec.venue };
    const frame = typeof rec.frame === 'string' ? rec.frame : JSON.stringify(rec.frame);
    const mapped = mapFrame(rec.venue, frame, rec.recvTs);
    if (mapped === undefined) return { refused: 'unsupported_venue', detail: rec.venue };
    if (mapped.events.length > 0) return { events: mapped.events };
    if (mapped.rejected) return { refused: 'frame_rejected', detail: mapped.rejected.reason };
    return mapped.ignored !== undefined ? { refused: 'no_market_data', detail: mapped.ignored } : { refused: 'no_market_data' };
  };
}
