/**
 * Load check of the simulated venue: starts `src/main.ts` as a child process, subscribes one
 * client to every book and ticker channel (paced by the subscribe rate limit), then measures for
 * BENCH_SECONDS the messages received and the server's CPU (from /proc, Linux).
 *
 *   SIM_INSTRUMENTS_PER_UNDERLYING=4000 npx tsx apps/sim/bench/load.ts
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const port = Number(process.env.SIM_PORT ?? 18090);
const subscribe = (process.env.BENCH_SUBSCRIBE ?? 'all') as 'all' | 'none';
const mainTs = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function cpuSeconds(pid: number): number {
  // /proc/<pid>/stat fields 14 (utime) and 15 (stime), in clock ticks (100 Hz on Linux)
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const child = spawn(process.execPath, ['--import', 'tsx', mainTs], {
  env: { ...process.env, SIM_PORT: String(port) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => (process.stdout.write(d), d.toString().includes('ws://') && resolve())));

const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/api/v2`);
await new Promise((r) => ws.once('open', r));
let id = 0;
const pending = new Map<number, (f: { result?: unknown; error?: unknown }) => void>();
const counts = { book: 0, ticker: 0, index: 0, other: 0 };
let bytes = 0;
ws.on('message', (data: Buffer) => {
  bytes += data.length;
  const f = JSON.parse(data.toString()) as { id?: number; method?: string; params?: { channel: string } };
  if (f.id !== undefined) return pending.get(f.id)?.(f as never);
  const ch = f.params?.channel ?? '';
  if (ch.startsWith('book.')) counts.book++;
  else if (ch.startsWith('ticker.')) counts.ticker++;
  else if (ch.startsWith('deribit_price_index.')) counts.index++;
  else counts.other++;
});
const call = (method: string, params: unknown) =>
  new Promise<{ result?: unknown; error?: unknown }>((resolve) => {
    const i = ++id;
    pending.set(i, resolve);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: i, method, params }));
  });

let channels: string[] = ['deribit_price_index.btc_usd', 'deribit_price_index.eth_usd'];
if (subscribe === 'all') {
  for (const currency of ['BTC', 'ETH']) {
    const r = (await call('public/get_instruments', { currency })) as { result: { instrument_name: string }[] };
    for (const i of r.result) channels.push(`book.${i.instrument_name}.100ms`, `ticker.${i.instrument_name}.100ms`);
  }
}
const t0 = Date.now();
for (let i = 0; i < channels.length; i += 500) {
  for (;;) {
    const r = await call('public/subscribe', { channels: channels.slice(i, i + 500) });
    if (!r.error) break;
    await new Promise((res) => setTimeout(res, 300)); // 10028: wait for the bucket to refill
  }
}
console.log(`subscribed ${channels.length} channels in ${Date.now() - t0} ms`);
await new Promise((r) => setTimeout(r, 2000));

const c0 = { ...counts };
const b0 = bytes;
const cpu0 = cpuSeconds(child.pid!);
const w0 = Date.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const wall = (Date.now() - w0) / 1000;
const cpu = cpuSeconds(child.pid!) - cpu0;
const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Record<string, unknown>;
const rate = (k: keyof typeof counts) => ((counts[k] - c0[k]) / wall).toFixed(0);
console.log(
  JSON.stringify({
    instrumentsPerUnderlying: process.env.SIM_INSTRUMENTS_PER_UNDERLYING ?? '400',
    channels: channels.length,
    seconds: wall,
    msgPerSec: { book: rate('book'), ticker: rate('ticker'), index: rate('index') },
    kBytesPerSec: ((bytes - b0) / wall / 1024).toFixed(0),
    serverCpuPercentOfOneCore: ((100 * cpu) / wall).toFixed(1),
    stepMsMean: Number(health.stepMsMean).toFixed(2),
    stepMsMax: Number(health.stepMsMax).toFixed(1),
  }),
);
ws.close();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
