import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { APP_ENTRIES, ROOT, type AppName } from './paths.ts';

const COLORS = [36, 32, 33, 35, 34, 31, 96, 92];

export type AppProcess = {
  readonly name: string;
  readonly child: () => ChildProcess | undefined;
  readonly restarts: () => number;
  /** Kill the current process with a signal (the supervisor restarts it unless stopped). */
  kill(signal?: NodeJS.Signals): void;
  stop(): Promise<void>;
};

export type SuperviseOptions = {
  env: Record<string, string | undefined>;
  /** Where prefixed log lines go (default stdout). */
  write?: (line: string) => void;
  /** Restart after a crash (default true), with backoff 0.5 s doubling to 30 s, reset after 60 s up. */
  restart?: boolean;
  color?: boolean;
};

/** Command line that runs one app's TypeScript entry with tsx. */
export function appCommand(entry: string): string[] {
  return [process.execPath, '--import', 'tsx', entry];
}

/**
 * Run one app as its own child process with prefixed logs, restarting it when it crashes.
 * Each stage is a separate process so a slow one cannot starve another's event loop.
 */
export function superviseApp(name: AppName | string, opts: SuperviseOptions, entry = APP_ENTRIES[name as AppName]): AppProcess {
  const write = opts.write ?? ((l: string) => process.stdout.write(l + '\n'));
  const color = COLORS[Math.abs([...name].reduce((h, c) => h * 31 + c.charCodeAt(0), 7)) % COLORS.length];
  const prefix = opts.color === false || !process.stdout.isTTY ? `[${name}]` : `\x1b[${color}m[${name}]\x1b[0m`;
  let child: ChildProcess | undefined;
  let stopped = false;
  let restarts = 0;
  let backoff = 500;
  let timer: NodeJS.Timeout | undefined;

  const launch = () => {
    const startedAt = Date.now();
    const [cmd, ...args] = appCommand(entry);
    const c = spawn(cmd!, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    for (const s of [c.stdout, c.stderr]) createInterface({ input: s! }).on('line', (l) => write(`${prefix} ${l}`));
    c.on('exit', (code, signal) => {
      if (child === c) child = undefined;
      if (stopped) return;
      if (Date.now() - startedAt > 60_000) backoff = 500;
      write(`${prefix} exited (${signal ?? code}); restarting in ${backoff} ms`);
      if (opts.restart === false) return;
      timer = setTimeout(() => { restarts++; launch(); }, backoff);
      backoff = Math.min(backoff * 2, 30_000);
    });
  };
  launch();

  return {
    name,
    child: () => child,
    restarts: () => restarts,
    kill(signal = 'SIGKILL') { child?.kill(signal); },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const c = child;
      if (!c || c.exitCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 8_000);
      await gone;
      clearTimeout(t);
    },
  };
}
