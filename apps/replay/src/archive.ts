// The part of @volstream/replay the archive recorder shares: the event -> row mapping and the
// DuckDB helpers, without the pipeline cores (a separate entry so the recorder loads none of them).
export { FIT_COLUMNS, SURFACE_COLUMNS, VOL_POINT_COLUMNS, TENOR_COLUMNS, SLICE_COLUMNS, fitRow, surfaceRows, volPointRow, tenorRows, fitterId, stableJson } from './rows.ts';
export { openDuck, appendRows, createTableSql, quoteIdent, quoteLiteral, queryJson, TableWriter, type Column, type ColumnType, type Row, type TableSpec } from './duck.ts';
