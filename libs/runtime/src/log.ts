/** Plain one-line logs with a component prefix; LOG_LEVEL=debug|info|warn|error. */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

export type Logger = Record<Level, (msg: string, fields?: Record<string, unknown>) => void>;

export function createLogger(component: string, level: Level = (process.env.LOG_LEVEL as Level) ?? 'info'): Logger {
  const min = LEVELS[level] ?? LEVELS.info;
  const out = (l: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[l] < min) return;
    const extra = fields ? ' ' + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ') : '';
    const line = `${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} [${component}] ${msg}${extra}\n`;
    (l === 'error' || l === 'warn' ? process.stderr : process.stdout).write(line);
  };
  return { debug: out('debug'), info: out('info'), warn: out('warn'), error: out('error') };
}
