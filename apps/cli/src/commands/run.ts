import { parseArgs } from 'node:util';
import { APP_ENTRIES, APP_NAMES, type AppName } from '../paths.ts';
import type { Io } from '../io.ts';

export const RUN_HELP = `Usage: volstream run APP

Runs one app in the foreground, configured by its environment variables (README.md), e.g. as a
replica taking a share of the subjects (SHARE=deribit.BTC). Used by docker-compose.yml.

Apps: ${APP_NAMES.join(', ')}`;

export async function runCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) { io.stdout(RUN_HELP); return 0; }
  const app = positionals[0];
  if (!app || !APP_NAMES.includes(app as AppName)) {
    io.stderr(`volstream run: expected one of ${APP_NAMES.join(', ')}${app ? `, got "${app}"` : ''}\n\n${RUN_HELP}`);
    return 2;
  }
  // The app's main module starts it and owns the process from here (signals, exit code).
  await import(APP_ENTRIES[app as AppName]);
  return await new Promise<number>(() => undefined);
}
