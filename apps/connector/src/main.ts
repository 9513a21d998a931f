import { createLogger, runMain } from '@volstream/runtime';
import { parseConnectorConfig } from './config.ts';
import { startConnector } from './connector.ts';

const log = createLogger('connector');
await runMain(log, () => startConnector(parseConnectorConfig(process.env), { log }));
