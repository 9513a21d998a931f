import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { connect } from '@nats-io/transport-node';
import { NATS_CONF, ROOT } from './paths.ts';

/** True when a NATS server answers at `url` within `timeoutMs`. */
export async function natsAnswers(url: string, timeoutMs = 1_500): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: timeoutMs, maxReconnectAttempts: 0, reconnect: false });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

export function findNatsServer(): string | undefined {
  for (const bin of [process.env.NATS_SERVER_BIN, 'nats-server', '/usr/sbin/nats-server', '/usr/local/bin/nats-server']) {
    if (bin && spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0) return bin;
  }
  return undefined;
}

/** Find nats-server, installing Debian's package when running as root; else say what to run. */
export function requireNatsServer(log: (l: string) => void): string {
  const found = findNatsServer();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0) {
    log('nats-server not found: installing it from Debian\'s packages (apt-get install -y nats-server)');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'nats-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const now = findNatsServer();
    if (r.status === 0 && now) return now;
  }
  throw new Error('nats-server is not installed. Install it with:\n    sudo apt-get install -y nats-server\nor point NATS_URL at a running server (NATS_SERVER_BIN names a binary elsewhere).');
}

/** Start nats-server with nats.conf from the repository root (its store is .data/jetstream). */
export async function startLocalNats(url: string, log: (l: string) => void, storeDir?: string): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const bin = requireNatsServer(log);
  const port = new URL(url).port || '4222';
  const child = spawn(bin, ['-c', storeDir ? confWithStore(storeDir) : NATS_CONF, '-p', port], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const s of [child.stdout, child.stderr]) createInterface({ input: s! }).on('line', (l) => log(`[nats] ${l}`));
  const until = Date.now() + 15_000;
  while (!(await natsAnswers(url, 500))) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode}; see the [nats] lines above`);
    if (Date.now() > until) throw new Error(`nats-server did not answer at ${url} within 15 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
    },
  };
}

/** nats.conf with its store_dir replaced (nats-server 2.9 rejects `-sd` next to a store_dir in
 * the file as a duplicate), written beside the store. */
export function confWithStore(storeDir: string): string {
  const dir = resolve(ROOT, storeDir);
  mkdirSync(dir, { recursive: true });
  const text = readFileSync(NATS_CONF, 'utf8').replace(/store_dir:\s*"[^"]*"/, `store_dir: ${JSON.stringify(dir)}`);
  const path = join(dir, '..', 'nats.conf');
  writeFileSync(path, text);
  return path;
}
