import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Publisher, connectNats, ensureStreams } from '@volstream/runtime';
import { startNatsServer } from '@volstream/runtime/testing';
import { replay } from './apps/replay/src/index.ts';
import { syntheticMdEvents } from './apps/replay/src/testing/index.ts';
const T0 = Date.UTC(2026, 4, 17, 0);
const durationMs = 3 * 60_000;
const nats = await startNatsServer();
const nc = await connectNats({ url: nats.url, name: 'bench' });
await ensureStreams(await jetstreamManager(nc));
const pub = new Publisher(jetstream(nc), 5_000);
for (const e of syntheticMdEvents({ startTs: T0, durationMs, eventsPerSecond: 300, expiryDays: [1, 2, 3, 7, 14, 21, 30, 60, 90, 180], strikesPerExpiry: 20 })) await pub.publish('md', e);
await pub.flush();
const { Session } = await import('node:inspector/promises');
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.start');
const s = await replay({ nc, underlying: 'BTC', from: T0, to: T0 + durationMs, fitters: ['svi-qe@1'], outDir: '/tmp/prof-out', codeVersion: 'x' });
const { profile } = await session.post('Profiler.stop');
console.log(s.wallMs);
// self time by function
const self = new Map<string, number>();
const nodes = new Map(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas; const samples = profile.samples;
for (let i = 0; i < samples.length; i++) { const n: any = nodes.get(samples[i]); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0) / 1000); }
console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${v.toFixed(0).padStart(6)} ${k}`).join('\n'));
await nc.close(); await nats.stop();
