import { createLogger, runMain } from '@volstream/runtime';
import { parseSurfaceConfig, startSurface } from './index.ts';

await runMain(createLogger('surface'), () => startSurface(parseSurfaceConfig(process.env)));
