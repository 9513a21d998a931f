export { createBookCore, FORWARD_PREFERENCE_MS, type BookCore, type BookCoreStats } from './core.ts';
export { CROSSED_BOOK_POLICY, OrderBook, type Top } from './order-book.ts';
export { BookCoreState } from './state.ts';
export { parseBookConfig, BookEnv, type BookConfig } from './config.ts';
export { startBook, type BookHandle } from './worker.ts';
export { CheckpointStateError } from './errors.ts';
