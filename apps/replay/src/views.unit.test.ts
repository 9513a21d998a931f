import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRows, createTableSql, openDuck, queryJson, type Row, type TableSpec } from './duck.ts';
import { FITS, LIVE_FITS, REJECTIONS, REPLAY_TABLES, RESIDUALS, RUNS } from './tables.ts';
import { VIEWS, createViewsSql } from './views.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 4, 17, 6);
const EXP_SHORT = T0 + 3 * 86_400_000; // 3 days: bucket 01-07d
const EXP_LONG = T0 + 60 * 86_400_000; // 60 days: bucket 30-90d

/** A fit row with every column, defaults overridden. */
function fit(fitter: string, expiry: number, ts: number, o: Partial<Row> = {}): Row {
  const t = (expiry - ts) / (365 * 86_400_000);
  return {
    run_id: 'r1', id: `smile:${fitter}:${expiry}:${ts}`, venue: 'deribit', underlying: 'BTC', fitter, fitter_name: fitter.split('@')[0], fitter_version: '1',
    ts, recv_ts: ts + 5, expiry, t, forward: 95_000, a: 0.01, b: 0.05, rho: -0.2, m: 0, sigma: 0.1,
    rmse: 1, max_error: 2, in_spread: 0.8, min_g: 0.1, iterations: 50, ms: 1.5, used: 20, points: 22, dropped: '{}', calendar_repaired: false,
    atm_vol: 0.5, rr25: -0.02, bf25: 0.01, rr10: null, bf10: null, skew: null, ...o,
  };
}
function residual(fitter: string, ts: number, k: number, error: number, inSpread: boolean): Row {
  return { run_id: 'r1', fit_id: `smile:${fitter}:${EXP_LONG}:${ts}`, fitter, venue: 'deribit', underlying: 'BTC', expiry: EXP_LONG, ts, instrument: `X-${k}`, strike: 1, option_type: 'call', k, otm: true, quote_ts: ts, bid_iv: 0.5, ask_iv: 0.52, mid_iv: 0.51, mark_iv: 0.51, fit_iv: 0.51 + error / 100, error, in_spread: inSpread, vega: 1, delta: 0.5 };
}

