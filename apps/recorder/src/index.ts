export { startRecorder, type RecorderHandle, type RecorderStats, type RecorderDeps } from './recorder.ts';
export { parseRecorderConfig, RecorderEnv, type RecorderConfig } from './config.ts';
export {
  ARCHIVE_TABLES, ARCHIVE_TABLE_NAMES, partitionOf, partitionDir, partName, parsePartName, surfaceEventRows, volEventRows,
  type ArchiveTable, type ArchiveRow, type Partition,
} from './rows.ts';
export { writePart, partRanges, TMP_DIR } from './parquet-part.ts';
