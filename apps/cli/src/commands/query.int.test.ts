import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SmileFit, VolPoint } from '@volstream/events';
import { ARCHIVE_TABLES, partName, partitionDir, surfaceEventRows, volEventRows, writePart } from '@volstream/recorder';
import { FITS, ReplayFile, fitRow, openDuck } from '@volstream/replay';
import { EXAMPLES } from '../../../../libs/events/src/fixtures.ts';
import { queryCommand } from './query.ts';

const smile = EXAMPLES.find((e) => e.type === 'surface.smile') as SmileFit;
const point = EXAMPLES.find((e) => e.type === 'vol.point') as VolPoint;
const H = 3_600_000;

function collect() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out, err };
}

describe('volstream query over an archive and a replay file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'volstream-query-'));
    const archive = join(dir, 'archive');
    const db = await openDuck();
    // Two hours of fits and vol points, as the recorder writes them.
    for (const [i, ts] of [smile.ts, smile.ts + H].entries()) {
      for (const rows of [surfaceEventRows({ ...smile, ts, id: `s${i}` }, 10 + i), volEventRows({ ...point, ts, id: `v${i}` }, 20 + i)]) {
        const { partition, row } = rows[0]!;
        await writePart(db.conn, archive, ARCHIVE_TABLES[partition.table], [row], join(archive, partitionDir(partition), partName(10 + i, 10 + i)));
      }
    }
    db.close();
    const file = await ReplayFile.create(join(dir, 'out'));
    file.push(FITS, [{ run_id: 'r', ...fitRow(smile) }, { run_id: 'r', ...fitRow({ ...smile, id: 'e', fitter: { name: 'essvi', version: '1' }, diagnostics: { ...smile.diagnostics, rmse: 0.3 } }) }]);
    await file.finish({ runs: { run_id: 'r', underlying: 'BTC', from_ts: smile.ts, to_ts: smile.ts + H, baseline: 'svi-qe@1', fitters: 'svi-qe@1,essvi@1', status: 'complete' }, timing: { run_id: 'r' }, fitters: [] });
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads the archive views with their partition columns', async () => {
    const c = collect();
    const code = await queryCommand(['SELECT hour, underlying, venue, id, rmse FROM fits ORDER BY hour', '--archive', join(dir, 'archive'), '--format', 'json'], c.io);
    expect(c.err).toEqual([]);
    expect(code).toBe(0);
    const hour = (ts: number) => new Date(ts).toISOString().slice(11, 13);
    expect(JSON.parse(c.out[0]!)).toEqual([
      { hour: hour(smile.ts), underlying: 'BTC', venue: 'deribit', id: 's0', rmse: 0.4 },
      { hour: hour(smile.ts + H), underlying: 'BTC', venue: 'deribit', id: 's1', rmse: 0.4 },
    ]);
  });

  it('joins the archive with an attached replay (the --out folder is enough) and prints a table', async () => {
    const c = collect();
    const code = await queryCommand([
      "SELECT w.metric, w.winner, (SELECT count(*) FROM vol_points) AS points FROM replay.winners w WHERE dimension = 'overall' AND metric = 'rmse'",
      '--archive', join(dir, 'archive'), '--replay', join(dir, 'out'),
    ], c.io);
    expect(c.err).toEqual([]);
    expect(code).toBe(0);
    expect(c.out[0]!.split('\n')).toEqual(['metric  winner   points', '------  -------  ------', 'rmse    essvi@1       2', '(1 row)']);
  });

  it('prints csv', async () => {
    const c = collect();
    await queryCommand(['SELECT fitter, rmse FROM replay.fits ORDER BY fitter', '--replay', join(dir, 'out', 'replay.duckdb'), '--format', 'csv'], c.io);
    expect(c.out[0]).toBe('fitter,rmse\nessvi@1,0.3\nsvi-qe@1,0.4');
  });

  it('explains a missing archive table and SQL errors, exit 1', async () => {
    const c = collect();
    expect(await queryCommand(['SELECT * FROM surfaces', '--archive', join(dir, 'nowhere')], c.io)).toBe(1);
    expect(c.err[0]).toMatch(/surfaces.*\n\(no parquet files under .*nowhere\/surfaces yet/s);
    const d = collect();
    expect(await queryCommand(['SELEC 1'], d.io)).toBe(1);
    expect(d.err[0]).toMatch(/syntax error/i);
  });

  it('rejects bad options naming them', async () => {
    await expect(queryCommand(['SELECT 1', '--format', 'xml'], collect().io)).rejects.toThrow(/--format/);
    await expect(queryCommand(['SELECT 1', '--replay', join(dir, 'missing')], collect().io)).rejects.toThrow(/--replay: no such file/);
    expect(await queryCommand([], collect().io)).toBe(2);
  });
});
