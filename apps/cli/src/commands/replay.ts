import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, env, parseEnv } from '@volstream/runtime';
import { listFitters } from '@volstream/svi';
import type { Io } from '../io.ts';

export const REPLAY_HELP = `Usage: volstream replay --underlying U --from ISO --to ISO --fitters NAME[,NAME...] --out DIR
                        [--baseline NAME] [--from-stage md|vol] [--venue V] [--skip-parquet]
                        [--residuals-every-ms MS]

Replays stored history from JetStream through the live apps' own cores, fitting every named
fitter on the live cadence, and writes the results to DIR/replay.duckdb (and DIR/parquet/).
The input stream is read from its first message, so books, vols and warm starts at --from are
what the live workers had; fits with fit time in [--from, --to) are recorded, together with the
live fits stored in the SURFACE stream for the same range. Same history + fitters = same rows.

Options:
  --underlying U          e.g. BTC
  --from ISO, --to ISO    range of fit times, UTC (2026-05-17, 2026-05-17T06:00, ...Z)
  --fitters LIST          comma-separated name[@version]; known: ${listFitters().map((f) => f.id).join(', ')}
  --baseline NAME         fitter the others are compared with (default: the first)
  --from-stage md|vol     md (default): rebuild books and vols from market data (also an
                          imported Tardis chain); vol: read the VOL stream as stored
  --venue V               one venue only (default: every venue)
  --out DIR               output folder (replay.duckdb replaced when the run finishes)
  --skip-parquet          do not export the tables to DIR/parquet/
  --residuals-every-ms MS residuals of each fitter and expiry at most once per MS of fit time
                          (default 0: every fit)
  -h, --help              this text

Tables: runs, run_timing, run_fitters, fits, live_fits, residuals, metrics, tenors, rejections.
Views: compare_summary, compare_by_expiry, compare_by_moneyness, compare_by_time_of_day,
winners, fit_pairs, live_vs_replay, live_match (see docs/research.md).
Ctrl-C stops cleanly: the file is finished with status 'interrupted' (twice: quit at once).

Environment: NATS_URL (nats://127.0.0.1:4222) and the live settings the cores must share with
the live apps: VOL_REPRICE_MS, FIT_INTERVAL_MS, MIN_POINTS, COMPOSITE (their defaults unless
set; no composite surface with --venue).`;

/** `2026-05-17`, `2026-05-17T06:00`, `...Z` or with an offset: UTC unless the text says otherwise. */
export function parseIsoTime(flag: string, s: string | undefined): number {
  if (!s) throw new ConfigError(`Invalid configuration:\n  ${flag}: required (ISO time, e.g. 2026-05-17T06:00Z)`);
  const utc = /[zZ]|[+-]\d\d:?\d\d$/.test(s) || /^\d{4}-\d\d-\d\d$/.test(s) ? s : `${s}Z`;
  const ms = Date.parse(utc);
  if (!/^\d{4}-\d\d-\d\d/.test(s) || Number.isNaN(ms)) throw new ConfigError(`Invalid configuration:\n  ${flag}: not an ISO time (got ${JSON.stringify(s)})`);
  return ms;
}

const ReplayEnv = z.object({ NATS_URL: env.url('nats://127.0.0.1:4222', ['nats', 'tls']) });

export type ReplayDeps = {
  /** The replay engine (tests pass a stand-in). */
  replay?: typeof import('@volstream/replay').replay;
  env?: Record<string, string | undefined>;
  /** Where the progress bar goes; a TTY redraws one line, anything else gets a line every 10 s. */
  progress?: { write: (s: string) => void; isTTY: boolean };
};

