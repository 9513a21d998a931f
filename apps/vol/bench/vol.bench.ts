/**
 * Vol core throughput on a 4,000-instrument chain: the windowed core (forward moves coalesced
 * per reprice window, 0.1 bp skip) against a baseline that reprices every option of an expiry
 * on every forward tick and sends every point, on the same input in the same run.
 *
 * Run: npm run bench -w @volstream/vol   (BENCH_UPDATES and BENCH_FORWARD_SHARE run one custom scenario)
 */
import type { BookEvent, VolEvent } from '@volstream/events';
import type { Core } from '@volstream/runtime';
import { createVolCore, priceQuote, yearsToExpiry } from '../src/index.ts';
import { syntheticBookStream, type SyntheticExpiry } from '../src/testing/index.ts';

const DAY = 86_400_000;
const T0 = 1_800_000_000_000;
const EXPIRY_DAYS = [1, 2, 3, 7, 14, 21, 30, 60, 90, 180];
const STRIKES = 200; // x 10 expiries x call/put = 4,000 instruments
/** Event-time rate 1,000 updates/s; forward ticks at 5 and 20 per expiry per second. */
const SCENARIOS = process.env.BENCH_UPDATES
  ? [{ updates: Number(process.env.BENCH_UPDATES), forwardShare: Number(process.env.BENCH_FORWARD_SHARE ?? 0.05) }]
  : [{ updates: 100_000, forwardShare: 0.05 }, { updates: 30_000, forwardShare: 0.2 }];
const STEP_MS = 1;
const REPRICE_MS = 500;
const ROUNDS = 3;

const expiries: SyntheticExpiry[] = EXPIRY_DAYS.map((d) => {
  const t = d / 365;
  return { expiryTs: T0 + d * DAY, forward: 60_000 * (1 + 0.05 * t), params: { a: 0.3 * t, b: 0.08 * Math.sqrt(t), rho: -0.25, m: 0, sigma: 0.15 } };
});

/** The work a naive stage does: every forward tick reprices and sends the whole expiry. */
function baselineCore(): Core<BookEvent, VolEvent> {
  type Quote = { e: Extract<BookEvent, { type: 'book.top' }> };
  const forwards = new Map<number, number>();
  const byExpiry = new Map<number, Map<string, Quote>>();
  const price = (top: Quote['e'], forward: number, ts: number): VolEvent => {
    const t = yearsToExpiry({ expiryTs: top.expiryTs, ts });
    const p = priceQuote({ bid: top.bid, ask: top.ask, mark: null, forward, strike: top.strike, t, optionType: top.optionType, settlement: top.settlement, contractSize: top.contractSize });
    return {
      type: 'vol.point', v: 1, id: `b:${top.id}:${ts}`, venue: top.venue, ts, recvTs: top.recvTs,
      instrument: top.instrument, underlying: top.underlying, expiryTs: top.expiryTs, strike: top.strike, optionType: top.optionType,
      settlement: top.settlement, contractSize: top.contractSize, t, forward, k: p.k, bid: top.bid, ask: top.ask, mark: null,
      bidIv: p.bidIv, askIv: p.askIv, midIv: p.midIv, markIv: p.markIv, delta: p.delta, vega: p.vega, reasons: p.reasons,
    };
  };
  return {
    apply(e) {
      if (e.type === 'book.forward') {
        forwards.set(e.expiryTs, e.forward);
        return [...(byExpiry.get(e.expiryTs)?.values() ?? [])].map((q) => price(q.e, e.forward, e.ts));
      }
      if (e.type !== 'book.top') return [];
      let m = byExpiry.get(e.expiryTs);
      if (!m) byExpiry.set(e.expiryTs, (m = new Map()));
      m.set(e.instrument, { e });
      const f = forwards.get(e.expiryTs);
      return f === undefined ? [] : [price(e, f, e.ts)];
    },
    snapshot: () => null,
  };
}

function measure(make: () => Core<BookEvent, VolEvent>, events: readonly BookEvent[]): { perSec: number; outputs: number; ms: number } {
  const core = make();
  let outputs = 0;
  const t0 = performance.now();
  for (const e of events) outputs += core.apply(e).length;
  const ms = performance.now() - t0;
  return { perSec: (events.length / ms) * 1000, outputs, ms };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** One workload: the same input to both cores, alternating, median of ROUNDS timed runs. */
function scenario({ updates, forwardShare }: { updates: number; forwardShare: number }): void {
  const { events, options } = syntheticBookStream({ expiries, strikes: STRIKES, startTs: T0, updates, stepMs: STEP_MS, forwardShare, seed: 42 });
  const forwardTicks = events.filter((e) => e.type === 'book.forward').length - expiries.length;
  const perExpiryPerWindow = forwardTicks / expiries.length / ((updates * STEP_MS) / REPRICE_MS);
  console.log(`\nvol bench: ${options.length} instruments (${expiries.length} expiries x ${STRIKES} strikes x call/put), ${events.length} input events ` +
    `(${options.length + expiries.length} initial + ${updates} updates ${STEP_MS} ms apart, ${forwardTicks} of them forward ticks = ${perExpiryPerWindow.toFixed(1)} per expiry per ${REPRICE_MS} ms window)`);
  const windowed = () => createVolCore(undefined, { repriceMs: REPRICE_MS });
  measure(windowed, events.slice(0, 20_000)); // warm-up (JIT)
  measure(baselineCore, events.slice(0, 20_000));
  const w: ReturnType<typeof measure>[] = [];
  const b: ReturnType<typeof measure>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    b.push(measure(baselineCore, events));
    w.push(measure(windowed, events));
  }
  const bw = median(b.map((x) => x.perSec));
  const ww = median(w.map((x) => x.perSec));
  console.log(`  baseline (reprice expiry on every forward tick): ${fmt(bw)} updates/s, ${fmt(b[0]!.outputs)} points out (median of ${ROUNDS} runs, ${fmt(median(b.map((x) => x.ms)))} ms each)`);
  console.log(`  windowed core (repriceMs ${REPRICE_MS}, 0.1 bp skip):   ${fmt(ww)} updates/s, ${fmt(w[0]!.outputs)} points out (median of ${ROUNDS} runs, ${fmt(median(w.map((x) => x.ms)))} ms each)`);
  console.log(`  ratio windowed/baseline: ${(ww / bw).toFixed(1)}x updates/s, ${(b[0]!.outputs / Math.max(w[0]!.outputs, 1)).toFixed(1)}x fewer points out`);
}

console.log(`node ${process.version}, ${ROUNDS} rounds per core per scenario`);
for (const sc of SCENARIOS) scenario(sc);
