import { createLogger, runMain } from '@volstream/runtime';
import { parseGatewayConfig } from './config.ts';
import { startGateway } from './server.ts';

const log = createLogger('gateway');
await runMain(log, () => startGateway(parseGatewayConfig(process.env), { log }));
