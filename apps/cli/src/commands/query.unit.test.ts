import { describe, expect, it } from 'vitest';
import { formatCsv, formatJson, formatTable } from './query.ts';

const cols = ['fitter', 'fits', 'rmse', 'note'];
const rows = [['svi-qe@1', '120', 0.412345678, null], ['essvi@1', '7', 1.5, 'a, "quoted"\nline']];

describe('query output formats', () => {
  it('table: aligned columns, numbers to the right, NULL shown, line breaks escaped, row count', () => {
    expect(formatTable(cols, rows, 200, [false, true, true, false]).split('\n')).toEqual([
      'fitter    fits      rmse  note',
      '--------  ----  --------  -----------------',
      'svi-qe@1   120  0.412346  NULL',
      'essvi@1      7       1.5  a, "quoted"\\nline',
      '(2 rows)',
    ]);
  });

  it('table: says how many rows were not shown', () => {
    expect(formatTable(['x'], [[1], [2], [3]], 2).split('\n').at(-1)).toBe('(3 rows, 1 not shown: --max-rows or --format csv)');
    expect(formatTable(['x'], []).split('\n')).toEqual(['x', '-', '(0 rows)']);
  });

  it('csv: RFC 4180 quoting, NULL as empty', () => {
    expect(formatCsv(cols, rows)).toBe('fitter,fits,rmse,note\nsvi-qe@1,120,0.412345678,\nessvi@1,7,1.5,"a, ""quoted""\nline"');
  });

  it('json: an array of row objects with full precision', () => {
    expect(JSON.parse(formatJson(cols, rows))).toEqual([
      { fitter: 'svi-qe@1', fits: '120', rmse: 0.412345678, note: null },
      { fitter: 'essvi@1', fits: '7', rmse: 1.5, note: 'a, "quoted"\nline' },
    ]);
  });
});
