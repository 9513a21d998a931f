import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectNats, type NatsConnection } from '@volstream/runtime';
import { startNatsServer, type NatsServer } from '@volstream/runtime/testing';
import { black76Price, mulberry32, sviTotalVariance, TARDIS_OPTIONS_CHAIN_HEADER } from '@volstream/svi';
import { openDuck, queryJson } from '@volstream/replay';
import { runLiveStages, trueSmile } from '@volstream/replay/testing';
import { importFile } from '../import/importer.ts';
import { replayCommand } from './replay.ts';

const T0 = Date.UTC(2026, 4, 17, 6, 0);
const DAY = 86_400_000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const EXPIRIES = [3, 10, 40].map((d) => {
  const expiryTs = Math.floor(T0 / DAY) * DAY + 8 * 3_600_000 + d * DAY;
  const dt = new Date(expiryTs);
  const tag = `${dt.getUTCDate()}${MONTHS[dt.getUTCMonth()]}${String(dt.getUTCFullYear()).slice(2)}`;
  return { expiryTs, params: trueSmile((expiryTs - T0) / DAY), t0: (expiryTs - T0) / DAY / 365, tag };
});

/** A Tardis options_chain CSV of a few minutes of Deribit BTC options priced from known smiles. */
function tardisChain(minutes: number): string {
  const rand = mulberry32(3);
  const forward0 = 95_000;
  const options = EXPIRIES.flatMap((e) => {
    const sd = Math.sqrt(sviTotalVariance(e.params, 0));
    return Array.from({ length: 10 }, (_, i) => Math.round((forward0 * Math.exp(-2 * sd + (4 * sd * i) / 9)) / 1000) * 1000)
      .flatMap((strike) => (['call', 'put'] as const).map((type) => ({ e, strike, type, symbol: `BTC-${e.tag}-${strike}-${type === 'call' ? 'C' : 'P'}` })));
  });
  const rows = [TARDIS_OPTIONS_CHAIN_HEADER.join(',')];
  let forward = forward0;
  for (let ts = T0; ts < T0 + minutes * 60_000; ts += 50) {
    forward *= 1 + (rand() - 0.5) * 1e-4;
    const o = options[Math.floor(rand() * options.length)]!;
    const t = (o.e.expiryTs - ts) / (365 * DAY);
    const k = Math.log(o.strike / forward);
    const vol = Math.sqrt(sviTotalVariance(o.e.params, k) / o.e.t0) + (rand() - 0.5) * 0.004;
    const half = 0.005 + rand() * 0.01;
    const coin = (s: number) => (black76Price({ forward, strike: o.strike, t, sigma: s, isCall: o.type === 'call' }) / forward).toFixed(6);
    const cell: Record<string, string | number> = {
      exchange: 'deribit', symbol: o.symbol, timestamp: ts * 1000, local_timestamp: ts * 1000 + 1500, type: o.type, strike_price: o.strike, expiration: o.e.expiryTs * 1000,
      bid_price: coin(vol - half), bid_amount: 5, bid_iv: ((vol - half) * 100).toFixed(2), ask_price: coin(vol + half), ask_amount: 7, ask_iv: ((vol + half) * 100).toFixed(2),
      mark_price: coin(vol), mark_iv: (vol * 100).toFixed(2), underlying_index: `SYN.BTC-${o.e.tag}`, underlying_price: forward.toFixed(2),
    };
    rows.push(TARDIS_OPTIONS_CHAIN_HEADER.map((c) => cell[c] ?? '').join(','));
  }
  return rows.join('\n') + '\n';
}

describe('volstream replay of an imported Tardis options_chain file', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let dir: string;
  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats({ url: nats.url, name: 'test' });
    dir = await mkdtemp(join(tmpdir(), 'volstream-tardis-'));
    const csv = join(dir, 'deribit_options_chain.csv');
    await writeFile(csv, tardisChain(4));
    const imported = await importFile({ nc, input: csv });
    expect(imported.refused).toEqual({});
    // The live stages over the imported history, as `volstream start` would run them.
    await runLiveStages({ nc, env: { NATS_URL: nats.url, FITTER: 'svi-qe' } });
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('replays it from the MD stream with two fitters, reproducing the live fits', async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s) };
    const code = await replayCommand(
      ['--underlying', 'BTC', '--from', '2026-05-17T06:00:30Z', '--to', '2026-05-17T06:03:30Z', '--fitters', 'svi-qe,essvi', '--out', join(dir, 'out'), '--skip-parquet'],
      io,
      { env: { NATS_URL: nats.url }, progress: { write: () => undefined, isTTY: false } },
    );
    expect(code, out.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(/live svi-qe@1: (\d+)\/\1 live fits reproduced exactly/);
    const db = await openDuck(join(dir, 'out', 'replay.duckdb'));
    try {
      const fits = await queryJson(db.conn, 'SELECT fitter, count(*) AS n, avg(rmse) AS rmse FROM fits GROUP BY fitter ORDER BY fitter');
      expect(fits.map((f) => f.fitter)).toEqual(['essvi@1', 'svi-qe@1']);
      for (const f of fits) expect(Number(f.n)).toBeGreaterThan(100);
      const [run] = await queryJson(db.conn, 'SELECT from_stage, input_stream, status FROM runs');
      expect(run).toEqual({ from_stage: 'md', input_stream: 'VS_MD', status: 'complete' });
      // The smiles the file was priced from come back: ATM vol within half a vol point.
      for (const e of EXPIRIES) {
        const [row] = await queryJson(db.conn, `SELECT fitter, avg(atm_vol) AS atm FROM fits WHERE epoch_ms(expiry) = ${e.expiryTs} AND fitter = 'svi-qe@1' GROUP BY fitter`);
        const truth = Math.sqrt(sviTotalVariance(e.params, 0) / e.t0);
        expect(Math.abs(Number(row!.atm) - truth) * 100, e.tag).toBeLessThan(0.5);
      }
    } finally {
      db.close();
    }
  });
});
