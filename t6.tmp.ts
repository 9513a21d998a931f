import { syntheticMdEvents } from './apps/replay/src/testing/index.ts';
import { createReplayEngine, liveCores, DEFAULT_SETTINGS } from './apps/replay/src/index.ts';
const T0 = Date.UTC(2026, 4, 17, 0);
const dur = 10 * 60_000;
const md = [...syntheticMdEvents({ startTs: T0, durationMs: dur, eventsPerSecond: 300, expiryDays: [1, 2, 3, 7, 14, 21, 30, 60, 90, 180], strikesPerExpiry: 20 })];
for (const fitters of [['svi-qe@1'], ['essvi@1']]) {
  const e = createReplayEngine({ runId: 'x', fromStage: 'md', fromTs: T0, toTs: T0 + dur, fitters, cores: liveCores(DEFAULT_SETTINGS) });
  const t0 = performance.now();
  let rows = 0;
  for (const ev of md) { e.apply(ev); }
  const r = e.take();
  const wall = performance.now() - t0;
  console.log(fitters, md.length, 'events', (wall/1000).toFixed(1), 's', Math.round(md.length / wall * 1000), 'ev/s', (dur / wall).toFixed(1), 'x market', e.stats.volEvents, 'vol', r.fits.length, 'fits', r.residuals.length, 'res', e.stats.rejected);
}
