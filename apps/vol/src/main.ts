import { createLogger, runMain } from '@volstream/runtime';
import { parseVolConfig, startVol } from './index.ts';

await runMain(createLogger('vol'), () => startVol(parseVolConfig(process.env)));
