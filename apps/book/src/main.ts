import { createLogger, runMain } from '@volstream/runtime';
import { parseBookConfig } from './config.ts';
import { startBook } from './worker.ts';

const log = createLogger('book');
await runMain(log, () => startBook(parseBookConfig(process.env), { log }));
