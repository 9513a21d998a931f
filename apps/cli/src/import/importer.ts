import { basename } from 'node:path';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { STREAM_NAMES, encode, subjectFor } from '@volstream/events';
import { ensureStreams, Publisher, type NatsConnection, type StreamOverrides } from '@volstream/runtime';
import { createDeribitJsonlMapper } from './deribit-jsonl.ts';
import { ImportFileError } from './errors.ts';
import { detectFormat, type ImportFormat, type LineMapper } from './formats.ts';
import { loadFrameMapper } from './frames.ts';
import { openInput } from './lines.ts';
import { createRecordingMapper } from './recording.ts';
import { StreamCheck } from './stream-check.ts';
import { createTardisMapper } from './tardis.ts';

export type ImportProgress = {
  /** Data rows (lines) read so far; a header is not a row. */
  rows: number;
  /** Share of the file read, 0..1 (of the compressed bytes for gzip). */
  fraction: number;
  elapsedMs: number;
};

export type ImportSummary = {
  file: string;
  format: ImportFormat;
  rows: number;
  /** Rows that gave at least one event to publish. */
  taken: number;
  /** Rows not taken, by reason (`already_in_stream`: every event of the row was stored before). */
  refused: Record<string, number>;
  /** One example (line and detail) per refusal reason. */
  examples: Record<string, string>;
  events: {
    /** Stored by this import. */
    published: number;
    /** Dropped by JetStream as repeats within its duplicate window. */
    duplicates: number;
    /** Not sent: already on their subject (StreamCheck). */
    skipped: number;
  };
  /** A `.partial` recording whose gzip ended early: read up to its last complete line. */
  truncated: boolean;
  elapsedMs: number;
};

export type ImportOptions = {
  nc: NatsConnection;
  input: string;
  format?: ImportFormat | 'auto';
  /** Only rows/frames of this venue. */
  venue?: string;
  /** Called about every `progressEveryMs` of wall time, and once at the end. */
  onProgress?: (p: ImportProgress) => void;
  progressEveryMs?: number;
  /** Stream limits (tests shorten the duplicate window). */
  streamOverrides?: StreamOverrides;
  maxInFlight?: number;
};

/**
 * Imports one file into the MD stream, as the connector would have published it: the streams
 * are created/updated first, each line is mapped (format detected from the first line unless
 * given), each event is checked against its subject's last stored message (StreamCheck: an
 * import repeated after the duplicate window adds nothing) and published with many publishes in
 * flight, in file order, with its deterministic id as Nats-Msg-Id.
 *
 * @throws ImportFileError naming the line of a malformed file, after the rows before it are
 *   stored (importing again once the file is fixed resumes after them)
 */
export async function importFile(o: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const jsm = await jetstreamManager(o.nc);
  await ensureStreams(jsm, o.streamOverrides);
  const file = await openInput(o.input);
  const maxInFlight = o.maxInFlight ?? 5_000;
  // The Publisher's own limit is never reached (the loop waits first), so every publish is
  // sent at once and in file order.
  const pub = new Publisher(jetstream(o.nc), maxInFlight + 1);
  const check = new StreamCheck(jsm, STREAM_NAMES.md);
  const venue = o.venue === undefined ? {} : { venue: o.venue };
  const s: ImportSummary = {
    file: basename(o.input), format: 'tardis', rows: 0, taken: 0, refused: {}, examples: {},
    events: { published: 0, duplicates: 0, skipped: 0 }, truncated: false, elapsedMs: 0,
  };
  const progress = () => o.onProgress?.({ rows: s.rows, fraction: file.size > 0 ? file.bytesRead() / file.size : 1, elapsedMs: performance.now() - started });
  const refuse = (reason: string, line: number, detail?: string) => {
    s.refused[reason] = (s.refused[reason] ?? 0) + 1;
    s.examples[reason] ??= `line ${line}${detail ? `: ${detail}` : ''}`;
  };

  let map: LineMapper | undefined;
  let line = 0;
  let lastProgress = performance.now();
  let sendError: unknown;
  const every = o.progressEveryMs ?? 1_000;
  try {
    for await (const chunk of file.lines()) {
      for (const text of chunk) {
        line++;
        if (!map) {
          if (text.trim() === '') continue;
          s.format = o.format === undefined || o.format === 'auto' ? detectFormat(text, line) : o.format;
          map = s.format === 'tardis' ? createTardisMapper(venue)
            : s.format === 'recording' ? createRecordingMapper(await loadFrameMapper(), venue)
            : createDeribitJsonlMapper(await loadFrameMapper(), venue);
        }
        const r = map(text, line);
        if (r === null) continue;
        s.rows++;
        if ('refused' in r) {
          refuse(r.refused, line, r.detail);
          continue;
        }
        let sent = 0;
        for (const e of r.events) {
          const subject = subjectFor('md', e);
          let stored = check.stored(subject, e);
          if (stored === undefined) {
            await check.load(subject);
            stored = check.stored(subject, e)!;
          }
          if (stored) continue;
          // Not awaited: nats.js sends what is published in one tick as one socket write, where
          // an await per message (or a window refilled one ack at a time) makes a write per message.
          pub.publishRaw(subject, encode(e), e.id).catch((err: unknown) => { sendError ??= err; });
          sent++;
          if (pub.inFlight >= maxInFlight) {
            // Backpressure with hysteresis: let the acks in until half the window is free.
            while (pub.inFlight > maxInFlight / 2) await yieldToIo();
          }
        }
        if (sent > 0) s.taken++;
        else refuse('already_in_stream', line);
      }
      if (sendError !== undefined) throw sendError;
      if (performance.now() - lastProgress >= every) {
        lastProgress = performance.now();
        progress();
      }
    }
    if (!map) throw new ImportFileError(Math.max(line, 1), 'empty file');
  } catch (err) {
    // A damaged gzip (e.g. a download cut short) fails while reading: name where.
    const code = (err as { code?: unknown })?.code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new ImportFileError(line + 1, `unreadable gzip data (${(err as Error).message})`, { cause: err });
    throw err;
  } finally {
    // Whatever happens, what was sent is stored (or its failure thrown) before returning.
    try {
      await pub.flush();
    } finally {
      pub.close();
      s.events = { published: pub.stats.published, duplicates: pub.stats.duplicates, skipped: check.skipped };
      s.elapsedMs = performance.now() - started;
    }
  }
  s.truncated = file.truncated();
  progress();
  return s;
}
