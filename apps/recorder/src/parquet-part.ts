import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { appendRows, createTableSql, quoteIdent, quoteLiteral, type Row, type TableSpec } from '@volstream/replay/archive';
import { parsePartName } from './rows.ts';

export const TMP_DIR = '.tmp';

/**
 * Write rows as one parquet file that is complete or absent: DuckDB writes it under
 * `<root>/.tmp/`, it is fsynced, then renamed into place (rename is atomic on one filesystem).
 * A file already at `finalPath` is replaced by an identical one (same name = same rows).
 */
export async function writePart(conn: DuckDBConnection, root: string, spec: TableSpec, rows: readonly Row[], finalPath: string): Promise<void> {
  const tmpDir = join(root, TMP_DIR);
  await mkdir(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `${randomUUID()}.parquet`);
  const table = `buf_${spec.name}`;
  await conn.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
  await conn.run(createTableSql(spec, { temp: true, name: table }));
  try {
    const appender = await conn.createAppender(table);
    try {
      appendRows(appender, spec, rows);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await conn.run(`COPY ${quoteIdent(table)} TO ${quoteLiteral(tmp)} (FORMAT parquet)`);
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
  }
  const fh = await open(tmp, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
  await mkdir(dirname(finalPath), { recursive: true });
  await rename(tmp, finalPath);
}

/** Leftovers of writes interrupted by a crash (never visible to readers: they sit outside the tables). */
export async function clearTmp(root: string): Promise<void> {
  await rm(join(root, TMP_DIR), { recursive: true, force: true });
}

/** Sequence ranges of the parts already in a partition folder (none if it does not exist). */
export async function partRanges(dir: string): Promise<{ firstSeq: number; lastSeq: number }[]> {
  try {
    return (await readdir(dir)).map(parsePartName).filter((r): r is { firstSeq: number; lastSeq: number } => r !== undefined);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
