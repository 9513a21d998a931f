// Acked JetStream publish throughput: the runtime Publisher (core publishes, one wildcard ack
// inbox) against the plain client path (`js.publish` with many promises in flight), same server,
// same events, same run. Prints msg/s and the ratio. `npm run bench -w @volstream/runtime`
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { encode, subjectFor, type IndexPrice } from '@volstream/events';
import { connectNats, ensureStreams, Publisher } from '../src/index.ts';
import { startNatsServer } from '../src/testing/index.ts';

const N = Number(process.env.BENCH_N ?? 100_000);
const ev = (run: string, i: number): IndexPrice => ({ type: 'md.index', v: 1, id: `${run}:${i}`, venue: 'bench', ts: 1_700_000_000_000 + i, recvTs: 1_700_000_000_000 + i, underlying: 'BTC', indexName: 'btc_usd', price: 100_000 + (i % 1000) });

async function baseline(js: JetStreamClient, run: string) {
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < N; i++) {
    const e = ev(run, i);
    if (inFlight.size >= 2_000) await Promise.race(inFlight);
    const p: Promise<unknown> = js.publish(subjectFor('md', e), encode(e), { msgID: e.id }).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

async function runtimePublisher(pub: Publisher, run: string) {
  for (let i = 0; i < N; i++) await pub.publish('md', ev(run, i));
  await pub.flush();
}

const nats = await startNatsServer();
const nc = await connectNats({ url: nats.url, name: 'bench' });
await ensureStreams(await jetstreamManager(nc));
const js = jetstream(nc);
const pub = new Publisher(js);
const rates: Record<string, number[]> = { baseline: [], publisher: [] };
for (let round = 0; round < 3; round++) {
  for (const [name, fn] of [['baseline', () => baseline(js, `b${round}`)], ['publisher', () => runtimePublisher(pub, `p${round}`)]] as const) {
    const t0 = performance.now();
    await fn();
    rates[name]!.push(N / ((performance.now() - t0) / 1000));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const b = median(rates.baseline!);
const p = median(rates.publisher!);
console.log(`acked JetStream publish with Nats-Msg-Id, ${N} msgs x 3 rounds, nats-server 2.9, node ${process.version}`);
console.log(`  baseline js.publish, 2,000 in flight : ${Math.round(b).toLocaleString('en')} msg/s (median)`);
console.log(`  runtime Publisher, one ack inbox     : ${Math.round(p).toLocaleString('en')} msg/s (median)`);
console.log(`  ratio Publisher / baseline: ${(p / b).toFixed(2)}x`);
await nc.close();
await nats.stop();
