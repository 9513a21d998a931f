import { parseArgs } from 'node:util';
import { z } from 'zod';
import { TOKEN_RE } from '@volstream/events';
import { connectNats, env, parseEnv } from '@volstream/runtime';
import { ImportFileError } from '../import/errors.ts';
import { FORMATS, type ImportFormat } from '../import/formats.ts';
import { importFile, type ImportProgress, type ImportSummary } from '../import/importer.ts';
import type { Io } from '../io.ts';

export const IMPORT_HELP = `Usage: volstream import --input FILE [--venue NAME] [--format auto|tardis|deribit-jsonl|recording] [--help]

Loads a file of past market data into the MD stream, as the connector would have published it,
so the pipeline (book -> vol -> surface) rebuilds surfaces from it. Plain or gzip files.

Formats (auto: detected from the first line):
  tardis         Tardis options_chain CSV (exchange,symbol,timestamp,local_timestamp,…; times in
                 µs, Deribit IVs in percent). Per row: md.instrument (first sight of a symbol),
                 md.ticker (underlying_price as the forward, mark, IVs as fractions) and a
                 one-level md.book.snapshot (best bid/ask price and amount); ts = timestamp,
                 recvTs = local_timestamp. Deribit coin-settled options only.
  deribit-jsonl  Deribit public/get_order_book results, one JSON object per line (the chain files
                 \`volstream fit\` reads), through the connector's Deribit mapper; recvTs = timestamp.
  recording      the connector's raw capture, JSON lines {"venue","recvTs","frame"}: each frame
                 goes through the connector's pipeline for its venue (mapper, instrument registry,
                 book sequencing, OKX checksums) at its recorded receive time: the events the live
                 connector published, with its ids. A .partial recording (still written, or left
                 by a crash) ends at its last complete line.

Importing is idempotent: event ids derive from the data (venue, symbol, timestamp, kind), so
JetStream drops repeats within its duplicate window (2 min); beyond it, each subject's last
stored message marks how far an earlier import got and events up to it are skipped. Importing a
file twice adds nothing; an interrupted import resumes. History older than what a subject
already holds (e.g. live data) is skipped too: import into a store of its own (DATA_DIR).

Options:
  -i, --input FILE     the file (.csv, .jsonl, optionally .gz)
      --venue NAME     only rows/frames of this venue (default: all the file holds)
      --format FORMAT  auto (default), tardis, deribit-jsonl or recording
  -h, --help           this text

Progress (rows/s, share of the file) goes to stderr, the summary (rows taken, rows refused by
reason, events published/duplicate/skipped) to stdout.
Environment: NATS_URL (nats://127.0.0.1:4222)
Exit codes: 0 imported, 1 unreadable or malformed file (the message names the line) or NATS
failure, 2 usage error.`;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export function progressLine(p: ImportProgress): string {
  const rate = p.elapsedMs > 0 ? (p.rows / p.elapsedMs) * 1_000 : 0;
  return `import: ${(p.fraction * 100).toFixed(1).padStart(5)}% of file, ${fmt(p.rows)} rows, ${fmt(rate)} rows/s`;
}

export function summaryText(s: ImportSummary): string {
  const lines = [
    `imported ${s.file} (${s.format}) in ${(s.elapsedMs / 1_000).toFixed(1)} s: ${fmt(s.rows)} rows, ${fmt(s.taken)} taken, ${fmt(s.rows - s.taken)} refused`,
    `events: ${fmt(s.events.published)} published, ${fmt(s.events.duplicates)} duplicates (dropped by JetStream), ${fmt(s.events.skipped)} already in the stream (not sent)`,
  ];
  if (s.truncated) lines.push('the file is a .partial recording cut short: read up to its last complete line');
  for (const [reason, n] of Object.entries(s.refused).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  refused ${reason}: ${fmt(n)} (e.g. ${s.examples[reason]})`);
  }
  return lines.join('\n');
}

/** `volstream import`: returns the exit code; never calls process.exit. */
export async function importCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string', short: 'i' },
      venue: { type: 'string' },
      format: { type: 'string', default: 'auto' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) { io.stdout(IMPORT_HELP); return 0; }
  const usage = (msg: string) => { io.stderr(`volstream import: ${msg}\n(see volstream import --help)`); return 2; };
  if (!values.input) return usage('--input FILE is required');
  const format = values.format;
  if (format !== 'auto' && !(FORMATS as readonly string[]).includes(format)) return usage(`--format must be auto, ${FORMATS.join(', ')}; got "${format}"`);
  if (values.venue !== undefined && !TOKEN_RE.test(values.venue)) return usage(`--venue must be a venue name like deribit; got "${values.venue}"`);
  const cfg = parseEnv(z.object({ NATS_URL: env.url('nats://127.0.0.1:4222', ['nats', 'tls']) }), process.env);

  const nc = await connectNats({ url: cfg.NATS_URL, name: 'volstream-import', reconnect: false });
  try {
    const summary = await importFile({
      nc,
      input: values.input,
      format: format as ImportFormat | 'auto',
      ...(values.venue !== undefined ? { venue: values.venue } : {}),
      onProgress: (p) => io.stderr(progressLine(p)),
    });
    io.stdout(summaryText(summary));
    return 0;
  } catch (err) {
    if (err instanceof ImportFileError) {
      io.stderr(`volstream import: ${values.input}: ${err.message}\n(the rows before it are stored; importing the fixed file again adds only what is missing)`);
      return 1;
    }
    if ((err as NodeJS.ErrnoException)?.code === 'ENOENT' || (err as NodeJS.ErrnoException)?.code === 'EISDIR') {
      io.stderr(`volstream import: cannot read ${values.input}: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  } finally {
    await nc.close();
  }
}
