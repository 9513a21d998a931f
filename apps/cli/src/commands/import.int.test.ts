import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { MdEvent, STREAM_NAMES, decode, type Surface } from '@volstream/events';
import { connectNats, runCore } from '@volstream/runtime';
import { startNatsServer, type NatsServer } from '@volstream/runtime/testing';
import { createBookCore } from '@volstream/book';
import { createVolCore } from '@volstream/vol';
import { createSurfaceCore } from '@volstream/surface';
import { getFitter } from '@volstream/svi';
import { importFile } from '../import/importer.ts';
import { fitCommand } from './fit.ts';
import { importCommand } from './import.ts';

const svi = fileURLToPath(new URL('../../../../libs/svi/src/fixtures/', import.meta.url));
const connectorFixtures = fileURLToPath(new URL('../../../connector/src/fixtures/', import.meta.url));
const CSV_PATH = join(svi, 'deribit_options_chain_2020-05-14T0541Z_btc.tardis.csv');
const CSV = readFileSync(CSV_PATH, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'volstream-import-'));
const GZ = join(dir, 'options_chain.csv.gz');
writeFileSync(GZ, gzipSync(CSV));

type Stored = { subject: string; id: string | undefined; data: string };

/** Every message of the MD stream in order: subject, Nats-Msg-Id and payload (hex). */
async function readMd(url: string): Promise<{ messages: Stored[]; events: MdEvent[] }> {
  const nc = await connectNats({ url, name: 'test-reader' });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(STREAM_NAMES.md);
    const messages: Stored[] = [];
    const events: MdEvent[] = [];
    if (info.state.messages === 0) return { messages, events };
    const consumer = await jetstream(nc).consumers.get(STREAM_NAMES.md);
    while (messages.length < info.state.messages) {
      const batch = await consumer.fetch({ max_messages: info.state.messages - messages.length, expires: 5_000 });
      for await (const m of batch) {
        messages.push({ subject: m.subject, id: m.headers?.get('Nats-Msg-Id'), data: Buffer.from(m.data).toString('hex') });
        const r = decode(m.data, MdEvent);
        if (!r.ok) throw r.error;
        events.push(r.event);
      }
    }
    return { messages, events };
  } finally {
    await nc.close();
  }
}

async function run(argv: string[], url: string) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = process.env.NATS_URL;
  process.env.NATS_URL = url;
  try {
    const code = await importCommand(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    if (saved === undefined) delete process.env.NATS_URL;
    else process.env.NATS_URL = saved;
  }
}

async function withNats<T>(f: (nats: NatsServer) => Promise<T>): Promise<T> {
  const nats = await startNatsServer();
  try {
    return await f(nats);
  } finally {
    await nats.stop();
  }
}

