import { rawToJumpWings, sviTotalVariance } from '@volstream/svi';
import type { SmileFit, Status, VolPoint } from '@volstream/events';
import type { Column, Row } from './duck.ts';
import { fitterId } from './rows.ts';

// Rows the replay derives from a fit beyond what the event carries: the error at every quote and
// the desk metrics. Pure functions of the fit and the vol points the engine held at fit time.

const KEY_COLUMNS: readonly Column[] = [
  { name: 'run_id', type: 'VARCHAR' },
  { name: 'fit_id', type: 'VARCHAR', doc: 'id of the surface.smile event' },
  { name: 'fitter', type: 'VARCHAR' },
  { name: 'venue', type: 'VARCHAR' },
  { name: 'underlying', type: 'VARCHAR' },
  { name: 'expiry', type: 'TIMESTAMP' },
  { name: 'ts', type: 'TIMESTAMP', doc: 'fit time' },
];
/** The key columns of a fit followed by `rest` (built as one literal: see rows.ts on spreads). */
const keyed = (runId: string, fitter: string, f: SmileFit, rest: Row): Row =>
  Object.assign({ run_id: runId, fit_id: f.id, fitter, venue: f.venue, underlying: f.underlying, expiry: f.expiryTs, ts: f.ts }, rest);

export const RESIDUAL_COLUMNS: readonly Column[] = [
  ...KEY_COLUMNS,
  { name: 'instrument', type: 'VARCHAR' },
  { name: 'strike', type: 'DOUBLE' },
  { name: 'option_type', type: 'VARCHAR' },
  { name: 'k', type: 'DOUBLE', doc: 'ln(K/F) at the forward of the fit (as the fitter saw it)' },
  { name: 'otm', type: 'BOOLEAN', doc: 'out of the money at the fit forward: the quotes the surface stage fits' },
  { name: 'quote_ts', type: 'TIMESTAMP', doc: 'time of the vol point used' },
  { name: 'bid_iv', type: 'DOUBLE' },
  { name: 'ask_iv', type: 'DOUBLE' },
  { name: 'mid_iv', type: 'DOUBLE' },
  { name: 'mark_iv', type: 'DOUBLE' },
  { name: 'fit_iv', type: 'DOUBLE', doc: '√(w(k)/t) of the fit at the quote' },
  { name: 'error', type: 'DOUBLE', doc: 'fit_iv − mid_iv in vol points (1 = 1%)' },
  { name: 'in_spread', type: 'BOOLEAN', doc: 'bid_iv ≤ fit_iv ≤ ask_iv; null when not two-sided' },
  { name: 'vega', type: 'DOUBLE' },
  { name: 'delta', type: 'DOUBLE' },
];

/**
 * Error of a fit at every quote of its expiry held at fit time: the fitted vol
 * σ(k) = √(w(k)/t) with the fit's own t and forward (k = ln(K/F_fit), as the surface stage
 * recomputes it), against the quote's bid/mid/ask IVs. Quotes with no IV at all are skipped.
 */
export function residualRows(runId: string, fit: SmileFit, points: Iterable<VolPoint>): Row[] {
  const fitter = fitterId(fit.fitter);
  const out: Row[] = [];
  for (const p of points) {
    if (p.bidIv === null && p.askIv === null && p.midIv === null && p.markIv === null) continue;
    const k = Math.log(p.strike / fit.forward);
    const w = sviTotalVariance(fit.params, k);
    const fitIv = w > 0 && fit.t > 0 ? Math.sqrt(w / fit.t) : null;
    out.push(keyed(runId, fitter, fit, {
      instrument: p.instrument, strike: p.strike, option_type: p.optionType, k, otm: (p.optionType === 'call') === (p.strike >= fit.forward), quote_ts: p.ts,
      bid_iv: p.bidIv, ask_iv: p.askIv, mid_iv: p.midIv, mark_iv: p.markIv, fit_iv: fitIv,
      error: fitIv !== null && p.midIv !== null ? (fitIv - p.midIv) * 100 : null,
      in_spread: fitIv !== null && p.bidIv !== null && p.askIv !== null ? p.bidIv <= fitIv && fitIv <= p.askIv : null,
      vega: p.vega, delta: p.delta,
    }));
  }
  return out;
}

