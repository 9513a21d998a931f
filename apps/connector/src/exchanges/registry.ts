import type { VenueSession, VenueSessionDeps } from '../venue.ts';
import type { ConnectorConfig } from '../config.ts';
import { startDeribitSession } from './deribit/client.ts';

/** Venues the connector can run; OKX, Bybit and Binance add one line each. */
export const VENUE_NAMES = ['deribit'] as const;
export type VenueName = (typeof VENUE_NAMES)[number];

export const VENUES: Record<VenueName, (config: ConnectorConfig, deps: VenueSessionDeps) => VenueSession> = {
  deribit: (config, deps) => startDeribitSession(config.deribit, deps),
};
