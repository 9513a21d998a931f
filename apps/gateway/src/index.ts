export { createApp, type AppDeps, type GatewayApp, type HealthSource } from './app.ts';
export { SurfaceStore, type StoreChange, type StoreEvent, type VenueEntry } from './store.ts';
export { parseGatewayConfig, type GatewayConfig, type WsLimits } from './config.ts';
export { startGateway, serveGateway, type Gateway, type ServedGateway } from './server.ts';
export { startFeed, type Feed, type FeedStats } from './feed.ts';
export { StreamHub, type ClientSocket, type HubStats } from './ws/hub.ts';
export type { ClientMessage, ServerMessage } from './ws/protocol.ts';
export type { SurfaceBody, LiveSurface, SmileBody, UnderlyingsBody, HealthBody, ExpiryFit, Quote } from './api/schemas.ts';
