export { parseConnectorConfig, ConnectorEnv, type ConnectorConfig } from './config.ts';
export { startConnector, type ConnectorHandle, type ConnectorStats } from './connector.ts';
export { mapDeribitMessage, VENUE as DERIBIT, type DeribitContext, type DeribitControl, type InstrumentInfo } from './exchanges/deribit/mapper.ts';
export { parseDeribitName } from './exchanges/deribit/instrument-name.ts';
export type { MapResult, VenueMapper, VenueSession } from './venue.ts';
export { RpcError, RequestTimeoutError, SessionClosedError } from './errors.ts';
