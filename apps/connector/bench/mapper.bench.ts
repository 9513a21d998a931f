/**
 * Mapper throughput on real frames (zod parse + mapping), frames/s per kind and venue, and the
 * same frames through the session pipeline (mapping + sequencing rules).
 *   npm run bench -w @volstream/connector
 */
import { loadFixtures } from '../src/fixtures/load.ts';
import { mapDeribitMessage } from '../src/exchanges/deribit/mapper.ts';
import { mapOkxMessage } from '../src/exchanges/okx/mapper.ts';
import { mapBybitMessage } from '../src/exchanges/bybit/mapper.ts';
import { mapBinanceMessage } from '../src/exchanges/binance/mapper.ts';
import { createMapperContext, mapRecordedFrame } from '../src/recording/replay.ts';
import type { InstrumentInfo } from '../src/venue.ts';

const pick = (file: string, re: RegExp) => {
  const f = loadFixtures(file).find((x) => re.test(x.source));
  if (!f) throw new Error(`no fixture ${re} in ${file}`);
  return f.text;
};
const deribitCtx = { instruments: new Map<string, InstrumentInfo>([['BTC-5JUN20-9250-C', { kind: 'option', underlying: 'BTC', expiryTs: 1591344000000 }]]) };
const empty = () => ({ instruments: new Map<string, InstrumentInfo>() });

const cases: [string, (s: string) => unknown, string][] = [
  ['deribit option book snapshot (3+3)', (s) => mapDeribitMessage(s, 1, deribitCtx), pick('deribit-frames.jsonl', /crypto_msg_parser.*line 2 /)],
  ['deribit book change (1+2)', (s) => mapDeribitMessage(s, 1, deribitCtx), pick('deribit-frames.jsonl', /tardis.*line 4 /)],
  ['deribit option ticker', (s) => mapDeribitMessage(s, 1, deribitCtx), pick('deribit-frames.jsonl', /tardis.*line 8 /)],
  ['deribit heartbeat', (s) => mapDeribitMessage(s, 1, deribitCtx), '{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"heartbeat"}}'],
  ['okx books-l2-tbt snapshot (0+2)', (s) => mapOkxMessage(s, 1, empty()), pick('okx-frames.jsonl', /okx_options.jsonl line 2 /)],
  ['okx opt-summary (2 options)', (s) => mapOkxMessage(s, 1, empty()), pick('okx-frames.jsonl', /v5_2021.jsonl line 6 /)],
  ['bybit orderbook delta', (s) => mapBybitMessage(s, 1, empty()), pick('bybit-frames.jsonl', /line 4 /)],
  ['bybit ticker', (s) => mapBybitMessage(s, 1, empty()), pick('bybit-frames.jsonl', /line 5 /)],
  ['binance depth20 (2+2)', (s) => mapBinanceMessage(s, 1, empty()), pick('binance-frames.jsonl', /v2_2025.jsonl line 3 /)],
  ['binance optionMarkPrice (1 row)', (s) => mapBinanceMessage(s, 1, empty()), pick('binance-frames.jsonl', /v2_2025.jsonl line 8 /)],
];

function bench(label: string, f: (i: number) => void, n = 100_000): void {
  let best = 0;
  for (let rep = 0; rep < 5; rep++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f(i);
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
  }
  console.log(`${label.padEnd(40)} ${Math.round(best).toLocaleString('en-US').padStart(10)} frames/s (best of 5)`);
}

for (const [label, map, text] of cases) bench(label, () => map(text));

// The pipeline (what a live session runs per frame): a Bybit book chain, snapshot then deltas.
const sym = 'BTC-27NOV26-95000-C';
const deltas = Array.from({ length: 1_000 }, (_, i) => JSON.stringify({
  topic: `orderbook.25.${sym}`, type: i === 0 ? 'snapshot' : 'delta', ts: 1_790_000_000_000 + i,
  data: { s: sym, b: [[String(1000 + (i % 7) * 5), String(1 + (i % 3))]], a: [[String(1100 + (i % 5) * 5), '2']], u: 1_000 + i },
}));
let ctx = createMapperContext('bybit');
bench('pipeline: bybit book chain (mapper + sequencing)', (i) => {
  if (i % deltas.length === 0) ctx = createMapperContext('bybit');
  mapRecordedFrame({ venue: 'bybit', recvTs: 1_790_000_000_000 + i, frame: deltas[i % deltas.length]! }, ctx);
});

// OKX with checksum verification over a 25-level book (string book update + CRC32 of the top 25 per frame).
const inst = 'BTC-USD-261225-100000-C';
const levels = (side: number) => Array.from({ length: 25 }, (_, k) => [(0.05 + side * (0.0005 * (k + 1))).toFixed(4), String(10 + k), '0', '1']);
const { okxChecksum } = await import('../src/exchanges/okx/checksum.ts');
const bidsS = levels(-1);
const asksS = levels(1);
const snap = JSON.stringify({ arg: { channel: 'books', instId: inst }, action: 'snapshot', data: [{ bids: bidsS, asks: asksS, ts: '1790000000000', prevSeqId: -1, seqId: 1, checksum: okxChecksum(bidsS.map(([p, s]) => [p!, s!]), asksS.map(([p, s]) => [p!, s!])) }] });
const updates = Array.from({ length: 999 }, (_, i) => {
  const b = bidsS.map((l) => [...l]);
  b[i % 25]![1] = String(20 + (i % 9));
  bidsS[i % 25]![1] = b[i % 25]![1]!;
  return JSON.stringify({ arg: { channel: 'books', instId: inst }, action: 'update', data: [{ bids: [b[i % 25]], asks: [], ts: String(1790000000001 + i), prevSeqId: i + 1, seqId: i + 2, checksum: okxChecksum(bidsS.map(([p, s]) => [p!, s!]), asksS.map(([p, s]) => [p!, s!])) }] });
});
const okxFrames = [snap, ...updates];
let okx = createMapperContext('okx');
bench('pipeline: okx 25-level book, checksum verified', (i) => {
  if (i % okxFrames.length === 0) okx = createMapperContext('okx');
  const r = mapRecordedFrame({ venue: 'okx', recvTs: 1_790_000_000_000 + i, frame: okxFrames[i % okxFrames.length]! }, okx);
  if (r.events.some((e) => e.type === 'status')) throw new Error('checksum mismatch in bench data');
});
