/**
 * Deribit mapper throughput on real frames (zod parse + mapping), frames/s per kind.
 *   npm run bench -w @volstream/connector
 */
import { loadFixtures } from '../src/fixtures/load.ts';
import { mapDeribitMessage, type InstrumentInfo } from '../src/exchanges/deribit/mapper.ts';

const frames = loadFixtures('deribit-frames.jsonl');
const pick = (re: RegExp) => frames.find((f) => re.test(f.source))!.text;
const cases: [string, string][] = [
  ['option book snapshot (3+3 levels)', pick(/crypto_msg_parser.*line 2 /)],
  ['book change (1+2 levels)', pick(/tardis.*line 4 /)],
  ['option ticker', pick(/tardis.*line 8 /)],
  ['perpetual ticker', pick(/ws_misc.*line 2 /)],
  ['heartbeat', '{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"heartbeat"}}'],
];
const ctx = { instruments: new Map<string, InstrumentInfo>([['BTC-5JUN20-9250-C', { kind: 'option', underlying: 'BTC', expiryTs: 1591344000000 }]]) };
for (const [label, text] of cases) {
  let best = 0;
  for (let rep = 0; rep < 5; rep++) {
    const n = 100_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) mapDeribitMessage(text, 1_700_000_000_000 + i, ctx);
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
  }
  console.log(`${label.padEnd(36)} ${Math.round(best).toLocaleString('en-US').padStart(10)} frames/s (best of 5)`);
}