export async function replayCommand(argv: string[], io: Io, deps: ReplayDeps = {}): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      underlying: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, fitters: { type: 'string' }, baseline: { type: 'string' },
      'from-stage': { type: 'string' }, venue: { type: 'string' }, out: { type: 'string' }, 'skip-parquet': { type: 'boolean' },
      'residuals-every-ms': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { io.stdout(REPLAY_HELP); return 0; }
  const bad = (msg: string) => new ConfigError(`Invalid configuration:\n  ${msg}`);
  if (!values.underlying) throw bad('--underlying: required (e.g. BTC)');
  if (!values.out) throw bad('--out: required (output folder)');
  if (!values.fitters) throw bad(`--fitters: required (known: ${listFitters().map((f) => f.id).join(', ')})`);
  const stage = values['from-stage'] ?? 'md';
  if (stage !== 'md' && stage !== 'vol') throw bad(`--from-stage: md or vol (got ${JSON.stringify(stage)})`);
  const residualsEveryMs = values['residuals-every-ms'] === undefined ? 0 : Number(values['residuals-every-ms']);
  if (!Number.isInteger(residualsEveryMs) || residualsEveryMs < 0) throw bad(`--residuals-every-ms: a whole number of ms >= 0 (got ${JSON.stringify(values['residuals-every-ms'])})`);
  const from = parseIsoTime('--from', values.from);
  const to = parseIsoTime('--to', values.to);
  if (from >= to) throw bad(`--from must be before --to (got ${values.from} .. ${values.to})`);
  const vars = deps.env ?? process.env;
  const { NATS_URL } = parseEnv(ReplayEnv, vars);

  const lib = await import('@volstream/replay');
  const fitters = values.fitters.split(',').map((f) => f.trim()).filter(Boolean);
  try {
    lib.resolveFitters(fitters, values.baseline);
  } catch (err) {
    if (err instanceof lib.ReplayOptionsError) throw bad(err.message);
    throw err;
  }
  const run = deps.replay ?? lib.replay;
  const settings = lib.settingsFromEnv(vars);
  const progress = deps.progress ?? { write: (s: string) => process.stderr.write(s), isTTY: Boolean(process.stderr.isTTY) };

  // Ctrl-C once: finish the file cleanly; twice: quit now (the previous replay.duckdb stays).
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    io.stderr('\nstopping: finishing the file (Ctrl-C again to quit now)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  let lastLine = 0;
  try {
    const summary = await run({
      natsUrl: NATS_URL, underlying: values.underlying, venue: values.venue, from, to, fitters,
      baseline: values.baseline, fromStage: stage, outDir: values.out, parquet: !values['skip-parquet'], residualsEveryMs, settings, signal: abort.signal,
      onProgress: (p) => {
        const line = lib.formatProgress(p);
        if (progress.isTTY) progress.write(`\r${line}\x1b[K`);
        else if (Date.now() - lastLine >= 10_000) { lastLine = Date.now(); progress.write(`${line}\n`); }
      },
    });
    if (progress.isTTY) progress.write('\n');
    for (const l of await summaryLines(summary, lib)) io.stdout(l);
    return summary.status === 'interrupted' ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const n = (x: number) => x.toLocaleString('en-US');
const when = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
const fmt = (x: unknown) => (typeof x === 'number' ? Number(x.toPrecision(4)).toString() : String(x ?? '-'));

/** The end-of-run summary: what was read, fits per fitter, the live match and the overall winners. */
export async function summaryLines(s: import('@volstream/replay').ReplaySummary, lib: typeof import('@volstream/replay')): Promise<string[]> {
  const out = [
    `replay ${s.runId} ${s.status}: ${n(s.inputs)} inputs (seq ${s.firstSeq ?? '-'}..${s.lastSeq ?? '-'}, ${when(s.firstTs)} .. ${when(s.lastTs)})`,
    ...s.fitters.map((f) => `  ${f.padEnd(16)} ${n(s.fits[f] ?? 0).padStart(9)} fits ${n(s.rejected[f] ?? 0).padStart(6)} rejected${f === s.baseline ? '  (baseline)' : ''}`),
    `  ${n(s.rows.residuals ?? 0)} residuals, ${n(s.liveFits)} live fits; ${(s.wallMs / 1000).toFixed(1)} s, ${lib.formatCount(s.eventsPerS)} ev/s, ${s.marketX.toFixed(0)}x market`,
  ];
  const db = await lib.openDuck(s.file);
  try {
    for (const m of await lib.queryJson(db.conn, 'SELECT * FROM live_match')) {
      out.push(`  live ${m.fitter}: ${m.identical}/${m.live_fits} live fits reproduced exactly${Number(m.replayed) > Number(m.identical) ? ` (max parameter difference ${fmt(m.max_param_diff)})` : ''}`);
    }
    if (s.fitters.length > 1) {
      // The fitters side by side over the whole run, the baseline first, and the winner.
      const values = await lib.queryJson(db.conn, "SELECT metric, fitter, value FROM compare_long WHERE dimension = 'overall'");
      const winners = await lib.queryJson(db.conn, "SELECT metric, better, winner FROM winners WHERE dimension = 'overall' ORDER BY metric");
      const cols = [s.baseline, ...s.fitters.filter((f) => f !== s.baseline)];
      const w = Math.max(10, ...cols.map((c) => c.length + 1));
      out.push(`overall (per expiry, moneyness and hour: SELECT * FROM winners):`);
      out.push(`  ${'metric'.padEnd(18)} ${'better'.padEnd(7)} ${cols.map((c, i) => `${c}${i === 0 ? '*' : ''}`.padStart(w)).join(' ')}  winner`);
      for (const row of winners) {
        const cells = cols.map((c) => fmt(values.find((v) => v.metric === row.metric && v.fitter === c)?.value).padStart(w));
        out.push(`  ${String(row.metric).padEnd(18)} ${String(row.better).padEnd(7)} ${cells.join(' ')}  ${row.winner}`);
      }
      out.push('  (* baseline; errors in vol points, shares 0..1, ms per fit)');
    }
  } finally {
    db.close();
  }
  out.push(`file: ${s.file}${s.parquetDir ? `   parquet: ${s.parquetDir}` : ''}`);
  return out;
}
