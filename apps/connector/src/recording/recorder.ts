import { createWriteStream, mkdirSync, openSync, renameSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import type { Logger } from '@volstream/runtime';

/** One line of a recording: the raw frame text exactly as received, with its receive time. */
export type RecordedFrame = { venue: string; recvTs: number; frame: string };

export const PARTIAL_SUFFIX = '.partial';

export type RecorderOptions = {
  dir: string;
  /** Start a new file once this many compressed bytes were written. */
  rotateBytes: number;
  /** File name prefix, e.g. `volstream-deribit-okx`. */
  prefix?: string;
  now?: () => number;
  log?: Logger;
  /** Sync-flush the gzip stream this often, so a `.partial` file is readable up to ~now. */
  flushMs?: number;
};

type OpenFile = { path: string; gzip: Gzip; out: WriteStream; bytes: number; closed: Promise<void> };

/**
 * Raw-frame recorder (RECORD_DIR): gzip-compressed JSON lines `{"venue","recvTs","frame"}`,
 * rotated by compressed size. A file is either complete (closed gzip, `….jsonl.gz`) or still
 * being written under `….jsonl.gz.partial`: a reader never mistakes a growing file for a whole
 * one, and a crash leaves a `.partial` readable up to its last flush.
 */
export class FrameRecorder {
  readonly stats = { frames: 0, files: 0, bytes: 0, errors: 0 };
  private file: OpenFile | undefined;
  private seq = 0;
  private readonly closing: Promise<void>[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly opts: RecorderOptions) {
    this.now = opts.now ?? Date.now;
    mkdirSync(opts.dir, { recursive: true });
    this.timer = setInterval(() => this.file?.gzip.flush(), opts.flushMs ?? 1_000);
    this.timer.unref();
  }

  /** Append one frame (never throws: a write error is counted and logged). */
  record(venue: string, recvTs: number, frame: string): void {
    try {
      const f = (this.file ??= this.open());
      f.gzip.write(`${JSON.stringify({ venue, recvTs, frame } satisfies RecordedFrame)}\n`);
      this.stats.frames++;
      if (f.bytes >= this.opts.rotateBytes) this.rotate();
    } catch (err) {
      this.stats.errors++;
      this.opts.log?.error('recording failed', { err: (err as Error).message });
    }
  }

  /** Close the current file (it becomes complete) and start the next one on the next frame. */
  rotate(): void {
    const f = this.file;
    if (!f) return;
    this.file = undefined;
    f.gzip.end();
    this.closing.push(f.closed);
  }

  /** Close everything; resolves when every file is complete on disk. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.rotate();
    await Promise.all(this.closing);
  }

  private open(): OpenFile {
    const stamp = new Date(this.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const name = `${this.opts.prefix ?? 'volstream'}-${stamp}-${String(++this.seq).padStart(4, '0')}.jsonl.gz`;
    const final = join(this.opts.dir, name);
    const path = final + PARTIAL_SUFFIX;
    const gzip = createGzip();
    // Opened now, so the `.partial` file exists from the first frame on.
    const out = createWriteStream(path, { fd: openSync(path, 'w') });
    const f: OpenFile = { path, gzip, out, bytes: 0, closed: Promise.resolve() };
    gzip.on('data', (chunk: Buffer) => {
      f.bytes += chunk.length;
      this.stats.bytes += chunk.length;
    });
    gzip.pipe(out);
    f.closed = new Promise<void>((resolve) => {
      const fail = (err: Error) => {
        this.stats.errors++;
        this.opts.log?.error('recording file failed', { path, err: err.message });
        resolve();
      };
      gzip.once('error', fail);
      out.once('error', fail);
      out.once('finish', () => {
        try {
          renameSync(path, final);
        } catch (err) {
          fail(err as Error);
          return;
        }
        resolve();
      });
    });
    this.stats.files++;
    return f;
  }
}
