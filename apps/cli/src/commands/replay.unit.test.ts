import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplayFile, type ReplayOptions, type ReplaySummary } from '@volstream/replay';
import { parseIsoTime, replayCommand } from './replay.ts';

function collect() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out, err };
}

describe('volstream replay', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'volstream-replay-cmd-'));
    const f = await ReplayFile.create(dir);
    file = await f.finish({ runs: { run_id: 'r', underlying: 'BTC', baseline: 'svi-qe@1', status: 'complete' }, timing: { run_id: 'r' }, fitters: [] });
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads ISO times as UTC unless they carry a zone', () => {
    expect(parseIsoTime('--from', '2026-05-17')).toBe(Date.UTC(2026, 4, 17));
    expect(parseIsoTime('--from', '2026-05-17T06:30')).toBe(Date.UTC(2026, 4, 17, 6, 30));
    expect(parseIsoTime('--from', '2026-05-17T06:30:00Z')).toBe(Date.UTC(2026, 4, 17, 6, 30));
    expect(parseIsoTime('--from', '2026-05-17T08:30+02:00')).toBe(Date.UTC(2026, 4, 17, 6, 30));
    expect(() => parseIsoTime('--to', 'yesterday')).toThrow(/--to: not an ISO time \(got "yesterday"\)/);
    expect(() => parseIsoTime('--to', undefined)).toThrow(/--to: required/);
  });

  it('names the option that is missing or wrong', async () => {
    const base = ['--underlying', 'BTC', '--from', '2026-05-17', '--to', '2026-05-18', '--fitters', 'svi-qe', '--out', dir];
    const without = (flag: string) => base.filter((_, i) => base[i] !== flag && base[i - 1] !== flag);
    for (const flag of ['--underlying', '--out', '--fitters', '--from']) await expect(replayCommand(without(flag), collect().io)).rejects.toThrow(flag);
    await expect(replayCommand([...base, '--from-stage', 'book'], collect().io)).rejects.toThrow(/--from-stage: md or vol/);
    await expect(replayCommand([...base.slice(0, 4), '--to', '2026-05-16', ...base.slice(6)], collect().io)).rejects.toThrow(/--from must be before --to/);
    await expect(replayCommand([...base, '--residuals-every-ms', '-1'], collect().io)).rejects.toThrow(/--residuals-every-ms/);
    await expect(replayCommand([...base.slice(0, 6), '--fitters', 'nope', ...base.slice(8)], collect().io)).rejects.toThrow(/--fitters: unknown fitter "nope"/);
    await expect(replayCommand([...base, '--baseline', 'essvi'], collect().io)).rejects.toThrow(/--baseline: essvi@1 is not among --fitters/);
  });

  it('passes the options and the live settings to the replay, shows progress, prints a summary', async () => {
    let seen: ReplayOptions | undefined;
    const progress: string[] = [];
    const summary: ReplaySummary = {
      runId: 'r', file, parquetDir: join(dir, 'parquet'), status: 'complete', fitters: ['svi-qe@1', 'essvi@1'], baseline: 'svi-qe@1', inputs: 12_345, undecodable: 0,
      firstSeq: 1, lastSeq: 12_345, firstTs: Date.UTC(2026, 4, 17), lastTs: Date.UTC(2026, 4, 17, 1), fits: { 'svi-qe@1': 100, 'essvi@1': 98 }, rejected: { 'svi-qe@1': 0, 'essvi@1': 2 },
      rows: { residuals: 5000 }, liveFits: 100, wallMs: 2000, eventsPerS: 6172, marketX: 1800,
    };
    const c = collect();
    const code = await replayCommand(
      ['--underlying', 'BTC', '--from', '2026-05-17', '--to', '2026-05-17T01:00', '--fitters', 'svi-qe, essvi', '--baseline', 'svi-qe', '--from-stage', 'vol', '--out', dir, '--skip-parquet'],
      c.io,
      {
        env: { NATS_URL: 'nats://127.0.0.1:4999', FIT_INTERVAL_MS: '2000' },
        progress: { write: (s) => void progress.push(s), isTTY: true },
        replay: async (o) => {
          seen = o;
          o.onProgress?.({ read: 50, total: 100, firstTs: 0, lastTs: 1000, toTs: 2000, elapsedMs: 1000, fits: 3 });
          return summary;
        },
      },
    );
    expect(code).toBe(0);
    expect(seen).toMatchObject({
      natsUrl: 'nats://127.0.0.1:4999', underlying: 'BTC', from: Date.UTC(2026, 4, 17), to: Date.UTC(2026, 4, 17, 1), fitters: ['svi-qe', 'essvi'], baseline: 'svi-qe',
      fromStage: 'vol', outDir: dir, parquet: false, residualsEveryMs: 0, settings: { fitIntervalMs: 2000 },
    });
    expect(progress[0]).toMatch(/^\r\[#+-*\]  50\.0% .* left 0:01\x1b\[K$/);
    expect(c.out[0]).toBe('replay r complete: 12,345 inputs (seq 1..12345, 2026-05-17 00:00:00 .. 2026-05-17 01:00:00)');
    expect(c.out).toContain('  essvi@1                 98 fits      2 rejected');
    expect(c.out.at(-1)).toBe(`file: ${file}   parquet: ${join(dir, 'parquet')}`);
  });
});
