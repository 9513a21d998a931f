import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fitCommand } from './fit.ts';

const fixtures = fileURLToPath(new URL('../../../../libs/svi/src/fixtures/', import.meta.url));
const CSV = join(fixtures, 'deribit_options_chain_2020-05-14T0541Z_btc.tardis.csv');
const JSONL = join(fixtures, 'orderbook_chain_2020-05-14T0541Z_btc.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'volstream-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await fitCommand(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

type Output = {
  underlying: string;
  ts: number;
  fitter: { name: string; version: string };
  expiries: { expiry: string; expiryTs: number; t: number; forward: number; params: Record<string, number>; atmVol: number; rr25: number; bf25: number; rr10: number; bf10: number; rmse: number; maxError: number; inSpread: number; minG: number; points: number; dropped: Record<string, number> }[];
  rejected: { expiry: string; reason: string }[];
  tenors: Record<string, { atmVol: number } | null>;
  index30d: number | null;
};

describe('volstream fit', () => {
  it('fits the Tardis CSV fixture and prints the surface JSON', async () => {
    const r = await run(['--input', CSV]);
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as Output;
    expect(o.underlying).toBe('BTC');
    expect(o.fitter).toEqual({ name: 'svi-qe', version: '1' });
    expect(o.ts).toBe(1589435046537);
    expect(o.expiries.map((e) => e.expiry.slice(0, 10))).toEqual(['2020-05-15', '2020-05-22', '2020-05-29', '2020-06-26', '2020-09-25', '2020-12-25']);
    expect(o.rejected).toEqual([{ expiry: '2020-05-14T08:00:00.000Z', expiryTs: 1589443200000, t: expect.any(Number), reason: 'too_few_quotes: 3 < 5' }]);
    for (const e of o.expiries) {
      expect(Object.keys(e.params).sort()).toEqual(['a', 'b', 'm', 'rho', 'sigma']);
      expect(e.minG).toBeGreaterThanOrEqual(0);
      expect(e.atmVol).toBeGreaterThan(0.5);
      expect(e.atmVol).toBeLessThan(1.2);
      expect(e.points).toBeGreaterThanOrEqual(5);
      if (e.t > 2 / 365) expect(e.rmse).toBeLessThan(1.5);
    }
    // 7d… 180d lie inside 1d…225d; the index brackets 30d with 15d and 43d
    expect(Object.keys(o.tenors)).toEqual(['7', '30', '60', '90', '180']);
    for (const v of Object.values(o.tenors)) expect(v).not.toBeNull();
    expect(o.index30d).toBeGreaterThan(70);
    expect(o.index30d).toBeLessThan(110);
    expect(r.stderr).toContain('rows not used: itm_side=155 superseded_by_later_row=5');
  });

  it('reads .gz and Deribit JSON lines to the same surface (IVs recomputed from prices)', async () => {
    const gz = join(dir, 'chain.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(CSV)));
    const a = await run(['--input', CSV]);
    const b = await run(['-i', gz]);
    const c = await run(['--input', JSONL, '--underlying', 'btc']);
    expect(b.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(c.code).toBe(0);
    const oa = JSON.parse(a.stdout) as Output;
    const oc = JSON.parse(c.stdout) as Output;
    expect(oc.expiries.map((e) => e.params)).toEqual(oa.expiries.map((e) => e.params));
  });

  it('selects the fitter by name or name@version', async () => {
    const r = await run(['--input', CSV, '--fitter', 'essvi@1']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Output).fitter).toEqual({ name: 'essvi', version: '1' });
    const bad = await run(['--input', CSV, '--fitter', 'sabr']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown fitter "sabr" (known: essvi@1, svi-qe@1)');
  });

  it('names the malformed line', async () => {
    const lines = readFileSync(CSV, 'utf8').split('\n');
    lines[41] = 'deribit,BTC-22MAY20-9250-P,oops';
    const p = join(dir, 'bad.csv');
    writeFileSync(p, lines.join('\n'));
    const r = await run(['--input', p]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 42: expected 24 columns, got 3');
    const j = join(dir, 'bad.jsonl');
    writeFileSync(j, `${readFileSync(JSONL, 'utf8').split('\n')[0]}\n{"instrument_name":\n`);
    const rj = await run(['--input', j]);
    expect(rj.code).toBe(1);
    expect(rj.stderr).toMatch(/line 2: not valid JSON/);
  });

  it('prints help and rejects bad usage', async () => {
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: volstream fit --input FILE');
    expect((await run([])).code).toBe(2);
    expect((await run(['--nope'])).code).toBe(2);
    const missing = await run(['--input', join(dir, 'missing.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const eth = await run(['--input', CSV, '--underlying', 'ETH']);
    expect(eth.code).toBe(1);
    expect(eth.stderr).toContain('other_underlying=310');
  });
});
