import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths.ts';

const volstream = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/volstream.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

describe('volstream command line', () => {
  it('prints help for the program and for every command', () => {
    const top = volstream(['--help']);
    expect(top.status).toBe(0);
    const commands = [...top.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['start', 'run', 'streams', 'fit']));
    for (const c of commands) {
      const r = volstream([c, '--help']);
      expect(r.status, `${c} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/Usage: volstream/);
    }
  });

  it('stops start-up on bad configuration with a message naming the variable', () => {
    const r = volstream(['start'], { PORT: 'eighty' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PORT');
    const v = volstream(['start', '--venues', 'nowhere']);
    expect(v.status).toBe(2);
    expect(v.stderr).toMatch(/VENUES.*nowhere/);
  });

  it('rejects an unknown command and unknown flags', () => {
    expect(volstream(['frobnicate']).status).toBe(2);
    expect(volstream(['start', '--frob']).status).toBe(2);
  });

  it('docker-compose.yml is accepted by compose v1', () => {
    const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.error, 'docker-compose must be installed (scripts/system-deps.sh --test)').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
  });

  it('nats.conf is accepted by nats-server', () => {
    const r = spawnSync(process.env.NATS_SERVER_BIN ?? 'nats-server', ['-c', 'nats.conf', '-t'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr + r.stdout).toBe(0);
  });
});
