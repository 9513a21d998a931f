import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { PARTIAL_SUFFIX, type RecordedFrame } from './recorder.ts';

export const RecordedFrameRaw = z.object({ venue: z.string().min(1), recvTs: z.number().int().nonnegative(), frame: z.string() });

/**
 * The frames of one recording file, in order. A `.partial` file (still written, or left by a
 * crash) ends where its last flush ended: the truncated gzip tail and a cut last line are not
 * errors. A complete file must be whole, and a line that is not a recorded frame throws with
 * its line number (the file is not a recording).
 */
export async function* readRecording(path: string): AsyncGenerator<RecordedFrame> {
  const partial = path.endsWith(PARTIAL_SUFFIX);
  const gunzip = createGunzip();
  const text = new PassThrough();
  let truncated = false;
  createReadStream(path).on('error', (err) => text.destroy(err)).pipe(gunzip);
  gunzip.on('data', (chunk: Buffer) => text.write(chunk));
  gunzip.on('end', () => text.end());
  gunzip.on('error', (err: NodeJS.ErrnoException) => {
    if (partial && (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message))) {
      truncated = true;
      text.end();
    } else {
      text.destroy(err);
    }
  });
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  let n = 0;
  let pendingBad: string | undefined;
  for await (const line of lines) {
    n++;
    if (pendingBad !== undefined) throw new Error(pendingBad);
    if (!line) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      // Only the very last line of a truncated .partial file may be cut short.
      pendingBad = `${path}:${n}: not JSON`;
      continue;
    }
    const r = RecordedFrameRaw.safeParse(json);
    if (!r.success) throw new Error(`${path}:${n}: not a recorded frame: ${r.error.issues[0]?.message ?? ''}`);
    yield r.data;
  }
  if (pendingBad !== undefined && !(partial && truncated)) throw new Error(pendingBad);
}
