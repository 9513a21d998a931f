import type { Column, TableSpec } from './duck.ts';
import { FIT_COLUMNS, TENOR_COLUMNS } from './rows.ts';
import { METRIC_COLUMNS, REJECTION_COLUMNS, RESIDUAL_COLUMNS } from './fit-rows.ts';

const RUN_ID: Column = { name: 'run_id', type: 'VARCHAR', doc: 'hash of the inputs, fitters, settings and code version' };

/** One row per run; every column is reproducible (wall-clock figures live in run_timing). */
export const RUNS: TableSpec = {
  name: 'runs',
  doc: 'what was replayed, with which fitters, code and settings',
  columns: [
    RUN_ID,
    { name: 'underlying', type: 'VARCHAR' },
    { name: 'venue', type: 'VARCHAR', doc: 'null: every venue' },
    { name: 'from_ts', type: 'TIMESTAMP' },
    { name: 'to_ts', type: 'TIMESTAMP' },
    { name: 'from_stage', type: 'VARCHAR', doc: 'md (books and vols rebuilt) or vol' },
    { name: 'input_stream', type: 'VARCHAR' },
    { name: 'input_filter', type: 'VARCHAR' },
    { name: 'first_seq', type: 'BIGINT', doc: 'first stream sequence read (the stream start: cores warm up)' },
    { name: 'last_seq', type: 'BIGINT', doc: 'last stream sequence read' },
    { name: 'range_first_seq', type: 'BIGINT', doc: 'first sequence with event time in [from, to)' },
    { name: 'range_last_seq', type: 'BIGINT' },
    { name: 'first_event_ts', type: 'TIMESTAMP' },
    { name: 'last_event_ts', type: 'TIMESTAMP' },
    { name: 'inputs', type: 'BIGINT' },
    { name: 'undecodable', type: 'BIGINT' },
    { name: 'fits', type: 'BIGINT' },
    { name: 'live_fits', type: 'BIGINT' },
    { name: 'fitters', type: 'VARCHAR', doc: 'comma-separated name@version' },
    { name: 'baseline', type: 'VARCHAR' },
    { name: 'code_version', type: 'VARCHAR', doc: 'git commit (+dirty) of the code that ran' },
    { name: 'settings', type: 'VARCHAR', doc: 'JSON: the core settings used' },
    { name: 'status', type: 'VARCHAR', doc: 'complete | stream_end | interrupted' },
  ],
};

export const RUN_TIMING: TableSpec = {
  name: 'run_timing',
  doc: 'wall-clock figures of the run (not reproducible, kept apart from runs)',
  columns: [
    RUN_ID,
    { name: 'started_at', type: 'TIMESTAMP' },
    { name: 'wall_ms', type: 'DOUBLE' },
    { name: 'events_per_s', type: 'DOUBLE' },
    { name: 'market_x', type: 'DOUBLE', doc: 'market seconds replayed per wall second' },
  ],
};

export const RUN_FITTERS: TableSpec = {
  name: 'run_fitters',
  columns: [
    RUN_ID,
    { name: 'fitter', type: 'VARCHAR' },
    { name: 'fitter_name', type: 'VARCHAR' },
    { name: 'fitter_version', type: 'VARCHAR' },
    { name: 'description', type: 'VARCHAR' },
    { name: 'is_baseline', type: 'BOOLEAN' },
    { name: 'fits', type: 'BIGINT' },
    { name: 'rejected', type: 'BIGINT', doc: 'fit_rejected status events' },
  ],
};

export const FITS: TableSpec = { name: 'fits', doc: 'replayed fits: one row per fitter, expiry and fit time', columns: [RUN_ID, ...FIT_COLUMNS] };
export const LIVE_FITS: TableSpec = {
  name: 'live_fits',
  doc: 'fits the live system stored in the SURFACE stream in the range',
  columns: [RUN_ID, ...FIT_COLUMNS, { name: 'seq', type: 'BIGINT', doc: 'SURFACE stream sequence' }],
};
export const RESIDUALS: TableSpec = { name: 'residuals', doc: 'error of every replayed fit at every quote of its expiry', columns: RESIDUAL_COLUMNS };
export const METRICS: TableSpec = { name: 'metrics', doc: 'desk metrics per replayed fit', columns: METRIC_COLUMNS };
export const TENORS: TableSpec = { name: 'tenors', doc: 'fixed-tenor figures of every replayed surface', columns: [RUN_ID, ...TENOR_COLUMNS] };

export const REJECTIONS: TableSpec = { name: 'rejections', doc: 'fits the replayed surface cores refused (status fit_rejected)', columns: REJECTION_COLUMNS };

export const REPLAY_TABLES: readonly TableSpec[] = [RUNS, RUN_TIMING, RUN_FITTERS, FITS, LIVE_FITS, RESIDUALS, METRICS, TENORS, REJECTIONS];

/** Columns that are not reproducible, left out when two runs are compared. */
export const NON_REPRODUCIBLE: Readonly<Record<string, readonly string[]>> = {
  run_timing: ['started_at', 'wall_ms', 'events_per_s', 'market_x'],
  fits: ['ms'],
  live_fits: ['ms'],
};
