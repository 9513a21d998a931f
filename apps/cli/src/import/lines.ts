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
  /** The file's lines, without their line ends; read errors (a truncated gzip) are thrown. */
  lines(): AsyncGenerator<string>;
};

/** Opens a plain or gzip file (gzip is recognised by its magic bytes, whatever its name). */
export async function openInput(path: string): Promise<InputFile> {
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
  return {
    size,
    gzip,
    bytesRead: () => read,
    async *lines() {
      const raw = createReadStream(path, { highWaterMark: 1 << 20 });
      raw.on('data', (chunk) => { read += chunk.length; });
      const source = gzip ? raw.pipe(createGunzip()) : raw;
      // pipe() does not forward the source's errors to the gunzip stream.
      raw.on('error', (err) => source.destroy(err));
      const decoder = new StringDecoder('utf8');
      let rest = '';
      for await (const chunk of source as AsyncIterable<Buffer>) {
        const text = rest + decoder.write(chunk);
        const parts = text.split('\n');
        rest = parts.pop()!;
        for (const p of parts) yield p.endsWith('\r') ? p.slice(0, -1) : p;
      }
      rest += decoder.end();
      if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
    },
  };
}
