import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { COMPOSITE_VENUE, STREAM_NAMES, SurfaceEvent, type Surface, type VolEvent } from '@volstream/events';
import { connectNats, ensureStreams, Publisher } from '@volstream/runtime';
import { readStream, startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { parseSurfaceConfig, startSurface } from './index.ts';
import { syntheticVolPoints, trueExpiry } from './synthetic-points.ts';

const T0 = 1_800_000_000_000;
const expiries = [trueExpiry({ t0: T0, days: 7, atmVol: 0.7, forward: 60_100 }), trueExpiry({ t0: T0, days: 30, atmVol: 0.62, forward: 60_500 }), trueExpiry({ t0: T0, days: 90, atmVol: 0.58, forward: 61_500 })];
const VENUES = ['deribit', 'okx'] as const;
const UNDERLYINGS = ['BTC', 'ETH'] as const;

/** Both venues quote both underlyings at T0 (okx 0.2 vol pt cheaper, forward 10 bp higher), then
 * each re-quotes one expiry every 200 ms of event time for 3 s: fits at T0+1s, +2s, +3s. */
function volStream(): VolEvent[] {
  const out: VolEvent[] = [];
  const quote = (venue: string, underlying: string, i: number, ts: number, seq: number) =>
    syntheticVolPoints({ venue, underlying, expiry: expiries[i]!, ts, seq, shift: venue === 'okx' ? -0.002 : 0, forwardShift: venue === 'okx' ? 0.001 : 0 });
  for (const underlying of UNDERLYINGS) for (const venue of VENUES) for (const i of expiries.keys()) out.push(...quote(venue, underlying, i, T0 + 100 + i, 0));
  for (let n = 1; n <= 15; n++) {
    for (const underlying of UNDERLYINGS) for (const venue of VENUES) out.push(...quote(venue, underlying, n % 3, T0 + 100 + n * 200, n));
  }
  return out;
}

describe('composite surfaces over a real nats-server', () => {
  let nats: NatsServer;
  beforeAll(async () => { nats = await startNatsServer(); });
  afterAll(async () => { await nats?.stop(); });

  it('publishes each venue\'s surface and the composite of every underlying on the SURFACE stream', async () => {
    const nc = await connectNats({ url: nats.url, name: 'producer' });
    await ensureStreams(await jetstreamManager(nc));
    const pub = new Publisher(jetstream(nc));
    for (const e of volStream()) await pub.publish('vol', e);
    await pub.flush();

    // No SHARE: this worker sees every venue, so COMPOSITE defaults on.
    const config = parseSurfaceConfig({ NATS_URL: nats.url });
    expect(config.COMPOSITE).toBe('also');
    const surface = await startSurface(config);
    const want = UNDERLYINGS.flatMap((u) => [...VENUES, COMPOSITE_VENUE].map((v) => `${v}.${u}`)).sort();
    let surfaces: Surface[] = [];
    const full = () => new Set(surfaces.filter((s) => s.expiries.length === expiries.length).map((s) => `${s.venue}.${s.underlying}`));
    await waitFor('full surfaces of both venues and the composite, for BTC and ETH', async () => {
      const { events } = await readStream(nats.url, STREAM_NAMES.surface, { schema: SurfaceEvent });
      surfaces = events.filter((o): o is Surface => o.type === 'surface.surface');
      return full().size === want.length;
    }, { timeoutMs: 60_000 });
    await surface.stop();

    expect([...full()].sort()).toEqual(want);
    for (const underlying of UNDERLYINGS) {
      const latest = (venue: string) => surfaces.filter((s) => s.venue === venue && s.underlying === underlying && s.expiries.length === expiries.length).at(-1)!;
      const [d, o, c] = [latest('deribit'), latest('okx'), latest(COMPOSITE_VENUE)];
      expect(c.ts % 1_000).toBe(0);
      expect(c.expiries.map((x) => x.expiryTs)).toEqual(expiries.map((e) => e.expiryTs));
      for (const [i, slice] of c.expiries.entries()) {
        // The composite's mid is inside the two venues' markets: ATM vol between theirs.
        expect(slice.atmVol, `${underlying} expiry ${i}`).toBeLessThanOrEqual(Math.max(d.expiries[i]!.atmVol, o.expiries[i]!.atmVol) + 1e-4);
        expect(slice.atmVol, `${underlying} expiry ${i}`).toBeGreaterThanOrEqual(Math.min(d.expiries[i]!.atmVol, o.expiries[i]!.atmVol) - 1e-4);
        expect(slice.diagnostics.minG).toBeGreaterThanOrEqual(0);
      }
    }
    // Subjects: surface.<venue>.<underlying>._._surface, the composite's under `composite`.
    const info = await (await jetstreamManager(nc)).streams.info(STREAM_NAMES.surface, { subjects_filter: 'surface.composite.>' });
    expect(Object.keys(info.state.subjects ?? {})).toEqual(expect.arrayContaining(['surface.composite.BTC._._surface', 'surface.composite.ETH._._surface']));
    await nc.close();
  });
});
