import type { SmileFit, SmileSlice, Surface, VolPoint } from '@volstream/events';
import type { Column, Row } from './duck.ts';

// Event -> row mappings shared by the replay file and the recorder's archive, so a fit reads the
// same (same columns, same units) wherever an analyst finds it. Vols are fractions, errors and
// RMSE in vol points as the events carry them; times are TIMESTAMP (UTC) built from ms.

/** `name@version`, the fitter id used in every table and partition path. */
export const fitterId = (f: { name: string; version: string }): string => `${f.name}@${f.version}`;

/** Key-sorted JSON, so the same map always gives the same text (determinism, diffs). */
export function stableJson(o: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** Columns of one fitted expiry (a SmileSlice): parameters, diagnostics, desk metrics. */
export const SLICE_COLUMNS: readonly Column[] = [
  { name: 'expiry', type: 'TIMESTAMP', doc: 'expiry time (UTC)' },
  { name: 't', type: 'DOUBLE', doc: 'years to expiry at fit time, ACT/365' },
  { name: 'forward', type: 'DOUBLE' },
  { name: 'a', type: 'DOUBLE', doc: 'raw SVI in total variance' },
  { name: 'b', type: 'DOUBLE' },
  { name: 'rho', type: 'DOUBLE' },
  { name: 'm', type: 'DOUBLE' },
  { name: 'sigma', type: 'DOUBLE' },
  { name: 'rmse', type: 'DOUBLE', doc: 'vega-weighted RMSE vs mid, vol points' },
  { name: 'max_error', type: 'DOUBLE', doc: 'vol points' },
  { name: 'in_spread', type: 'DOUBLE', doc: 'share of two-sided quotes fitted inside the spread' },
  { name: 'min_g', type: 'DOUBLE', doc: 'min Gatheral-Jacquier g(k); < 0 is butterfly arbitrage' },
  { name: 'iterations', type: 'INTEGER' },
  { name: 'ms', type: 'DOUBLE', doc: 'wall time of the fit: the one non-reproducible column' },
  { name: 'used', type: 'INTEGER', doc: 'quotes used by the fit' },
  { name: 'points', type: 'INTEGER', doc: 'quotes available' },
  { name: 'dropped', type: 'VARCHAR', doc: 'JSON: quotes dropped by reason' },
  { name: 'calendar_repaired', type: 'BOOLEAN' },
  { name: 'atm_vol', type: 'DOUBLE' },
  { name: 'rr25', type: 'DOUBLE' },
  { name: 'bf25', type: 'DOUBLE' },
  { name: 'rr10', type: 'DOUBLE' },
  { name: 'bf10', type: 'DOUBLE' },
  { name: 'skew', type: 'DOUBLE' },
];

// Rows are built by assigning fields into one object, never with `{ ...a, ...b }`: on Node 20
// an object spread followed by many properties is ~30x slower, and replay builds millions of rows.

/** Write the columns of a fitted expiry into `row`. */
export function sliceRow(s: SmileSlice, row: Row = {}): Row {
  const d = s.diagnostics;
  row.expiry = s.expiryTs; row.t = s.t; row.forward = s.forward;
  row.a = s.params.a; row.b = s.params.b; row.rho = s.params.rho; row.m = s.params.m; row.sigma = s.params.sigma;
  row.rmse = d.rmse; row.max_error = d.maxError; row.in_spread = d.inSpread; row.min_g = d.minG; row.iterations = d.iterations; row.ms = d.ms;
  row.used = d.used; row.points = s.points; row.dropped = stableJson(d.dropped); row.calendar_repaired = d.calendarRepaired ?? null;
  row.atm_vol = s.atmVol; row.rr25 = s.rr25; row.bf25 = s.bf25; row.rr10 = s.rr10; row.bf10 = s.bf10; row.skew = s.skew;
  return row;
}

const FITTER_COLUMNS: readonly Column[] = [
  { name: 'fitter', type: 'VARCHAR', doc: 'name@version' },
  { name: 'fitter_name', type: 'VARCHAR' },
  { name: 'fitter_version', type: 'VARCHAR' },
];


/** A surface.smile event: one fitted expiry at one fit time (`ts`). */
export const FIT_COLUMNS: readonly Column[] = [
  { name: 'id', type: 'VARCHAR', doc: 'event id (deterministic: equal live and on replay)' },
  { name: 'venue', type: 'VARCHAR' },
  { name: 'underlying', type: 'VARCHAR' },
  ...FITTER_COLUMNS,
  { name: 'ts', type: 'TIMESTAMP', doc: 'fit time (event time)' },
  { name: 'recv_ts', type: 'TIMESTAMP', doc: 'local receive time of the market data behind it' },
  ...SLICE_COLUMNS,
];

/** The row of a smile fit; `head` (e.g. a run id) goes first, `tail` (e.g. a sequence) last. */
export function fitRow(e: SmileFit, head: Row = {}, tail?: Row): Row {
  const row = head;
  row.id = e.id; row.venue = e.venue; row.underlying = e.underlying;
  row.fitter = fitterId(e.fitter); row.fitter_name = e.fitter.name; row.fitter_version = e.fitter.version;
  row.ts = e.ts; row.recv_ts = e.recvTs;
  sliceRow(e, row);
  return tail ? Object.assign(row, tail) : row;
}

/** A surface.surface event, one row per expiry, with the surface-level figures repeated. */
export const SURFACE_COLUMNS: readonly Column[] = [
  { name: 'id', type: 'VARCHAR' },
  { name: 'venue', type: 'VARCHAR' },
  { name: 'underlying', type: 'VARCHAR' },
  ...FITTER_COLUMNS,
  { name: 'ts', type: 'TIMESTAMP' },
  { name: 'recv_ts', type: 'TIMESTAMP' },
  { name: 'index30d', type: 'DOUBLE', doc: '30-day model-free vol index of the surface' },
  { name: 'tenors', type: 'VARCHAR', doc: 'JSON: fixed tenors (days) -> atmVol, rr25, bf25' },
  { name: 'expiries', type: 'INTEGER', doc: 'expiries in the surface' },
  ...SLICE_COLUMNS,
];

export function surfaceRows(e: Surface, tail?: Row): Row[] {
  const tenors = e.tenors ? JSON.stringify(e.tenors) : null;
  return e.expiries.map((s) => {
    const row: Row = {
      id: e.id, venue: e.venue, underlying: e.underlying, fitter: fitterId(e.fitter), fitter_name: e.fitter.name, fitter_version: e.fitter.version,
      ts: e.ts, recv_ts: e.recvTs, index30d: e.index30d ?? null, tenors, expiries: e.expiries.length,
    };
    sliceRow(s, row);
    return tail ? Object.assign(row, tail) : row;
  });
}

/** Fixed-tenor figures of a surface.surface event, one row per tenor. */
export const TENOR_COLUMNS: readonly Column[] = [
  { name: 'surface_id', type: 'VARCHAR' },
  { name: 'venue', type: 'VARCHAR' },
  { name: 'underlying', type: 'VARCHAR' },
  { name: 'fitter', type: 'VARCHAR' },
  { name: 'ts', type: 'TIMESTAMP' },
  { name: 'days', type: 'INTEGER' },
  { name: 'atm_vol', type: 'DOUBLE' },
  { name: 'rr25', type: 'DOUBLE' },
  { name: 'bf25', type: 'DOUBLE' },
  { name: 'index30d', type: 'DOUBLE' },
  { name: 'expiries', type: 'INTEGER' },
];

export function tenorRows(e: Surface, head: Row = {}): Row[] {
  const row = (x: { days: number | null; atmVol: number | null; rr25: number | null; bf25: number | null }): Row => Object.assign({}, head, {
    surface_id: e.id, venue: e.venue, underlying: e.underlying, fitter: fitterId(e.fitter), ts: e.ts,
    days: x.days, atm_vol: x.atmVol, rr25: x.rr25, bf25: x.bf25, index30d: e.index30d ?? null, expiries: e.expiries.length,
  });
  const tenors = e.tenors ?? [];
  // A surface without tenors still gets one row so its index and expiry count are kept.
  if (tenors.length === 0) return [row({ days: null, atmVol: null, rr25: null, bf25: null })];
  return tenors.map(row);
}

/** A vol.point event: implied vols of one option quote. */
export const VOL_POINT_COLUMNS: readonly Column[] = [
  { name: 'id', type: 'VARCHAR' },
  { name: 'venue', type: 'VARCHAR' },
  { name: 'underlying', type: 'VARCHAR' },
  { name: 'ts', type: 'TIMESTAMP' },
  { name: 'recv_ts', type: 'TIMESTAMP' },
  { name: 'instrument', type: 'VARCHAR' },
  { name: 'expiry', type: 'TIMESTAMP' },
  { name: 'strike', type: 'DOUBLE' },
  { name: 'option_type', type: 'VARCHAR' },
  { name: 'settlement', type: 'VARCHAR' },
  { name: 'contract_size', type: 'DOUBLE' },
  { name: 't', type: 'DOUBLE' },
  { name: 'forward', type: 'DOUBLE' },
  { name: 'k', type: 'DOUBLE', doc: 'ln(K/F)' },
  { name: 'bid', type: 'DOUBLE', doc: 'premium currency (coin for inverse)' },
  { name: 'ask', type: 'DOUBLE' },
  { name: 'mark', type: 'DOUBLE' },
  { name: 'bid_iv', type: 'DOUBLE' },
  { name: 'ask_iv', type: 'DOUBLE' },
  { name: 'mid_iv', type: 'DOUBLE' },
  { name: 'mark_iv', type: 'DOUBLE' },
  { name: 'delta', type: 'DOUBLE' },
  { name: 'vega', type: 'DOUBLE' },
  { name: 'reasons', type: 'VARCHAR', doc: 'JSON: why a side has no IV' },
];

export function volPointRow(e: VolPoint, tail?: Row): Row {
  const row: Row = {
    id: e.id, venue: e.venue, underlying: e.underlying, ts: e.ts, recv_ts: e.recvTs, instrument: e.instrument, expiry: e.expiryTs,
    strike: e.strike, option_type: e.optionType, settlement: e.settlement, contract_size: e.contractSize, t: e.t, forward: e.forward, k: e.k,
    bid: e.bid, ask: e.ask, mark: e.mark, bid_iv: e.bidIv, ask_iv: e.askIv, mid_iv: e.midIv, mark_iv: e.markIv, delta: e.delta, vega: e.vega,
    reasons: stableJson(e.reasons),
  };
  return tail ? Object.assign(row, tail) : row;
}
