export { createApp, parseTime, type AppDeps, type GatewayApp, type HealthSource } from './app.ts';
export { SurfaceStore, type StoreChange, type StoreEvent, type VenueEntry } from './store.ts';
export { parseGatewayConfig, type GatewayConfig, type WsLimits, type RateLimit } from './config.ts';
export { startGateway, serveGateway, type Gateway, type ServedGateway } from './server.ts';
export { startFeed, type Feed, type FeedStats } from './feed.ts';
export { StreamHub, type ClientSocket, type HubStats } from './ws/hub.ts';
export { fitExclusions, EXCLUSIONS, type Exclusion } from './fit-filter.ts';
export { readRange, natsHistory, type HistorySource, type SubjectReader } from './history.ts';
export { watchPipeline, pollPipeline, streamRates, type PipelineSnapshot } from './pipeline.ts';
export { RateLimiter, authenticate, parseApiKeys, type ApiKeys } from './auth.ts';
export { NotFoundError, ParamError, UnavailableError } from './errors.ts';
export type { ClientMessage, ServerMessage } from './ws/protocol.ts';
export type {
  SurfaceBody, LiveSurface, SmileBody, UnderlyingsBody, HealthBody, ExpiryFit, Quote, TenorsBody, MetricsBody, HistoryBody, InstrumentsBody,
} from './api/schemas.ts';
