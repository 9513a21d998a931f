export * from './nats-server.ts';
export * from './streams.ts';
export * from './wait.ts';
