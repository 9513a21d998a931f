import { join } from 'node:path';
import type { SurfaceEvent, VolEvent } from '@volstream/events';
import { FIT_COLUMNS, SURFACE_COLUMNS, VOL_POINT_COLUMNS, fitRow, surfaceRows, volPointRow, type Column, type Row, type TableSpec } from '@volstream/replay/archive';

// The archive: parquet parts under `<table>/date=YYYY-MM-DD/hour=HH/underlying=X/venue=Y/`.
// Partition values live in the path only (DuckDB's hive partitioning adds them back as columns);
// every row also carries the stream sequence of the event it came from.

/** Columns that are partition keys, so not stored inside the files. */
const PARTITION_KEYS = new Set(['underlying', 'venue']);
const SEQ: Column = { name: 'seq', type: 'BIGINT', doc: 'stream sequence of the source event' };
const archived = (name: string, doc: string, cols: readonly Column[]): TableSpec => ({ name, doc, columns: [...cols.filter((c) => !PARTITION_KEYS.has(c.name)), SEQ] });

export const ARCHIVE_TABLES = {
  surfaces: archived('surfaces', 'every surface.surface event, one row per expiry', SURFACE_COLUMNS),
  fits: archived('fits', 'every surface.smile event (one fitted expiry)', FIT_COLUMNS),
  vol_points: archived('vol_points', 'every vol.point event', VOL_POINT_COLUMNS),
} as const satisfies Record<string, TableSpec>;
export type ArchiveTable = keyof typeof ARCHIVE_TABLES;
export const ARCHIVE_TABLE_NAMES = Object.keys(ARCHIVE_TABLES) as ArchiveTable[];

export type Partition = { table: ArchiveTable; date: string; hour: string; underlying: string; venue: string };

/** Partition of an event by its event time (UTC hour), underlying and venue. */
export function partitionOf(table: ArchiveTable, e: { ts: number; underlying: string; venue: string }): Partition {
  const iso = new Date(e.ts).toISOString();
  return { table, date: iso.slice(0, 10), hour: iso.slice(11, 13), underlying: e.underlying, venue: e.venue };
}

/** `fits/date=2026-05-17/hour=06/underlying=BTC/venue=deribit` */
export function partitionDir(p: Partition): string {
  return join(p.table, `date=${p.date}`, `hour=${p.hour}`, `underlying=${p.underlying}`, `venue=${p.venue}`);
}

const SEQ_DIGITS = 12;
/** `part-000000000101-000000000250.parquet`: named by the first and last stream sequence it holds,
 * so a batch written again after a crash gets the same name (and names sort in stream order). */
export function partName(firstSeq: number, lastSeq: number): string {
  return `part-${String(firstSeq).padStart(SEQ_DIGITS, '0')}-${String(lastSeq).padStart(SEQ_DIGITS, '0')}.parquet`;
}

export function parsePartName(name: string): { firstSeq: number; lastSeq: number } | undefined {
  const m = /^part-(\d+)-(\d+)\.parquet$/.exec(name);
  return m ? { firstSeq: Number(m[1]), lastSeq: Number(m[2]) } : undefined;
}

export type ArchiveRow = { partition: Partition; row: Row };

/** Rows of a SURFACE stream event: a surface becomes one `surfaces` row per expiry, a smile
 * one `fits` row; status events are not archived. */
export function surfaceEventRows(e: SurfaceEvent, seq: number): ArchiveRow[] {
  if (e.type === 'surface.smile') return [{ partition: partitionOf('fits', e), row: fitRow(e, {}, { seq }) }];
  if (e.type === 'surface.surface') {
    const partition = partitionOf('surfaces', e);
    return surfaceRows(e, { seq }).map((row) => ({ partition, row }));
  }
  return [];
}

export function volEventRows(e: VolEvent, seq: number): ArchiveRow[] {
  return e.type === 'vol.point' ? [{ partition: partitionOf('vol_points', e), row: volPointRow(e, { seq }) }] : [];
}