describe('comparison views', () => {
  const db = { conn: undefined as unknown as Awaited<ReturnType<typeof openDuck>>['conn'], close: () => undefined as void };
  const put = (spec: TableSpec, rows: Row[]) => db.conn.createAppender(spec.name).then((a) => { appendRows(a, spec, rows); a.closeSync(); });

  beforeAll(async () => {
    Object.assign(db, await openDuck());
    for (const t of REPLAY_TABLES) await db.conn.run(createTableSql(t));
    await put(RUNS, [{ run_id: 'r1', underlying: 'BTC', from_ts: T0, to_ts: T0 + 2 * H, fitters: 'a@1,b@1', baseline: 'a@1', status: 'complete' }]);
    // a@1: better on the short expiry, worse on the long one; b@1 is slower everywhere.
    await put(FITS, [
      fit('a@1', EXP_SHORT, T0, { rmse: 0.5 }), fit('b@1', EXP_SHORT, T0, { rmse: 0.9, ms: 3 }),
      fit('a@1', EXP_LONG, T0, { rmse: 2.0 }), fit('b@1', EXP_LONG, T0, { rmse: 1.0, ms: 3 }),
      fit('a@1', EXP_LONG, T0 + H, { rmse: 2.0 }), fit('b@1', EXP_LONG, T0 + H, { rmse: 1.0, ms: 3 }),
    ]);
    await put(REJECTIONS, [{ run_id: 'r1', id: 'x', fitter: 'b@1', venue: 'deribit', underlying: 'BTC', expiry: EXP_SHORT, ts: T0 + H, reason: 'no', quotes: 3, kept_previous: true }]);
    await put(RESIDUALS, [
      residual('a@1', T0, -0.4, 1.0, false), residual('b@1', T0, -0.4, 0.2, true),
      residual('a@1', T0, 0.0, 0.1, true), residual('b@1', T0, 0.0, -0.3, true),
    ]);
    const live = fit('a@1', EXP_LONG, T0, { rmse: 2.0, ms: 99 });
    await put(LIVE_FITS, [{ ...live, seq: 10 }, { ...fit('a@1', EXP_LONG, T0 + H, { rmse: 2.0 }), a: 0.02, seq: 11 }, { ...fit('a@1', EXP_SHORT, T0 + 2 * H), seq: 12 }]);
    for (const sql of createViewsSql()) await db.conn.run(sql);
  });
  afterAll(() => db.close());

  const winner = async (dimension: string, bucket: string, metric: string) =>
    (await queryJson(db.conn, `SELECT * FROM winners WHERE dimension = '${dimension}' AND bucket = '${bucket}' AND metric = '${metric}'`))[0];

  it('every view runs', async () => {
    for (const v of VIEWS) await db.conn.run(`SELECT * FROM ${v.name}`);
  });

  it('puts fitters side by side per expiry bucket', async () => {
    const rows = await queryJson(db.conn, 'SELECT expiry_bucket, fitter, fits, rejected, rmse FROM compare_by_expiry');
    expect(rows).toEqual([
      { expiry_bucket: '01-07d', fitter: 'a@1', fits: '1', rejected: '0', rmse: 0.5 },
      { expiry_bucket: '01-07d', fitter: 'b@1', fits: '1', rejected: '1', rmse: 0.9 },
      { expiry_bucket: '30-90d', fitter: 'a@1', fits: '2', rejected: '0', rmse: 2 },
      { expiry_bucket: '30-90d', fitter: 'b@1', fits: '2', rejected: '0', rmse: 1 },
    ]);
  });

  it('names a winner per metric and bucket, against the baseline', async () => {
    expect(await winner('expiry', '01-07d', 'rmse')).toMatchObject({ winner: 'a@1', winner_value: 0.5, baseline: 'a@1', diff_vs_baseline: 0 });
    expect(await winner('expiry', '30-90d', 'rmse')).toMatchObject({ winner: 'b@1', winner_value: 1, baseline_value: 2, diff_vs_baseline: -1 });
    expect(await winner('overall', 'all', 'ms')).toMatchObject({ winner: 'a@1', winner_value: 1.5 });
    expect(await winner('overall', 'all', 'reject_rate')).toMatchObject({ winner: 'a@1', winner_value: 0 });
    expect(await winner('overall', 'all', 'max_error')).toMatchObject({ winner: 'tie' });
    // Higher is better for the share of quotes inside the spread.
    expect(await winner('moneyness', 'b: -0.50..-0.30', 'quote_in_spread')).toMatchObject({ winner: 'b@1', winner_value: 1 });
    expect(await winner('time_of_day', '06h', 'rmse')).toMatchObject({ winner: 'b@1' });
  });

  it('buckets quotes by moneyness in k order', async () => {
    const rows = await queryJson(db.conn, 'SELECT k_bucket, fitter, quotes, quote_rmse FROM compare_by_moneyness');
    expect(rows.map((r) => r.k_bucket)).toEqual(['b: -0.50..-0.30', 'b: -0.50..-0.30', 'e: -0.05..0.05', 'e: -0.05..0.05']);
    expect(rows[0]).toMatchObject({ fitter: 'a@1', quotes: '1', quote_rmse: 1 });
  });

  it('pairs fits with the baseline and matches live fits by id', async () => {
    const pairs = await queryJson(db.conn, 'SELECT fitter, baseline, d_rmse FROM fit_pairs ORDER BY ts, expiry');
    expect(pairs).toEqual([{ fitter: 'b@1', baseline: 'a@1', d_rmse: 0.4 }, { fitter: 'b@1', baseline: 'a@1', d_rmse: -1 }, { fitter: 'b@1', baseline: 'a@1', d_rmse: -1 }]);
    // One identical (ms differs only), one with a different parameter, one never replayed.
    expect(await queryJson(db.conn, 'SELECT * FROM live_match')).toEqual([{ fitter: 'a@1', live_fits: '3', replayed: '2', identical: '1', max_param_diff: 0.01 }]);
  });
});
