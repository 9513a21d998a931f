import { FIT_COLUMNS } from './rows.ts';
import { quoteIdent } from './duck.ts';

/**
 * Views of a replay file that put fitters side by side and name a winner per metric. They read
 * only the tables, so they work on any replay file (and on one written by an older version).
 *
 * Buckets: days to expiry (t × 365) and forward log-moneyness k = ln(K/F) of each quote; hours
 * are UTC. Errors are in vol points. "lower is better" for every error and cost metric, "higher
 * is better" for the share of quotes fitted inside the bid-ask spread.
 */

/** Metrics compared, with their direction. */
export const METRIC_DIRECTIONS = {
  reject_rate: 'lower',
  rmse: 'lower',
  rmse_p95: 'lower',
  max_error: 'lower',
  in_spread: 'higher',
  butterfly_arb: 'lower',
  calendar_repaired: 'lower',
  quote_rmse: 'lower',
  quote_mae: 'lower',
  quote_bias_abs: 'lower',
  quote_in_spread: 'higher',
  iterations: 'lower',
  ms: 'lower',
} as const;
export type MetricName = keyof typeof METRIC_DIRECTIONS;

/** Days to expiry at fit time of a row with `expiry` and `ts` (equal to t × 365 of a fit). */
const DAYS = (a: string) => `((epoch_ms(${a}.expiry) - epoch_ms(${a}.ts)) / 86400000.0)`;
const EXPIRY_BUCKET = (a: string) => `CASE
    WHEN ${DAYS(a)} < 1 THEN '00-01d' WHEN ${DAYS(a)} < 7 THEN '01-07d' WHEN ${DAYS(a)} < 30 THEN '07-30d'
    WHEN ${DAYS(a)} < 90 THEN '30-90d' WHEN ${DAYS(a)} < 180 THEN '90-180d' ELSE '180d+' END`;

const K_EDGES = [-0.5, -0.3, -0.15, -0.05, 0.05, 0.15, 0.3, 0.5];
/** Labels that sort in k order: 'a: k<-0.50', 'b: -0.50..-0.30', ..., 'e: -0.05..0.05' (ATM), ... */
const K_BUCKET = (() => {
  const label = (i: number, text: string) => `'${String.fromCharCode(97 + i)}: ${text}'`;
  const parts = [`WHEN r.k < ${K_EDGES[0]} THEN ${label(0, `k<${K_EDGES[0]!.toFixed(2)}`)}`];
  for (let i = 1; i < K_EDGES.length; i++) {
    parts.push(`WHEN r.k < ${K_EDGES[i]} THEN ${label(i, `${K_EDGES[i - 1]!.toFixed(2)}..${K_EDGES[i]!.toFixed(2)}`)}`);
  }
  return `CASE ${parts.join(' ')} ELSE ${label(K_EDGES.length, `k>=${K_EDGES[K_EDGES.length - 1]!.toFixed(2)}`)} END`;
})();

const FIT_AGGREGATES = `count(*) FILTER (WHERE NOT rejected) AS fits, count(*) FILTER (WHERE rejected) AS rejected,
    avg(CASE WHEN rejected THEN 1.0 ELSE 0.0 END) AS reject_rate,
    avg(rmse) AS rmse, quantile_cont(rmse, 0.95) AS rmse_p95, avg(max_error) AS max_error, avg(in_spread) AS in_spread,
    avg(CASE WHEN min_g < 0 THEN 1.0 ELSE 0.0 END) AS butterfly_arb,
    avg(CASE WHEN calendar_repaired THEN 1.0 ELSE 0.0 END) AS calendar_repaired,
    avg(iterations) AS iterations, avg(ms) AS ms`;

const QUOTE_AGGREGATES = `count(error) AS quotes,
    sqrt(avg(error * error)) AS quote_rmse, avg(abs(error)) AS quote_mae, abs(avg(error)) AS quote_bias_abs, avg(error) AS quote_bias,
    avg(CASE WHEN in_spread THEN 1.0 WHEN NOT in_spread THEN 0.0 END) AS quote_in_spread`;

const FIT_METRICS: MetricName[] = ['reject_rate', 'rmse', 'rmse_p95', 'max_error', 'in_spread', 'butterfly_arb', 'calendar_repaired', 'iterations', 'ms'];
const QUOTE_METRICS: MetricName[] = ['quote_rmse', 'quote_mae', 'quote_bias_abs', 'quote_in_spread'];

/** `unpivot` a compare view into (dimension, bucket, fitter, metric, value). */
function longForm(view: string, dimension: string, bucketExpr: string, metrics: readonly MetricName[]): string {
  const cols = metrics.map((m) => `CAST(${m} AS DOUBLE) AS ${m}`).join(', ');
  return `SELECT '${dimension}' AS dimension, bucket, fitter, metric, value
  FROM (UNPIVOT (SELECT ${bucketExpr} AS bucket, fitter, ${cols} FROM ${view}) ON ${metrics.join(', ')} INTO NAME metric VALUE value)`;
}

