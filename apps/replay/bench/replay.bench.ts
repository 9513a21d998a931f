// Replay speed on this machine: `npm run bench -w @volstream/replay` (BENCH_MINUTES=60 for longer).
// A synthetic market at the simulated venue's default rate (300 book updates/s on 400 BTC
// options, apps/sim) is stored in a real nats-server's MD stream, with the VOL stream the live
// vol stage would make of it; then it is read back (baseline: read + decode only) and replayed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { MdEvent, STREAM_NAMES, decode, filter } from '@volstream/events';
import { Publisher, connectNats, ensureStreams } from '@volstream/runtime';
import { startNatsServer } from '@volstream/runtime/testing';
import { createBookCore } from '@volstream/book';
import { createVolCore } from '@volstream/vol';
import { DEFAULT_SETTINGS, formatCount, readOrdered, replay } from '../src/index.ts';
import { syntheticMdEvents } from '../src/testing/index.ts';

const minutes = Number(process.env.BENCH_MINUTES ?? 30);
const T0 = Date.UTC(2026, 4, 17, 0);
const durationMs = minutes * 60_000;
const RATE = 300;
const EXPIRY_DAYS = [1, 2, 3, 7, 14, 21, 30, 60, 90, 180];

const nats = await startNatsServer();
const nc = await connectNats({ url: nats.url, name: 'bench' });
const dir = await mkdtemp(join(tmpdir(), 'volstream-bench-'));
try {
  await ensureStreams(await jetstreamManager(nc), { vol: { maxBytes: 2e9 } });
  const pub = new Publisher(jetstream(nc), 5_000);
  const book = createBookCore();
  const vol = createVolCore(undefined, { repriceMs: DEFAULT_SETTINGS.repriceMs });
  let mdCount = 0;
  let volCount = 0;
  let t = performance.now();
  for (const e of syntheticMdEvents({ startTs: T0, durationMs, eventsPerSecond: RATE, expiryDays: EXPIRY_DAYS, strikesPerExpiry: 20 })) {
    await pub.publish('md', e);
    mdCount++;
    for (const b of book.apply(e)) for (const v of vol.apply(b)) { await pub.publish('vol', v); volCount++; }
  }
  await pub.flush();
  console.log(`stored ${minutes} min of synthetic BTC market data at ${RATE} MD events/s (400 options, ${EXPIRY_DAYS.length} expiries): ${formatCount(mdCount)} MD events, ${formatCount(volCount)} vol points (${((performance.now() - t) / 1000).toFixed(0)} s)`);

  const line = (what: string, events: number, wallMs: number) =>
    console.log(`${what.padEnd(44)} ${formatCount(events).padStart(7)} events ${(wallMs / 1000).toFixed(1).padStart(6)} s ${formatCount((events / wallMs) * 1000).padStart(7)} ev/s ${(durationMs / wallMs).toFixed(0).padStart(5)}x market`);

  // Baseline: what reading the stream costs without any core.
  t = performance.now();
  let n = 0;
  for await (const m of readOrdered(nc, STREAM_NAMES.md, filter('md', { underlying: 'BTC' }))) {
    if (decode(m.data, MdEvent).ok) n++;
  }
  line('baseline: read + decode MD, no cores', n, performance.now() - t);

  const run = async (what: string, fitters: string[], fromStage: 'md' | 'vol') => {
    const s = await replay({ nc, underlying: 'BTC', from: T0, to: T0 + durationMs, fitters, fromStage, outDir: join(dir, what.replace(/\W+/g, '_')), codeVersion: 'bench' });
    line(what, s.inputs, s.wallMs);
  };
  await run('replay md -> book -> vol -> svi-qe@1', ['svi-qe@1'], 'md');
  await run('replay md -> book -> vol -> svi-qe@1 + essvi@1', ['svi-qe@1', 'essvi@1'], 'md');
  await run('replay vol -> svi-qe@1', ['svi-qe@1'], 'vol');
  console.log('(replay: wall time includes DuckDB writes, residuals of every fit and the parquet export; "x market" = market seconds replayed per wall second)');
} finally {
  await nc.close();
  await nats.stop();
  await rm(dir, { recursive: true, force: true });
}
