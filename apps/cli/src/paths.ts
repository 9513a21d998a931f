import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (apps/cli/src -> ../../..), so commands work from any working directory. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const NATS_CONF = join(ROOT, 'nats.conf');

/** Entry file of each app process. */
export const APP_ENTRIES = {
  sim: join(ROOT, 'apps/sim/src/main.ts'),
  connector: join(ROOT, 'apps/connector/src/main.ts'),
  book: join(ROOT, 'apps/book/src/main.ts'),
  vol: join(ROOT, 'apps/vol/src/main.ts'),
  surface: join(ROOT, 'apps/surface/src/main.ts'),
  gateway: join(ROOT, 'apps/gateway/src/main.ts'),
  recorder: join(ROOT, 'apps/recorder/src/main.ts'),
} as const;
export type AppName = keyof typeof APP_ENTRIES;
export const APP_NAMES = Object.keys(APP_ENTRIES) as AppName[];
