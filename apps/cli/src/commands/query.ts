import { parseArgs } from 'node:util';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, parseEnv } from '@volstream/runtime';
import type { Io } from '../io.ts';

export const QUERY_HELP = `Usage: volstream query "SQL" [--format table|csv|json] [--archive DIR] [--replay FILE|DIR]...
                       [--max-rows N]

Runs SQL with DuckDB (in memory) over the recorder's parquet archive and replay outputs, and
prints the result. NATS is not needed.

Names available to the SQL:
  surfaces, fits, vol_points   views over ARCHIVE_DIR/<table>/**/*.parquet, with the partition
                               columns date, hour, underlying, venue (hive partitioning); a view
                               exists once the recorder wrote a file for it
  replay, replay2, ...         each --replay database, attached read-only in the order given:
                               replay.fits, replay.winners, replay.compare_by_expiry, ...

Options:
  --format F       table (default), csv or json (an array of row objects)
  --archive DIR    the archive root (default: ARCHIVE_DIR, else .data/archive)
  --replay PATH    a replay.duckdb file, or a replay --out folder (repeatable)
  --max-rows N     rows printed in table format (default 200; csv and json print all)
  -h, --help       this text

Examples:
  volstream query "SELECT fitter, count(*), avg(rmse) FROM fits GROUP BY ALL"
  volstream query "SELECT * FROM replay.winners WHERE dimension = 'overall'" --replay out/
  volstream query "SELECT * FROM replay.compare_by_expiry" --replay out/ --format csv > cmp.csv

More examples: docs/research.md.`;

/** Tables of the archive (the recorder's ARCHIVE_TABLES; listed here so the CLI does not load it). */
export const ARCHIVE_VIEWS = ['surfaces', 'fits', 'vol_points'] as const;

const QueryEnv = z.object({ ARCHIVE_DIR: z.string().min(1).default('.data/archive') });
type Format = 'table' | 'csv' | 'json';

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** `CREATE VIEW` for each archive table that has at least one part file. */
export async function archiveViewsSql(archiveDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const table of ARCHIVE_VIEWS) {
    if (!(await hasParquet(join(archiveDir, table)))) continue;
    out.push(`CREATE VIEW ${table} AS SELECT * FROM read_parquet(${lit(join(archiveDir, table, '**', '*.parquet'))}, hive_partitioning = true, union_by_name = true)`);
  }
  return out;
}

async function hasParquet(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir, { recursive: true })).some((f) => f.endsWith('.parquet'));
  } catch {
    return false;
  }
}

/** A replay path is its database file, or the --out folder that holds replay.duckdb. */
export async function replayFile(path: string): Promise<string> {
  const s = await stat(path).catch(() => undefined);
  if (!s) throw new ConfigError(`Invalid configuration:\n  --replay: no such file or folder (got ${JSON.stringify(path)})`);
  return s.isDirectory() ? join(path, 'replay.duckdb') : path;
}

export async function queryCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      format: { type: 'string' }, archive: { type: 'string' }, replay: { type: 'string', multiple: true }, 'max-rows': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { io.stdout(QUERY_HELP); return 0; }
  const sql = positionals.join(' ').trim();
  if (!sql) { io.stderr(`volstream query: expected SQL\n\n${QUERY_HELP}`); return 2; }
  const format = (values.format ?? 'table') as Format;
  if (!['table', 'csv', 'json'].includes(format)) throw new ConfigError(`Invalid configuration:\n  --format: table, csv or json (got ${JSON.stringify(values.format)})`);
  const maxRows = values['max-rows'] === undefined ? 200 : Number(values['max-rows']);
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new ConfigError(`Invalid configuration:\n  --max-rows: a whole number >= 1 (got ${JSON.stringify(values['max-rows'])})`);
  const archive = resolve(values.archive ?? parseEnv(QueryEnv, process.env).ARCHIVE_DIR);

  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const v of await archiveViewsSql(archive)) await conn.run(v);
    const replays = values.replay ?? [];
    for (let i = 0; i < replays.length; i++) {
      await conn.run(`ATTACH ${lit(await replayFile(replays[i]!))} AS ${i === 0 ? 'replay' : `replay${i + 1}`} (READ_ONLY)`);
    }
    let result;
    try {
      result = await conn.runAndReadAll(sql);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const missing = ARCHIVE_VIEWS.find((t) => new RegExp(`Table with name ${t} does not exist`).test(msg));
      io.stderr(`volstream query: ${msg}${missing ? `\n(no parquet files under ${join(archive, missing)} yet: is the recorder running? The archive is --archive or ARCHIVE_DIR)` : ''}`);
      return 1;
    }
    const columns = result.columnNames();
    const rows = result.getRowsJson() as unknown[][];
    const numeric = result.columnTypes().map((t) => NUMERIC_TYPE.test(String(t)));
    if (format === 'json') io.stdout(formatJson(columns, rows));
    else if (format === 'csv') io.stdout(formatCsv(columns, rows));
    else io.stdout(formatTable(columns, rows, maxRows, numeric));
    return 0;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** A cell as text: doubles to 6 significant digits (full precision is in csv/json). */
function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v).replace(/[\r\n\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

/** Aligned columns (numeric ones to the right), a rule under the header, and the row count. */
export function formatTable(columns: readonly string[], rows: readonly (readonly unknown[])[], maxRows = 200, numeric: readonly boolean[] = columns.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === 'number'))): string {
  const shown = rows.slice(0, maxRows).map((r) => r.map(cell));
  const widths = columns.map((c, i) => Math.max(c.length, ...shown.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...shown.map(line)];
  const more = rows.length - shown.length;
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'}${more > 0 ? `, ${more} not shown: --max-rows or --format csv` : ''})`);
  return out.join('\n');
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; NULL is empty. */
export function formatCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const field = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [columns.map(field).join(','), ...rows.map((r) => r.map(field).join(','))].join('\n');
}

/** An array of row objects (BIGINT and TIMESTAMP as strings, as DuckDB's JSON conversion gives them). */
export function formatJson(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null]))), null, 1);
}
