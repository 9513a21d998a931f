import { describe, expect, it } from 'vitest';
import type { SmileFit, Status, Surface, VolPoint } from '@volstream/events';
import { EXAMPLES } from '../../../libs/events/src/fixtures.ts';
import { ARCHIVE_TABLES, parsePartName, partName, partitionDir, partitionOf, surfaceEventRows, volEventRows } from './rows.ts';

const smile = EXAMPLES.find((e) => e.type === 'surface.smile') as SmileFit;
const surface = EXAMPLES.find((e) => e.type === 'surface.surface') as Surface;
const point = EXAMPLES.find((e) => e.type === 'vol.point') as VolPoint;
const status = EXAMPLES.find((e) => e.type === 'status') as Status;

describe('archive rows', () => {
  it('partitions by UTC hour of event time, underlying and venue', () => {
    const p = partitionOf('fits', { ts: Date.UTC(2026, 4, 17, 23, 59, 59, 999), underlying: 'BTC', venue: 'deribit' });
    expect(p).toEqual({ table: 'fits', date: '2026-05-17', hour: '23', underlying: 'BTC', venue: 'deribit' });
    expect(partitionDir(p)).toBe('fits/date=2026-05-17/hour=23/underlying=BTC/venue=deribit');
    expect(partitionOf('fits', { ts: Date.UTC(2026, 4, 18), underlying: 'BTC', venue: 'deribit' }).hour).toBe('00');
  });

  it('names parts by their sequence range, sortable and parseable', () => {
    expect(partName(101, 250)).toBe('part-000000000101-000000000250.parquet');
    expect(parsePartName(partName(101, 250))).toEqual({ firstSeq: 101, lastSeq: 250 });
    expect(parsePartName('part-1-2.parquet.tmp')).toBeUndefined();
    expect(parsePartName('other.parquet')).toBeUndefined();
    expect([partName(9, 10), partName(100, 200), partName(11, 99)].sort()).toEqual([partName(9, 10), partName(11, 99), partName(100, 200)]);
  });

  it('maps smile, surface and vol point events to rows of their table, with the sequence', () => {
    const [f] = surfaceEventRows(smile, 7);
    expect(f!.partition.table).toBe('fits');
    expect(f!.row).toMatchObject({ id: 's:1', seq: 7, fitter: 'svi-qe@1' });
    const s = surfaceEventRows(surface, 8);
    expect(s).toHaveLength(surface.expiries.length);
    expect(s[0]!.partition.table).toBe('surfaces');
    const [v] = volEventRows(point, 9);
    expect(v!.partition).toMatchObject({ table: 'vol_points', underlying: 'BTC', venue: 'deribit' });
    expect(surfaceEventRows(status, 10)).toEqual([]);
    expect(volEventRows(status, 11)).toEqual([]);
  });

  it('stores every column of its table except the partition keys', () => {
    for (const [rows, table] of [[surfaceEventRows(smile, 1), 'fits'], [surfaceEventRows(surface, 1), 'surfaces'], [volEventRows(point, 1), 'vol_points']] as const) {
      const cols = ARCHIVE_TABLES[table].columns.map((c) => c.name);
      expect(cols).not.toContain('underlying');
      expect(cols).not.toContain('venue');
      expect(cols).toContain('seq');
      for (const c of cols) expect(rows[0]!.row, `${table}.${c}`).toHaveProperty(c);
    }
  });
});
