import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TableWriter, createTableSql, openDuck, quoteIdent, quoteLiteral, type Row, type TableSpec } from './duck.ts';
import { REPLAY_TABLES, RUNS, RUN_FITTERS, RUN_TIMING } from './tables.ts';
import { createViewsSql } from './views.ts';
import type { EngineRows } from './engine.ts';

export const REPLAY_FILE = 'replay.duckdb';
export const PARQUET_DIR = 'parquet';

/**
 * The replay's DuckDB file. It is written as `replay.duckdb.partial` and renamed over
 * `replay.duckdb` only once its run record and views are in and it is checkpointed, so the file
 * an analyst opens is always a finished one (an interrupted run is finished too, with status
 * `interrupted`); a crash leaves the previous file untouched.
 */
export class ReplayFile {
  private constructor(
    readonly dir: string,
    private readonly db: Awaited<ReturnType<typeof openDuck>>,
    private readonly writers: Map<string, TableWriter>,
  ) {}

  static async create(dir: string): Promise<ReplayFile> {
    await mkdir(dir, { recursive: true });
    const partial = join(dir, `${REPLAY_FILE}.partial`);
    await rm(partial, { force: true });
    await rm(`${partial}.wal`, { force: true });
    const db = await openDuck(partial);
    for (const t of REPLAY_TABLES) await db.conn.run(createTableSql(t));
    return new ReplayFile(dir, db, new Map(REPLAY_TABLES.map((t) => [t.name, new TableWriter(db.conn, t)])));
  }

  get path(): string {
    return join(this.dir, REPLAY_FILE);
  }

  private writer(spec: TableSpec): TableWriter {
    return this.writers.get(spec.name)!;
  }

  push(table: TableSpec, rows: readonly Row[]): void {
    const w = this.writer(table);
    for (const r of rows) w.push(r);
  }

  pushEngineRows(r: EngineRows): void {
    this.push(tableByName('fits'), r.fits);
    this.push(tableByName('residuals'), r.residuals);
    this.push(tableByName('metrics'), r.metrics);
    this.push(tableByName('tenors'), r.tenors);
    this.push(tableByName('rejections'), r.rejections);
  }

  /** Write full batches (call often; cheap when nothing is due). */
  async maybeFlush(): Promise<void> {
    for (const w of this.writers.values()) await w.flush(false);
  }

  rowCount(table: string): number {
    const w = this.writers.get(table)!;
    return w.rows + w.pending;
  }

  /** Write the run record, create the views, checkpoint, and move the file into place. */
  async finish(run: { runs: Row; timing: Row; fitters: Row[] }): Promise<string> {
    this.push(RUNS, [run.runs]);
    this.push(RUN_TIMING, [run.timing]);
    this.push(RUN_FITTERS, run.fitters);
    for (const w of this.writers.values()) await w.flush(true);
    for (const sql of createViewsSql()) await this.db.conn.run(sql);
    await this.db.conn.run('CHECKPOINT');
    this.db.close();
    await rm(this.path, { force: true });
    await rm(`${this.path}.wal`, { force: true });
    await rename(join(this.dir, `${REPLAY_FILE}.partial`), this.path);
    return this.path;
  }

  /** Give up: close and delete the partial file. */
  async abandon(): Promise<void> {
    try { this.db.close(); } catch { /* already closed */ }
    await rm(join(this.dir, `${REPLAY_FILE}.partial`), { force: true });
    await rm(join(this.dir, `${REPLAY_FILE}.partial.wal`), { force: true });
  }
}

function tableByName(name: string): TableSpec {
  const t = REPLAY_TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
}

/** Partition columns of each table's parquet export: date, underlying and (where there is one) fitter. */
export function exportQuery(spec: TableSpec): { select: string; partitionBy: string[] } {
  const has = (c: string) => spec.columns.some((x) => x.name === c);
  const cols = spec.columns.map((c) => `t.${quoteIdent(c.name)}`).join(', ');
  if (has('ts') && has('underlying')) {
    return { select: `SELECT ${cols}, strftime(t.ts, '%Y-%m-%d') AS date FROM ${quoteIdent(spec.name)} t`, partitionBy: ['date', 'underlying', ...(has('fitter') ? ['fitter'] : [])] };
  }
  // Run tables carry no fit time: they take the date (of `from`) and underlying of their run.
  const date = `strftime(r.from_ts, '%Y-%m-%d') AS date`;
  const select = spec.name === 'runs'
    ? `SELECT ${cols}, strftime(t.from_ts, '%Y-%m-%d') AS date FROM runs t`
    : `SELECT ${cols}, ${date}${has('underlying') ? '' : ', r.underlying AS underlying'} FROM ${quoteIdent(spec.name)} t JOIN runs r USING (run_id)`;
  return { select, partitionBy: ['date', 'underlying', ...(has('fitter') ? ['fitter'] : [])] };
}

/**
 * Export every table of a finished replay file to parquet under `outDir/<table>/date=…/
 * underlying=…[/fitter=…]/`, written to a side folder first and renamed into place.
 */
export async function exportParquet(file: string, outDir: string): Promise<string> {
  const partial = `${outDir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const db = await openDuck(file);
  try {
    for (const spec of REPLAY_TABLES) {
      const { select, partitionBy } = exportQuery(spec);
      const n = Number((await db.conn.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(spec.name)}`)).getRows()[0]![0]);
      if (n === 0) continue;
      await db.conn.run(`COPY (${select}) TO ${quoteLiteral(join(partial, spec.name))} (FORMAT parquet, PARTITION_BY (${partitionBy.join(', ')}))`);
    }
  } finally {
    db.close();
  }
  await rm(outDir, { recursive: true, force: true });
  await rename(partial, outDir);
  return outDir;
}

/** A SELECT that reads one table's parquet export back with the table's own columns and types. */
export function readParquetSql(dir: string, spec: TableSpec): string {
  const glob = join(dir, spec.name, '**', '*.parquet');
  const cols = spec.columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${c.type}) AS ${quoteIdent(c.name)}`).join(', ');
  return `SELECT ${cols} FROM read_parquet(${quoteLiteral(glob)}, hive_partitioning = true, hive_types_autocast = false)`;
}
