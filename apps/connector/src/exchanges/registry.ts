import type { StreamControl } from '../session/stream-control.ts';
import type { BookVerifier, RegistryContext } from '../session/pipeline.ts';
import type { VenueMapper, VenueSession, VenueSessionDeps } from '../venue.ts';
import type { ConnectorConfig } from '../config.ts';
import { startDeribitSession } from './deribit/client.ts';
import { mapDeribitMessage } from './deribit/mapper.ts';
import { startOkxSession } from './okx/session.ts';
import { mapOkxMessage } from './okx/mapper.ts';
import { OkxChecksumVerifier } from './okx/checksum.ts';
import { startBybitSession } from './bybit/session.ts';
import { mapBybitMessage } from './bybit/mapper.ts';
import { startBinanceSession } from './binance/session.ts';
import { mapBinanceMessage } from './binance/mapper.ts';
import type { VenueName } from './names.ts';

export { VENUE_NAMES, isVenueName, type VenueName } from './names.ts';

/** Session starters: one line per venue. */
export const VENUES: Record<VenueName, (config: ConnectorConfig, deps: VenueSessionDeps) => VenueSession> = {
  deribit: (config, deps) => startDeribitSession(config.deribit, deps),
  okx: (config, deps) => startOkxSession(config.okx, deps),
  bybit: (config, deps) => startBybitSession(config.bybit, deps),
  binance: (config, deps) => startBinanceSession(config.binance, deps),
};

/**
 * The pure mapper of each venue and the book verifier its session applies, so recorded frames
 * go through exactly what the live session ran (mapRecordedFrame). One mapper per venue: the
 * payloads themselves say which format they are (Binance 2023 vs 2025, OKX v3 vs v5).
 */
export const MAPPERS: Record<VenueName, { map: VenueMapper<RegistryContext, unknown>; verifier?: () => BookVerifier<unknown>; dropOlderSnapshots?: boolean }> = {
  deribit: { map: mapDeribitMessage as VenueMapper<RegistryContext, unknown> },
  okx: { map: mapOkxMessage as VenueMapper<RegistryContext, unknown>, verifier: () => new OkxChecksumVerifier() as BookVerifier<unknown> },
  bybit: { map: mapBybitMessage as VenueMapper<RegistryContext, unknown> },
  binance: { map: mapBinanceMessage as VenueMapper<RegistryContext, unknown>, dropOlderSnapshots: true },
};

export type { StreamControl };
