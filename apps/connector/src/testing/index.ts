export * from './deribit-test-server.ts';
export * as deribitScenario from './deribit-scenario.ts';
export { loadFixtures, type Fixture } from '../fixtures/load.ts';
export * from './emulators/index.ts';
