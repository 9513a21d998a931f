import { ConfigError } from '@volstream/runtime';
import { processIo, type Io } from './io.ts';
import { startCommand } from './commands/start.ts';
import { runCommand } from './commands/run.ts';
import { streamsCommand } from './commands/streams.ts';

type Command = { summary: string; run: (argv: string[], io: Io) => Promise<number> };

/** Commands load lazily so one command's dependencies never slow another's start. */
const COMMANDS: Record<string, Command> = {
  start: { summary: 'run the whole system (simulated venue by default)', run: startCommand },
  run: { summary: 'run one app in the foreground (connector, book, vol, surface, gateway, sim)', run: runCommand },
  streams: { summary: 'create/update the JetStream streams and show their state', run: streamsCommand },
  fit: {
    summary: 'fit one chain snapshot file and print the surface as JSON',
    run: async (argv, io) => (await import('./commands/fit.ts')).fitCommand(argv, io),
  },
  replay: { summary: 'replay stored history through the cores with other fitters into DuckDB', run: async (argv, io) => (await import('./commands/replay.ts')).replayCommand(argv, io) },
  import: { summary: 'load a Tardis options_chain CSV, Deribit order-book JSON lines or a raw recording into the MD stream', run: async (argv, io) => (await import('./commands/import.ts')).importCommand(argv, io) },
  query: { summary: 'run SQL (DuckDB) over the parquet archive and replay outputs', run: async (argv, io) => (await import('./commands/query.ts')).queryCommand(argv, io) },
};

export const HELP = `volstream: real-time crypto options volatility surfaces

Usage: volstream COMMAND [options]     (volstream COMMAND --help for details)

Commands:
${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(9)} ${c.summary}`).join('\n')}
`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`volstream: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof ConfigError) { io.stderr(err.message); return 2; }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`volstream ${name}: ${err.message}\n(see volstream ${name} --help)`);
      return 2;
    }
    io.stderr(`volstream ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
