import { DuckDBInstance, timestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';

/** Column types used by the replay and archive tables. TIMESTAMP columns take ms since epoch. */
export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'INTEGER' | 'BOOLEAN' | 'TIMESTAMP';
export type Column = { name: string; type: ColumnType; doc?: string };
export type TableSpec = { name: string; columns: readonly Column[]; doc?: string };

/** One row: values by column name; `null` (or a missing key) is SQL NULL. */
export type Row = Record<string, string | number | boolean | null | undefined>;

/**
 * Open (or create) a DuckDB database with one thread: DuckDB's parallel float aggregates can
 * differ in the last digits between runs (STACK.md), and replay promises bit-identical tables.
 */
export async function openDuck(path = ':memory:'): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(path, { threads: '1' });
  const conn = await instance.connect();
  return {
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL string literal (paths, names): single quotes doubled. */
export function quoteLiteral(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export function createTableSql(spec: TableSpec, opts: { temp?: boolean; name?: string } = {}): string {
  const cols = spec.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  return `CREATE ${opts.temp ? 'TEMP ' : ''}TABLE ${quoteIdent(opts.name ?? spec.name)} (${cols})`;
}

/** Append rows with the appender (about 1M rows/s, STACK.md), in the spec's column order. */
export function appendRows(appender: DuckDBAppender, spec: TableSpec, rows: Iterable<Row>): number {
  let n = 0;
  const cols = spec.columns;
  for (const row of rows) {
    for (const c of cols) {
      const v = row[c.name];
      if (v === null || v === undefined) { appender.appendNull(); continue; }
      switch (c.type) {
        case 'VARCHAR': appender.appendVarchar(String(v)); break;
        case 'DOUBLE': appender.appendDouble(num(v, c)); break;
        case 'INTEGER': appender.appendInteger(num(v, c)); break;
        case 'BIGINT': appender.appendBigInt(BigInt(num(v, c))); break;
        case 'BOOLEAN': appender.appendBoolean(Boolean(v)); break;
        case 'TIMESTAMP': appender.appendTimestamp(timestampValue(BigInt(num(v, c)) * 1000n)); break;
      }
    }
    appender.endRow();
    n++;
  }
  return n;
}

function num(v: string | number | boolean, c: Column): number {
  if (typeof v !== 'number') throw new TypeError(`column ${c.name} (${c.type}) got ${typeof v} ${JSON.stringify(v)}`);
  return v;
}

/**
 * Buffered writer of one table: rows queue in memory and go in through one appender per batch,
 * so a long replay keeps memory flat and no appender stays open across awaits.
 */
export class TableWriter {
  private buf: Row[] = [];
  rows = 0;
  constructor(private readonly conn: DuckDBConnection, readonly spec: TableSpec, private readonly batch = 50_000) {}

  push(row: Row): void {
    this.buf.push(row);
  }

  get pending(): number {
    return this.buf.length;
  }

  /** Write the queue if it holds a batch (or anything, with `force`). */
  async flush(force = true): Promise<void> {
    if (this.buf.length === 0 || (!force && this.buf.length < this.batch)) return;
    const appender = await this.conn.createAppender(this.spec.name);
    try {
      this.rows += appendRows(appender, this.spec, this.buf);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    this.buf = [];
  }
}

/** Rows of a query as plain JSON-safe objects (BIGINT as string, TIMESTAMP as text). */
export async function queryJson(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}
