import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../libs/events/src/fixtures.ts';
import type { SmileFit, Surface, VolPoint } from '@volstream/events';
import { FIT_COLUMNS, SURFACE_COLUMNS, TENOR_COLUMNS, VOL_POINT_COLUMNS, fitRow, stableJson, surfaceRows, tenorRows, volPointRow } from './rows.ts';
import type { Column, Row } from './duck.ts';

const smile = EXAMPLES.find((e) => e.type === 'surface.smile') as SmileFit;
const surface = EXAMPLES.find((e) => e.type === 'surface.surface') as Surface;
const point = EXAMPLES.find((e) => e.type === 'vol.point') as VolPoint;

/** Every column is present, no key is left over, and numbers are finite. */
function expectShape(row: Row, cols: readonly Column[]) {
  expect(Object.keys(row).sort()).toEqual(cols.map((c) => c.name).sort());
  for (const c of cols) {
    const v = row[c.name];
    if (v === null) continue;
    if (['DOUBLE', 'INTEGER', 'BIGINT', 'TIMESTAMP'].includes(c.type)) expect(Number.isFinite(v), c.name).toBe(true);
    if (c.type === 'VARCHAR') expect(typeof v, c.name).toBe('string');
    if (c.type === 'BOOLEAN') expect(typeof v, c.name).toBe('boolean');
  }
}

describe('event -> row mapping', () => {
  it('maps a smile fit to one row with every fit column', () => {
    const row = fitRow(smile);
    expectShape(row, FIT_COLUMNS);
    expect(row).toMatchObject({ id: 's:1', fitter: 'svi-qe@1', fitter_name: 'svi-qe', fitter_version: '1', ts: smile.ts, expiry: smile.expiryTs, a: 0.001, rmse: 0.4, in_spread: 0.97, dropped: '{"crossed":1}', calendar_repaired: null });
  });

  it('maps a surface to one row per expiry, repeating the surface-level figures', () => {
    const two: Surface = { ...surface, expiries: [surface.expiries[0]!, { ...surface.expiries[0]!, expiryTs: surface.expiries[0]!.expiryTs + 86_400_000 }] };
    const rows = surfaceRows(two);
    expect(rows).toHaveLength(2);
    for (const r of rows) { expectShape(r, SURFACE_COLUMNS); expect(r.index30d).toBe(0.51); expect(r.expiries).toBe(2); }
    expect(JSON.parse(rows[0]!.tenors as string)).toEqual(surface.tenors);
  });

  it('maps tenors, keeping one row for a surface without them', () => {
    expect(tenorRows(surface)).toEqual([expect.objectContaining({ days: 30, atm_vol: 0.5, surface_id: 'S:1', fitter: 'svi-qe@1' })]);
    for (const r of tenorRows(surface)) expectShape(r, TENOR_COLUMNS);
    const bare = tenorRows({ ...surface, tenors: undefined, index30d: undefined });
    expect(bare).toEqual([expect.objectContaining({ days: null, index30d: null })]);
  });

  it('maps a vol point, nulls and reasons included', () => {
    expectShape(volPointRow(point), VOL_POINT_COLUMNS);
    const empty = EXAMPLES.filter((e) => e.type === 'vol.point')[1] as VolPoint;
    const r = volPointRow(empty);
    expect(r).toMatchObject({ bid: null, bid_iv: null, mid_iv: null, reasons: '{"bid":"no_quote","mark":"no_quote","mid":"no_quote"}' });
  });

  it('stableJson sorts keys and drops undefined', () => {
    expect(stableJson({ b: 1, a: 2, c: undefined })).toBe('{"a":2,"b":1}');
  });
});
