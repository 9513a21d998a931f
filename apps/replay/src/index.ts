export { replay, resolveFitters, type ReplayOptions, type ReplaySummary } from './replay.ts';
export { createReplayEngine, type PipelineCores, type EngineOptions, type EngineRows, type EngineStats, type ReplayEngine } from './engine.ts';
export { liveCores, settingsFromEnv, DEFAULT_SETTINGS, type ReplaySettings } from './cores.ts';
export { ReplayFile, REPLAY_FILE, PARQUET_DIR, exportParquet, readParquetSql } from './replay-file.ts';
export { REPLAY_TABLES, NON_REPRODUCIBLE, RUNS, RUN_TIMING, RUN_FITTERS, FITS, LIVE_FITS, RESIDUALS, METRICS, TENORS } from './tables.ts';
export { VIEWS, METRIC_DIRECTIONS, createViewsSql } from './views.ts';
export { formatProgress, formatDuration, formatCount, fractionDone, rates, type ProgressState } from './progress.ts';
export { readOrdered, countMessages, type StreamMessage } from './source.ts';
export { ReplayOptionsError } from './errors.ts';
// Shared with the recorder: the same event -> row mapping and DuckDB helpers for the archive.
export { FIT_COLUMNS, SURFACE_COLUMNS, VOL_POINT_COLUMNS, TENOR_COLUMNS, SLICE_COLUMNS, fitRow, surfaceRows, volPointRow, tenorRows, fitterId, stableJson } from './rows.ts';
export { RESIDUAL_COLUMNS, METRIC_COLUMNS, residualRows, metricRow } from './fit-rows.ts';
export { openDuck, appendRows, createTableSql, quoteIdent, quoteLiteral, queryJson, TableWriter, type Column, type ColumnType, type Row, type TableSpec } from './duck.ts';