describe('volstream import into a real nats-server', () => {
  let once: { messages: Stored[]; events: MdEvent[] };
  let nats: NatsServer;
  beforeAll(async () => { nats = await startNatsServer(); });
  afterAll(async () => {
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the Tardis CSV (gzip); importing it again gives the same stream contents', async () => {
    const first = await run(['--input', GZ], nats.url);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/imported options_chain\.csv\.gz \(tardis\) in [\d.]+ s: 315 rows, 315 taken, 0 refused/);
    expect(first.stdout).toContain('events: 940 published, 0 duplicates (dropped by JetStream), 0 already in the stream (not sent)');
    expect(first.stderr).toMatch(/import: 100\.0% of file, 315 rows, [\d,]+ rows\/s/);
    once = await readMd(nats.url);
    expect(once.messages).toHaveLength(940);
    expect(once.events.filter((e) => e.type === 'md.instrument')).toHaveLength(310);
    expect(once.messages[0]).toMatchObject({ subject: 'md.deribit.BTC.20200522.BTC-22MAY20-9250-P', id: 'tardis:deribit:BTC-22MAY20-9250-P:1589434836486000:instrument' });

    const again = await run(['--input', GZ, '--format', 'tardis', '--venue', 'deribit'], nats.url);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('315 rows, 0 taken, 315 refused');
    expect(again.stdout).toContain('events: 0 published, 0 duplicates (dropped by JetStream), 940 already in the stream (not sent)');
    expect(again.stdout).toMatch(/refused already_in_stream: 315 \(e\.g\. line 2\)/);
    expect((await readMd(nats.url)).messages).toEqual(once.messages);
  });

  it('adds nothing beyond the duplicate window either, and an interrupted import resumes where it stopped', async () => {
    await withNats(async (n) => {
      const nc = await connectNats({ url: n.url, name: 'test-import' });
      // A 200 ms duplicate window: only the stream check can keep the later imports from doubling rows.
      const streamOverrides = { md: { duplicateWindowMs: 200 } };
      const partial = join(dir, 'partial.csv');
      writeFileSync(partial, CSV.split('\n').slice(0, 151).join('\n'));
      const a = await importFile({ nc, input: partial, streamOverrides });
      expect(a).toMatchObject({ rows: 150, taken: 150 });
      const info = await (await jetstreamManager(nc)).streams.info(STREAM_NAMES.md);
      expect(info.config.duplicate_window).toBe(200_000_000);
      await new Promise((r) => setTimeout(r, 400));
      const b = await importFile({ nc, input: CSV_PATH, streamOverrides });
      expect(b).toMatchObject({ rows: 315, taken: 165, refused: { already_in_stream: 150 } });
      expect(b.events.published + a.events.published).toBe(940);
      await new Promise((r) => setTimeout(r, 400));
      const c = await importFile({ nc, input: GZ, streamOverrides });
      expect(c).toMatchObject({ taken: 0, events: { published: 0, duplicates: 0, skipped: 940 } });
      expect((await readMd(n.url)).messages).toEqual(once.messages);
      await nc.close();
    });
  });

  it('the imported chain flows through the book, vol and surface cores to a surface of the chain\'s expiries', async () => {
    const book = runCore(createBookCore(), once.events);
    const vol = runCore(createVolCore(), book);
    const found = getFitter('svi-qe');
    if (!found.ok) throw new Error(found.reason);
    const outs = runCore(createSurfaceCore({ fitter: found.fitter }), vol);
    const last = outs.filter((o): o is Surface => o.type === 'surface.surface').at(-1)!;
    expect(last.venue).toBe('deribit');
    expect(last.underlying).toBe('BTC');
    expect(new Date(last.ts).toISOString()).toBe('2020-05-14T05:44:06.000Z');
    // The expiries `volstream fit` finds in the same chain (the 14 May one has too few quotes),
    // with ATM vols within half a vol point of its fit of the latest snapshot.
    const out: string[] = [];
    expect(await fitCommand(['--input', CSV_PATH], { stdout: (s) => out.push(s), stderr: () => undefined })).toBe(0);
    const fit = JSON.parse(out.join('')) as { expiries: { expiryTs: number; atmVol: number }[] };
    expect(last.expiries.map((x) => new Date(x.expiryTs).toISOString().slice(0, 10))).toEqual(['2020-05-15', '2020-05-22', '2020-05-29', '2020-06-26', '2020-09-25', '2020-12-25']);
    expect(last.expiries.map((x) => x.expiryTs)).toEqual(fit.expiries.map((x) => x.expiryTs));
    last.expiries.forEach((x, i) => expect(Math.abs(x.atmVol - fit.expiries[i]!.atmVol) * 100, x.expiryTs.toString()).toBeLessThan(0.5));
  });

  it('stops at a malformed line, naming it, with the rows before it stored', async () => {
    await withNats(async (n) => {
      const bad = join(dir, 'bad.csv');
      const lines = CSV.split('\n');
      writeFileSync(bad, [lines[0], lines[1], lines[2]!.replace(',9352.58,', ',n/a,')].join('\n'));
      const r = await run(['--input', bad], n.url);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`volstream import: ${bad}: line 3: invalid field(s): underlying_price="n/a"`);
      expect((await readMd(n.url)).messages).toHaveLength(3);
      const cut = join(dir, 'cut.csv.gz');
      writeFileSync(cut, gzipSync(CSV).subarray(0, 3_000));
      const t = await run(['--input', cut], n.url);
      expect(t.code).toBe(1);
      expect(t.stderr).toMatch(/line \d+: unreadable gzip data/);
      expect((await run(['--input', join(dir, 'nothing.csv')], n.url)).code).toBe(1);
      expect((await run(['--format', 'xml', '--input', bad], n.url)).code).toBe(2);
    });
  });

  it('imports a raw recording and Deribit order-book JSON lines through the connector\'s mapper', async () => {
    const fixture = (f: string) => readFileSync(join(connectorFixtures, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.stringify((JSON.parse(l) as { frame: unknown }).frame));
    // A recording of real frames, 5 ms apart: Deribit control frames (heartbeats, answers, the
    // index) and 40 get_order_book answers, then OKX frames.
    const frames = [
      ...['deribit-control-frames.jsonl', 'deribit-order-book-chain.jsonl'].flatMap(fixture).map((frame) => ({ venue: 'deribit', frame })),
      ...fixture('okx-frames.jsonl').map((frame) => ({ venue: 'okx', frame })),
    ];
    const text = frames.map((f, i) => JSON.stringify({ ...f, recvTs: 1_589_434_900_000 + 5 * i })).join('\n') + '\n';
    const rec = join(dir, 'deribit-okx.jsonl.gz');
    writeFileSync(rec, gzipSync(text));
    await withNats(async (n) => {
      const first = await run(['--input', rec], n.url);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('(recording)');
      expect(first.stdout).toMatch(/refused no_market_data: \d+/);
      const stored = await readMd(n.url);
      // Each order-book answer: a snapshot and a ticker with the connector's own ids.
      const deribit = stored.events.filter((e) => e.venue === 'deribit');
      expect(deribit.filter((e) => e.type === 'md.book.snapshot')).toHaveLength(40);
      expect(deribit.filter((e) => e.type === 'md.ticker')).toHaveLength(40);
      expect(deribit.find((e) => e.type === 'md.ticker')!.id).toMatch(/^deribit:ticker:BTC-/);
      expect(stored.events.some((e) => e.venue === 'okx')).toBe(true);
      const again = await run(['--input', rec], n.url);
      expect(again.stdout).toMatch(/events: 0 published/);
      expect((await readMd(n.url)).messages).toEqual(stored.messages);
      // --venue takes one venue's frames only.
      const okxOnly = await run(['--input', rec, '--venue', 'okx'], n.url);
      expect(okxOnly.stdout).toMatch(/refused other_venue: \d+ \(e\.g\. line 1: deribit\)/);
    });
    await withNats(async (n) => {
      // A recording the recorder was still writing: its gzip ends mid-line, which is not an error.
      const whole = gzipSync(text);
      const partial = join(dir, 'deribit-okx.jsonl.gz.partial');
      writeFileSync(partial, whole.subarray(0, Math.floor(whole.length * 0.6)));
      const r = await run(['--input', partial], n.url);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('.partial recording cut short');
      const rows = Number(/: (\d+) rows/.exec(r.stdout)![1]);
      expect(rows).toBeGreaterThan(10);
      expect(rows).toBeLessThan(frames.length);
      // The same bytes under another name are a damaged file.
      const damaged = join(dir, 'damaged.jsonl.gz');
      writeFileSync(damaged, whole.subarray(0, Math.floor(whole.length * 0.6)));
      expect((await run(['--input', damaged], n.url)).stderr).toMatch(/line \d+: unreadable gzip data/);
    });
    await withNats(async (n) => {
      const jsonl = await run(['--input', join(svi, 'orderbook_chain_2020-05-14T0541Z_btc.jsonl'), '--format', 'deribit-jsonl'], n.url);
      expect(jsonl.code, jsonl.stderr).toBe(0);
      expect(jsonl.stdout).toContain('310 rows, 310 taken');
      const all = await readMd(n.url);
      expect(all.events.filter((e) => e.type === 'md.instrument' && e.id.startsWith('orderbook:'))).toHaveLength(310);
    });
  });
});