export const REJECTION_COLUMNS: readonly Column[] = [
  { name: 'run_id', type: 'VARCHAR' },
  { name: 'id', type: 'VARCHAR', doc: 'id of the status event' },
  { name: 'fitter', type: 'VARCHAR' },
  { name: 'venue', type: 'VARCHAR' },
  { name: 'underlying', type: 'VARCHAR' },
  { name: 'expiry', type: 'TIMESTAMP' },
  { name: 'ts', type: 'TIMESTAMP', doc: 'fit time' },
  { name: 'reason', type: 'VARCHAR' },
  { name: 'quotes', type: 'INTEGER' },
  { name: 'kept_previous', type: 'BOOLEAN', doc: 'the previous fit of the expiry stayed published' },
];

/** A fit the surface core refused (status fit_rejected): the expiry keeps its previous fit. */
export function rejectionRow(runId: string, fitter: string, e: Status): Row {
  const d = e.detail ?? {};
  return {
    run_id: runId, id: e.id, fitter, venue: e.venue, underlying: e.underlying ?? null, expiry: e.expiryTs ?? null, ts: e.ts, reason: e.reason,
    quotes: typeof d.quotes === 'number' ? d.quotes : null, kept_previous: typeof d.keptPrevious === 'boolean' ? d.keptPrevious : null,
  };
}

export const METRIC_COLUMNS: readonly Column[] = [
  ...KEY_COLUMNS,
  { name: 'days', type: 'DOUBLE', doc: 'days to expiry (t × 365)' },
  { name: 'atm_vol', type: 'DOUBLE', doc: 'forward ATM (k = 0) vol' },
  { name: 'rr25', type: 'DOUBLE', doc: 'σ(25Δ call) − σ(25Δ put)' },
  { name: 'bf25', type: 'DOUBLE', doc: '(σ25C + σ25P)/2 − σATM' },
  { name: 'rr10', type: 'DOUBLE' },
  { name: 'bf10', type: 'DOUBLE' },
  { name: 'skew', type: 'DOUBLE' },
  { name: 'atm_w', type: 'DOUBLE', doc: 'ATM total variance w(0)' },
  { name: 'min_w', type: 'DOUBLE', doc: 'minimum total variance a + bσ√(1−ρ²)' },
  { name: 'put_wing', type: 'DOUBLE', doc: 'left wing slope b(1−ρ) (Lee: ≤ 2)' },
  { name: 'call_wing', type: 'DOUBLE', doc: 'right wing slope b(1+ρ) (Lee: ≤ 2)' },
  { name: 'jw_v', type: 'DOUBLE', doc: 'SVI jump-wings: ATM variance per year' },
  { name: 'jw_psi', type: 'DOUBLE', doc: 'ATM skew' },
  { name: 'jw_p', type: 'DOUBLE', doc: 'put wing' },
  { name: 'jw_c', type: 'DOUBLE', doc: 'call wing' },
  { name: 'jw_vtilde', type: 'DOUBLE', doc: 'minimum variance per year' },
];

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** Desk metrics of one fitted expiry: the event's own figures plus the slice's shape in SVI and
 * SVI-JW terms (Gatheral-Jacquier 2014 §3.3, trader-readable). */
export function metricRow(runId: string, f: SmileFit): Row {
  const p = f.params;
  const jw = rawToJumpWings(p, f.t);
  return keyed(runId, fitterId(f.fitter), f, {
    days: f.t * 365,
    atm_vol: f.atmVol, rr25: f.rr25, bf25: f.bf25, rr10: f.rr10, bf10: f.bf10, skew: f.skew,
    atm_w: sviTotalVariance(p, 0), min_w: p.a + p.b * p.sigma * Math.sqrt(Math.max(0, 1 - p.rho * p.rho)),
    put_wing: p.b * (1 - p.rho), call_wing: p.b * (1 + p.rho),
    jw_v: finite(jw.v), jw_psi: finite(jw.psi), jw_p: finite(jw.p), jw_c: finite(jw.c), jw_vtilde: finite(jw.vTilde),
  });
}
