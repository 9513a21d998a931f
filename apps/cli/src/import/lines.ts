import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

export type InputFile = {
  /** Size of the file on disk (compressed when gzip), bytes. */
  size: number;
  gzip: boolean;
  /** Bytes of the file read so far (compressed when gzip): progress = bytesRead / size. */
  bytesRead(): number;
  /** The file's lines, without their line ends, a chunk of the file's lines at a time (so the
   * caller can handle many without yielding); read errors (a truncated gzip) are thrown. */
  lines(): AsyncGenerator<string[]>;
  /** Whether the gzip data ended early and, as allowed, the lines stopped there. */
  truncated(): boolean;
};

/** Suffix of a recording the connector's recorder is still writing (or left by a crash): it
 * ends where its last flush ended (apps/connector/src/recording/recorder.ts PARTIAL_SUFFIX). */
export const PARTIAL_SUFFIX = '.partial';

const endedEarly = (err: unknown) => (err as { code?: unknown })?.code === 'Z_BUF_ERROR' || /unexpected end/i.test((err as Error)?.message ?? '');

/**
 * Opens a plain or gzip file (gzip is recognised by its magic bytes, whatever its name).
 * @param truncatedTailOk a gzip that ends early ends the lines there, without the cut line
 *   (default: for `.partial` files)
 */
export async function openInput(path: string, { truncatedTailOk = path.endsWith(PARTIAL_SUFFIX) }: { truncatedTailOk?: boolean } = {}): Promise<InputFile> {
  const { size } = await stat(path);
  const fh = await open(path, 'r');
  const magic = Buffer.alloc(2);
  try {
    await fh.read(magic, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const gzip = size >= 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  let read = 0;
  let cut = false;
  return {
    size,
    gzip,
    bytesRead: () => read,
    truncated: () => cut,
    async *lines() {
      const raw = createReadStream(path, { highWaterMark: 1 << 20 });
      raw.on('data', (chunk) => { read += chunk.length; });
      const source = gzip ? raw.pipe(createGunzip()) : raw;
      // pipe() does not forward the source's errors to the gunzip stream.
      raw.on('error', (err) => source.destroy(err));
      const decoder = new StringDecoder('utf8');
      let rest = '';
      const trim = (p: string) => (p.endsWith('\r') ? p.slice(0, -1) : p);
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          const parts = (rest + decoder.write(chunk)).split('\n');
          rest = parts.pop()!;
          if (parts.length > 0) yield parts.map(trim);
        }
      } catch (err) {
        if (!(gzip && truncatedTailOk && endedEarly(err))) throw err;
        cut = true;
        return; // the line being written when the file was cut is incomplete: left out
      }
      rest += decoder.end();
      if (rest !== '') yield [trim(rest)];
    },
  };
}
