import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stableJson } from './rows.ts';

/** Deterministic id of a run: the same inputs, fitters, settings and code give the same id. */
export function runId(parts: Record<string, unknown>): string {
  return createHash('sha256').update(stableJson(parts)).digest('hex').slice(0, 16);
}

let cached: string | undefined;

/**
 * The code that ran: `git describe --always --dirty` of the repository, read once per process
 * (so two replays in one process agree even while files change), else the package version.
 */
export function codeVersion(): string {
  if (cached) return cached;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  try {
    cached = execFileSync('git', ['describe', '--always', '--dirty', '--abbrev=12'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim();
  } catch {
    cached = 'unknown';
  }
  return cached;
}
