export { replay, resolveFitters, type ReplayOptions, type ReplaySummary } from './replay.ts';
export { createReplayEngine, type PipelineCores, type EngineOptions, type EngineRows, type EngineStats, type ReplayEngine } from './engine.ts';
export { liveCores, settingsFromEnv, DEFAULT_SETTINGS, type ReplaySettings } from './cores.ts';
export { ReplayFile, REPLAY_FILE, PARQUET_DIR, exportParquet, readParquetSql } from './replay-file.ts';
export { REPLAY_TABLES, NON_REPRODUCIBLE, RUNS, RUN_TIMING, RUN_FITTERS, FITS, LIVE_FITS, RESIDUALS, METRICS, TENORS } from './tables.ts';
export { VIEWS, METRIC_DIRECTIONS, createViewsSql } from './views.ts';
export { formatProgress, formatDuration, formatCount, fractionDone, rates, type ProgressState } from './progress.ts';
export { readOrdered, countMessages, type StreamMessage } from './source.ts';
export { ReplayOptionsError } from './errors.ts';
export { RESIDUAL_COLUMNS, METRIC_COLUMNS, REJECTION_COLUMNS, residualRows, metricRow, rejectionRow } from './fit-rows.ts';
// Row mapping and DuckDB helpers (also the `@volstream/replay/archive` entry the recorder uses).
export * from './archive.ts';
