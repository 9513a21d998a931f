import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';

export type NatsServer = {
  url: string;
  port: number;
  storeDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/** Path of the nats-server binary: NATS_SERVER_BIN, else PATH, else Debian's /usr/sbin. */
export function natsServerBin(): string {
  return process.env.NATS_SERVER_BIN ?? 'nats-server';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * Start a real nats-server with JetStream on a free port and its own store folder, for tests.
 * `await using nats = await startNatsServer()` stops it and deletes the store at scope end.
 */
export async function startNatsServer(opts: { port?: number; storeDir?: string; keepStore?: boolean } = {}): Promise<NatsServer> {
  const port = opts.port ?? (await freePort());
  const storeDir = opts.storeDir ?? (await mkdtemp(join(tmpdir(), 'volstream-nats-')));
  const conf = join(storeDir, 'nats.conf');
  await writeFile(conf, `port: ${port}\nhost: 127.0.0.1\nserver_name: test_${port}\nmax_payload: 8MB\njetstream {\n  store_dir: "${storeDir}/js"\n  max_mem: 256MB\n  max_file: 20GB\n}\n`);
  const child = spawn(natsServerBin(), ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4_000); });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${stderr}`))));
  child.once('error', () => undefined);
  await Promise.race([waitForPort(port, 10_000), exited]);
  exited.catch(() => undefined);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (!opts.keepStore && !opts.storeDir) await rm(storeDir, { recursive: true, force: true });
  };
  return { url: `nats://127.0.0.1:${port}`, port, storeDir, process: child, stop, [Symbol.asyncDispose]: stop };
}
