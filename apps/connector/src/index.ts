export { parseConnectorConfig, ConnectorEnv, type ConnectorConfig } from './config.ts';
export { startConnector, type ConnectorHandle, type ConnectorStats } from './connector.ts';
export { mapDeribitMessage, VENUE as DERIBIT, type DeribitContext, type DeribitControl } from './exchanges/deribit/mapper.ts';
export { mapOkxMessage } from './exchanges/okx/mapper.ts';
export { mapBybitMessage } from './exchanges/bybit/mapper.ts';
export { mapBinanceMessage } from './exchanges/binance/mapper.ts';
export { okxChecksum } from './exchanges/okx/checksum.ts';
export { parseDeribitName } from './exchanges/deribit/instrument-name.ts';
export { VENUE_NAMES, isVenueName, type VenueName } from './exchanges/names.ts';
export type { InstrumentInfo, MapResult, VenueMapper, VenueSession } from './venue.ts';
export { RpcError, RequestTimeoutError, SessionClosedError } from './errors.ts';
// Recording and `volstream import`: read a recording, map its frames as the live connector did.
export { FrameRecorder, PARTIAL_SUFFIX, type RecordedFrame } from './recording/recorder.ts';
export { readRecording, RecordedFrameRaw } from './recording/read.ts';
export { createMapperContext, mapRecordedFrame, type MapperContext, type MappedFrame } from './recording/replay.ts';
