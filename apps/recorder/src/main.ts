import { createLogger, runMain } from '@volstream/runtime';
import { parseRecorderConfig, startRecorder } from './index.ts';

await runMain(createLogger('recorder'), () => startRecorder(parseRecorderConfig(process.env)));
