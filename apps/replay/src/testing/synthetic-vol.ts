import { black76Greeks, black76Price, mulberry32, sviTotalVariance } from '@volstream/svi';
import type { SviParams, VolPoint } from '@volstream/events';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

export type SyntheticVolOptions = {
  venue?: string;
  underlying?: string;
  /** Event time of the first point, ms. */
  startTs: number;
  durationMs: number;
  /** Vol points per second of event time (the simulated venue's default is 300 book updates/s). */
  pointsPerSecond?: number;
  /** Days to expiry of each expiry at `startTs` (expiries land at 08:00 UTC). */
  expiryDays?: readonly number[];
  strikesPerExpiry?: number;
  forward?: number;
  seed?: number;
};

/** The true smile of an expiry: raw SVI in total variance at the expiry's t at `startTs`. */
export function trueSmile(days: number): SviParams {
  const t = days / 365;
  const atm = 0.55 + 0.1 * Math.exp(-days / 20);
  return { a: 0.6 * atm * atm * t, b: 0.25 * Math.sqrt(t), rho: -0.25, m: 0.02, sigma: 0.25 };
}

/**
 * A VOL-stream history from known SVI smiles: every `1/pointsPerSecond` s one option (call and
 * put on each strike, strikes over ±2.5 ATM standard deviations) is requoted with its vol from
 * the smile (scaled by a slow ATM drift), a mid noise of ±0.2 vol points, and a spread of
 * 1-3 vol points; the forward follows a small random walk. Deterministic for a seed.
 */
export function* syntheticVolPoints(o: SyntheticVolOptions): Generator<VolPoint> {
  const venue = o.venue ?? 'deribit';
  const underlying = o.underlying ?? 'BTC';
  const rand = mulberry32(o.seed ?? 7);
  const perSecond = o.pointsPerSecond ?? 300;
  const day0 = Math.floor(o.startTs / DAY) * DAY + 8 * 3_600_000;
  const expiries = (o.expiryDays ?? [2, 7, 30, 90]).map((d) => {
    const expiryTs = day0 + d * DAY;
    const days0 = (expiryTs - o.startTs) / DAY;
    return { expiryTs, t0: days0 / 365, params: trueSmile(days0), tag: new Date(expiryTs).toISOString().slice(0, 10).replaceAll('-', '') };
  });
  const nStrikes = o.strikesPerExpiry ?? 20;
  let forward = o.forward ?? 95_000;
  const options = expiries.flatMap((e) => {
    const sd = Math.sqrt(sviTotalVariance(e.params, 0));
    return Array.from({ length: nStrikes }, (_, i) => {
      const k = -2.5 * sd + (5 * sd * i) / (nStrikes - 1);
      const strike = Math.round((forward * Math.exp(k)) / 500) * 500;
      return (['call', 'put'] as const).map((optionType) => ({ e, strike, optionType, instrument: `${underlying}-${e.tag}-${strike}-${optionType === 'call' ? 'C' : 'P'}` }));
    }).flat();
  });
  const unique = [...new Map(options.map((x) => [x.instrument, x])).values()];
  const n = Math.round((o.durationMs / 1000) * perSecond);
  for (let i = 0; i < n; i++) {
    const ts = o.startTs + Math.floor((i * 1000) / perSecond);
    forward *= 1 + (rand() - 0.5) * 2e-4;
    const opt = unique[Math.floor(rand() * unique.length)]!;
    const t = (opt.e.expiryTs - ts) / YEAR;
    if (t <= 0) continue;
    const k = Math.log(opt.strike / forward);
    const drift = 1 + 0.02 * Math.sin((2 * Math.PI * (ts - o.startTs)) / 3_600_000);
    const trueVol = Math.sqrt(sviTotalVariance(opt.e.params, k) / opt.e.t0) * drift;
    const mid = trueVol + (rand() - 0.5) * 0.004;
    const half = 0.005 + rand() * 0.01;
    const isCall = opt.optionType === 'call';
    const price = (s: number) => black76Price({ forward, strike: opt.strike, t, sigma: s, isCall }) / forward;
    const g = black76Greeks({ forward, strike: opt.strike, t, sigma: mid, isCall });
    yield {
      type: 'vol.point', v: 1, id: `syn:${o.seed ?? 7}:${i}`, venue, ts, recvTs: ts + 3,
      instrument: opt.instrument, underlying, expiryTs: opt.e.expiryTs, strike: opt.strike, optionType: opt.optionType, settlement: 'inverse', contractSize: 1,
      t, forward, k, bid: price(mid - half), ask: price(mid + half), mark: price(mid),
      bidIv: mid - half, askIv: mid + half, midIv: mid, markIv: mid, delta: g.delta, vega: g.vega, reasons: {},
    };
  }
}
