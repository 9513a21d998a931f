import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { PARTIAL_SUFFIX, type RecordedFrame } from './recorder.ts';

export const RecordedFrameRaw = z.object({ venue: z.string().min(1), recvTs: z.number().int().nonnegative(), frame: z.string() });

/**
 * The frames of one recording file, in order. A `.partial` file (still written, or left by a
 * crash) ends where its last flush ended: the truncated gzip tail is not an error. A line that
 * is not a recorded frame throws with its line number (the file is not a recording).
 */
export async function* readRecording(path: string): AsyncGenerator<RecordedFrame> {
  const gunzip = createGunzip();
  const partial = path.endsWith(PARTIAL_SUFFIX);
  let truncated = false;
  gunzip.on('error', (err: NodeJS.ErrnoException) => {
    if (partial && (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message))) {
      truncated = true;
      gunzip.end();
      return;
    }
    lines.emit('error', err);
  });
  const lines = createInterface({ input: createReadStream(path).pipe(gunzip), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (partial && truncated) return;
      throw new Error(`${path}:${n}: not JSON`);
    }
    const r = RecordedFrameRaw.safeParse(json);
    if (!r.success) throw new Error(`${path}:${n}: not a recorded frame: ${r.error.issues[0]?.message ?? ''}`);
    yield r.data;
  }
}
