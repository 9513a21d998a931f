// Public surface of @volstream/sim: the simulated Deribit venue (server + pure model).
export { startSimVenue, WS_PATH } from './server.ts';
export type { SimVenue, SimStats, StartOptions } from './server.ts';
export { parseSimConfig, DEFAULT_SIM_CONFIG, SimConfigError } from './config.ts';
export type { SimConfig } from './config.ts';
export { createRng } from './rng.ts';
export type { Rng } from './rng.ts';
export { initVenue, stepVenue, truthOf, bookSnapshot, bookChannel, tickerChannel, indexChannel, DEFAULT_MODEL_SETTINGS } from './model/venue.ts';
export type { InitVenueInput } from './model/venue.ts';
export { listExpiries, deribitDateLabel } from './model/calendar.ts';
export { UNDERLYING_SPECS } from './model/specs.ts';
export type * from './model/types.ts';
