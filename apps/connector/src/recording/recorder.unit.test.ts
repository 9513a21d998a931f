import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixtures } from '../fixtures/load.ts';
import { FrameRecorder, PARTIAL_SUFFIX, type RecordedFrame } from './recorder.ts';
import { readRecording } from './read.ts';
import { createMapperContext, mapRecordedFrame } from './replay.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'volstream-rec-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function all(path: string): Promise<RecordedFrame[]> {
  const out: RecordedFrame[] = [];
  for await (const f of readRecording(path)) out.push(f);
  return out;
}

describe('FrameRecorder', () => {
  it('writes gzip JSON lines {venue, recvTs, frame} under .partial, complete (renamed) when closed', async () => {
    const dir = tmp();
    const r = new FrameRecorder({ dir, rotateBytes: 1e9, prefix: 'test', now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    r.record('okx', 1_790_000_000_001, 'pong');
    r.record('deribit', 1_790_000_000_002, '{"jsonrpc":"2.0","id":1,"result":"ok"}');
    expect(readdirSync(dir)).toEqual([`test-20260102T030405Z-0001.jsonl.gz${PARTIAL_SUFFIX}`]);
    await r.close();
    const [name] = readdirSync(dir);
    expect(name).toBe('test-20260102T030405Z-0001.jsonl.gz');
    const lines = gunzipSync(readFileSync(join(dir, name!))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as RecordedFrame);
    expect(lines).toEqual([
      { venue: 'okx', recvTs: 1_790_000_000_001, frame: 'pong' },
      { venue: 'deribit', recvTs: 1_790_000_000_002, frame: '{"jsonrpc":"2.0","id":1,"result":"ok"}' },
    ]);
    expect(r.stats).toMatchObject({ frames: 2, files: 1, errors: 0 });
  });

  it('rotates by compressed size: every file but the last complete, no frame lost or split', async () => {
    const dir = tmp();
    const r = new FrameRecorder({ dir, rotateBytes: 20_000, prefix: 'rot' });
    // Incompressible frames: gzip emits output in 16 KB chunks, so ~100 KB make several files.
    const frames = Array.from({ length: 400 }, (_, i) => ({ venue: 'bybit', recvTs: 1_790_000_000_000 + i, frame: `{"i":${i},"noise":"${randomBytes(128).toString('hex')}"}` }));
    for (const f of frames) {
      r.record(f.venue, f.recvTs, f.frame);
      // Frames arrive over time in a live process: let zlib (thread pool) emit meanwhile.
      if (f.recvTs % 20 === 0) await new Promise((res) => setTimeout(res, 5));
    }
    await r.close();
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(1);
    expect(files.every((f) => f.endsWith('.jsonl.gz'))).toBe(true);
    const read = (await Promise.all(files.map((f) => all(join(dir, f))))).flat();
    expect(read).toEqual(frames);
  });

  it('a .partial file (a crash mid-write) is read up to its last flush without error', async () => {
    const dir = tmp();
    const r = new FrameRecorder({ dir, rotateBytes: 1e9, prefix: 'crash', flushMs: 10 });
    for (let i = 0; i < 20; i++) r.record('okx', 1_790_000_000_000 + i, `frame ${i}`);
    await new Promise((res) => setTimeout(res, 80));
    const partial = readdirSync(dir).find((f) => f.endsWith(PARTIAL_SUFFIX))!;
    const copy = join(dir, `copy.jsonl.gz${PARTIAL_SUFFIX}`);
    copyFileSync(join(dir, partial), copy);
    expect(statSync(copy).size).toBeGreaterThan(0);
    const frames = await all(copy);
    expect(frames.map((f) => f.frame)).toEqual(Array.from({ length: 20 }, (_, i) => `frame ${i}`));
    await r.close();
  });
});

describe('mapRecordedFrame (volstream import)', () => {
  it('maps recorded frames exactly as the live mapper does, with the same ids, deterministically', () => {
    const frames = loadFixtures('okx-frames.jsonl').map((f, i) => ({ venue: 'okx', recvTs: 1_790_000_000_000 + i, frame: f.text }));
    const run = () => {
      const ctx = createMapperContext('okx');
      return frames.map((f) => mapRecordedFrame(f, ctx));
    };
    const a = run();
    expect(a).toEqual(run());
    expect(a.flatMap((r) => r.events).length).toBeGreaterThan(5);
    expect(a.filter((r) => r.rejected)).toEqual([]);
    expect(a.filter((r) => r.ignored).length).toBeGreaterThan(5);
  });

  it('refuses a frame of another venue and an unknown venue', () => {
    expect(() => createMapperContext('mtgox')).toThrow(/unknown venue/);
    expect(() => mapRecordedFrame({ venue: 'okx', recvTs: 1, frame: 'pong' }, createMapperContext('bybit'))).toThrow(/okx/);
  });
});