const DIRECTIONS_SQL = `(VALUES ${Object.entries(METRIC_DIRECTIONS).map(([m, d]) => `('${m}', '${d}')`).join(', ')}) AS d(metric, better)`;

/** Columns of a fit compared between the live and the replayed fit (all but the wall time). */
const COMPARED = FIT_COLUMNS.map((c) => c.name).filter((n) => n !== 'ms');

export const VIEWS: readonly { name: string; doc: string; sql: string }[] = [
  {
    name: 'fit_attempts',
    doc: 'every replayed fit and every refused one (rejected = true), with expiry bucket and hour of day',
    sql: `SELECT f.run_id, f.fitter, f.venue, f.underlying, f.expiry, f.ts, ${DAYS('f')} AS days, ${EXPIRY_BUCKET('f')} AS expiry_bucket,
    hour(f.ts) AS hour_utc, false AS rejected, NULL AS reason, f.rmse, f.max_error, f.in_spread, f.min_g, f.calendar_repaired, f.iterations, f.ms,
    f.used, f.points, f.atm_vol, f.rr25, f.bf25
  FROM fits f
  UNION ALL BY NAME
  SELECT x.run_id, x.fitter, x.venue, x.underlying, x.expiry, x.ts, ${DAYS('x')} AS days, ${EXPIRY_BUCKET('x')} AS expiry_bucket,
    hour(x.ts) AS hour_utc, true AS rejected, x.reason
  FROM rejections x`,
  },
  {
    name: 'residual_buckets',
    doc: 'every quote residual with its moneyness and expiry bucket',
    sql: `SELECT r.*, ${K_BUCKET} AS k_bucket, ${EXPIRY_BUCKET('r')} AS expiry_bucket, hour(r.ts) AS hour_utc
  FROM residuals r`,
  },
  {
    name: 'compare_summary',
    doc: 'one row per fitter over the whole run',
    sql: `SELECT q.fitter, q.fits, q.rejected, q.reject_rate, q.rmse, q.rmse_p95, q.max_error, q.in_spread, q.butterfly_arb, q.calendar_repaired, q.iterations, q.ms,
    r.quotes, r.quote_rmse, r.quote_mae, r.quote_bias_abs, r.quote_bias, r.quote_in_spread
  FROM (SELECT fitter, ${FIT_AGGREGATES} FROM fit_attempts GROUP BY fitter) q
  LEFT JOIN (SELECT fitter, ${QUOTE_AGGREGATES} FROM residual_buckets WHERE otm GROUP BY fitter) r USING (fitter)
  ORDER BY q.fitter`,
  },
  {
    name: 'compare_by_expiry',
    doc: 'fitters side by side per expiry bucket (days to expiry)',
    sql: `SELECT q.expiry_bucket, q.fitter, q.fits, q.rejected, q.reject_rate, q.rmse, q.rmse_p95, q.max_error, q.in_spread, q.butterfly_arb, q.calendar_repaired, q.iterations, q.ms,
    r.quotes, r.quote_rmse, r.quote_mae, r.quote_bias_abs, r.quote_bias, r.quote_in_spread
  FROM (SELECT expiry_bucket, fitter, ${FIT_AGGREGATES} FROM fit_attempts GROUP BY ALL) q
  LEFT JOIN (SELECT expiry_bucket, fitter, ${QUOTE_AGGREGATES} FROM residual_buckets WHERE otm GROUP BY ALL) r USING (expiry_bucket, fitter)
  ORDER BY q.expiry_bucket, q.fitter`,
  },
  {
    name: 'compare_by_moneyness',
    doc: 'fitters side by side per moneyness bucket k = ln(K/F) of the quotes',
    sql: `SELECT k_bucket, fitter, ${QUOTE_AGGREGATES} FROM residual_buckets WHERE otm GROUP BY ALL ORDER BY k_bucket, fitter`,
  },
  {
    name: 'compare_by_time_of_day',
    doc: 'fitters side by side per hour of the day (UTC) of the fit',
    sql: `SELECT q.hour_utc, q.fitter, q.fits, q.rejected, q.reject_rate, q.rmse, q.rmse_p95, q.max_error, q.in_spread, q.butterfly_arb, q.calendar_repaired, q.iterations, q.ms,
    r.quotes, r.quote_rmse, r.quote_mae, r.quote_bias_abs, r.quote_bias, r.quote_in_spread
  FROM (SELECT hour_utc, fitter, ${FIT_AGGREGATES} FROM fit_attempts GROUP BY ALL) q
  LEFT JOIN (SELECT hour_utc, fitter, ${QUOTE_AGGREGATES} FROM residual_buckets WHERE otm GROUP BY ALL) r USING (hour_utc, fitter)
  ORDER BY q.hour_utc, q.fitter`,
  },
  {
    name: 'compare_long',
    doc: 'every comparison as (dimension, bucket, fitter, metric, value)',
    sql: [
      longForm('compare_summary', 'overall', `'all'`, [...FIT_METRICS, ...QUOTE_METRICS]),
      longForm('compare_by_expiry', 'expiry', 'expiry_bucket', [...FIT_METRICS, ...QUOTE_METRICS]),
      longForm('compare_by_moneyness', 'moneyness', 'k_bucket', QUOTE_METRICS),
      longForm('compare_by_time_of_day', 'time_of_day', `lpad(CAST(hour_utc AS VARCHAR), 2, '0') || 'h'`, [...FIT_METRICS, ...QUOTE_METRICS]),
    ].join('\n  UNION ALL\n  '),
  },
  {
    name: 'winners',
    doc: "the best fitter per metric in every bucket of every dimension ('tie' when the best two are equal), against the baseline",
    sql: `WITH ranked AS (
    SELECT c.*, d.better,
      row_number() OVER w AS rn,
      lead(c.value) OVER w AS runner_up_value
    FROM compare_long c JOIN ${DIRECTIONS_SQL} USING (metric)
    WHERE c.value IS NOT NULL AND isfinite(c.value)
    WINDOW w AS (PARTITION BY c.dimension, c.bucket, c.metric ORDER BY CASE WHEN d.better = 'lower' THEN c.value ELSE -c.value END, c.fitter)
  ), base AS (SELECT any_value(baseline) AS baseline FROM runs)
  SELECT r.dimension, r.bucket, r.metric, r.better,
    CASE WHEN r.runner_up_value = r.value THEN 'tie' ELSE r.fitter END AS winner,
    r.value AS winner_value, r.runner_up_value,
    base.baseline, b.value AS baseline_value, r.value - b.value AS diff_vs_baseline
  FROM ranked r CROSS JOIN base
  LEFT JOIN compare_long b ON b.dimension = r.dimension AND b.bucket = r.bucket AND b.metric = r.metric AND b.fitter = base.baseline
  WHERE r.rn = 1
  ORDER BY r.dimension, r.bucket, r.metric`,
  },
  {
    name: 'fit_pairs',
    doc: 'each fit of a non-baseline fitter next to the baseline fit of the same expiry and time',
    sql: `WITH base AS (SELECT any_value(baseline) AS baseline FROM runs)
  SELECT f.fitter, g.fitter AS baseline, f.venue, f.underlying, f.expiry, f.ts,
    f.rmse, g.rmse AS baseline_rmse, f.rmse - g.rmse AS d_rmse,
    f.in_spread - g.in_spread AS d_in_spread, f.max_error - g.max_error AS d_max_error,
    (f.atm_vol - g.atm_vol) * 100 AS d_atm_vol_pts, (f.rr25 - g.rr25) * 100 AS d_rr25_pts, (f.bf25 - g.bf25) * 100 AS d_bf25_pts
  FROM fits f CROSS JOIN base
  JOIN fits g ON g.run_id = f.run_id AND g.fitter = base.baseline AND g.venue = f.venue AND g.underlying = f.underlying AND g.expiry = f.expiry AND g.ts = f.ts
  WHERE f.fitter <> base.baseline`,
  },
  {
    name: 'live_vs_replay',
    doc: 'every live fit of the range next to the replayed fit with the same id',
    sql: `SELECT l.fitter, l.venue, l.underlying, l.expiry, l.ts, l.id, l.seq, f.id IS NOT NULL AS replayed,
    ${COMPARED.map((c) => `f.${quoteIdent(c)} IS NOT DISTINCT FROM l.${quoteIdent(c)}`).join(' AND ')} AS identical,
    greatest(abs(f.a - l.a), abs(f.b - l.b), abs(f.rho - l.rho), abs(f.m - l.m), abs(f.sigma - l.sigma)) AS max_param_diff,
    f.rmse - l.rmse AS d_rmse
  FROM live_fits l LEFT JOIN fits f ON f.run_id = l.run_id AND f.fitter = l.fitter AND f.id = l.id`,
  },
  {
    name: 'live_match',
    doc: 'per live fitter: how many live fits the replay reproduced exactly (every column but ms)',
    sql: `SELECT fitter, count(*) AS live_fits, count(*) FILTER (WHERE replayed) AS replayed, count(*) FILTER (WHERE identical) AS identical,
    max(max_param_diff) AS max_param_diff
  FROM live_vs_replay GROUP BY fitter ORDER BY fitter`,
  },
];

export function createViewsSql(): string[] {
  return VIEWS.map((v) => `CREATE OR REPLACE VIEW ${quoteIdent(v.name)} AS ${v.sql}`);
}
