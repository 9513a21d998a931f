import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { STREAM_NAMES, SurfaceEvent, type Surface } from '@volstream/events';
import { connectNats, ensureStreams, Publisher } from '@volstream/runtime';
import { readStream, startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { ssviToRaw, sviImpliedVol } from '@volstream/svi';
import { parseVolConfig, startVol, YEAR_MS } from '@volstream/vol';
import { syntheticBookStream, type SyntheticExpiry } from '@volstream/vol/testing';
import { parseSurfaceConfig, startSurface } from './index.ts';

const T0 = 1_800_000_000_000;
const DAY = 86_400_000;
/** Arbitrage-free SSVI truth per expiry (θφ = 0.8√θ, ρ = −0.3). */
const expiries: SyntheticExpiry[] = [[7, 0.7], [30, 0.62], [90, 0.58]].map(([days, vol]) => {
  const theta = vol! * vol! * (days! / 365);
  return { expiryTs: T0 + days! * DAY, forward: 60_000 + 20 * days!, params: ssviToRaw({ theta, rho: -0.3, phi: 0.8 / Math.sqrt(theta) }) };
});

describe('book -> vol -> surface over a real nats-server', () => {
  let nats: NatsServer;
  beforeAll(async () => { nats = await startNatsServer(); });
  afterAll(async () => { await nats?.stop(); });

  it('publishes a surface with every expected expiry on the SURFACE stream', async () => {
    // The full chain at T0, then 3 s of event time of re-quotes and forward ticks: fits at T0+1s, +2s, +3s.
    const { events } = syntheticBookStream({ expiries, strikes: 15, startTs: T0, updates: 600, stepMs: 5, forwardShare: 0.1, seed: 11 });
    const nc = await connectNats({ url: nats.url, name: 'producer' });
    await ensureStreams(await jetstreamManager(nc));
    const pub = new Publisher(jetstream(nc));
    for (const e of events) await pub.publish('book', e);
    await pub.flush();

    const vol = await startVol(parseVolConfig({ NATS_URL: nats.url }));
    const surface = await startSurface(parseSurfaceConfig({ NATS_URL: nats.url, FITTER: 'svi-qe' }));
    let surfaces: Surface[] = [];
    await waitFor('a surface with all expiries', async () => {
      const { events: out } = await readStream(nats.url, STREAM_NAMES.surface, { schema: SurfaceEvent });
      surfaces = out.filter((o): o is Surface => o.type === 'surface.surface');
      return surfaces.some((s) => s.expiries.length === expiries.length);
    }, { timeoutMs: 60_000 });
    await surface.stop();
    await vol.stop();

    const full = surfaces.find((s) => s.expiries.length === expiries.length)!;
    expect(full.venue).toBe('sim');
    expect(full.underlying).toBe('BTC');
    expect(full.ts % 1_000).toBe(0);
    expect(full.expiries.map((x) => x.expiryTs)).toEqual(expiries.map((e) => e.expiryTs));
    for (const slice of full.expiries) {
      const e = expiries.find((x) => x.expiryTs === slice.expiryTs)!;
      // The quotes' mids are the true smile ± up to 0.15 vol pts of re-quote noise.
      const truth = sviImpliedVol(e.params, 0, (e.expiryTs - full.ts) / YEAR_MS);
      expect(Math.abs(slice.atmVol - truth) * 100, `ATM vol of ${slice.expiryTs}`).toBeLessThan(0.5);
      expect(slice.diagnostics.minG).toBeGreaterThanOrEqual(0);
    }
    await nc.close();
  });
});
