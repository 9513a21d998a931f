import { black76Price, mulberry32, sviTotalVariance } from '@volstream/svi';
import type { MdEvent } from '@volstream/events';
import { trueSmile } from './synthetic-vol.ts';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

export type SyntheticMdOptions = {
  venue?: string;
  underlying?: string;
  startTs: number;
  durationMs: number;
  /** MD events per second of event time. */
  eventsPerSecond?: number;
  expiryDays?: readonly number[];
  strikesPerExpiry?: number;
  forward?: number;
  seed?: number;
};

/**
 * A market-data history from known SVI smiles, as the connector would store it: every option's
 * md.instrument first, then book snapshots (one price level a side, premiums in coin from the
 * smile ± a 1-3 vol point spread) and, one event in ten, an md.ticker carrying the expiry's
 * forward as `underlyingPrice`. Deterministic for a seed.
 */
export function* syntheticMdEvents(o: SyntheticMdOptions): Generator<MdEvent> {
  const venue = o.venue ?? 'deribit';
  const underlying = o.underlying ?? 'BTC';
  const rand = mulberry32(o.seed ?? 11);
  const perSecond = o.eventsPerSecond ?? 300;
  const day0 = Math.floor(o.startTs / DAY) * DAY + 8 * 3_600_000;
  let forward = o.forward ?? 95_000;
  const expiries = (o.expiryDays ?? [2, 7, 30, 90]).map((d) => {
    const expiryTs = day0 + d * DAY;
    const days0 = (expiryTs - o.startTs) / DAY;
    return { expiryTs, t0: days0 / 365, params: trueSmile(days0), tag: new Date(expiryTs).toISOString().slice(0, 10).replaceAll('-', ''), basis: 1 + 0.05 * (days0 / 365) };
  });
  const n = o.strikesPerExpiry ?? 20;
  const options = [...new Map(expiries.flatMap((e) => {
    const sd = Math.sqrt(sviTotalVariance(e.params, 0));
    return Array.from({ length: n }, (_, i) => Math.round((forward * Math.exp(-2.5 * sd + (5 * sd * i) / (n - 1))) / 500) * 500)
      .flatMap((strike) => (['call', 'put'] as const).map((optionType) => ({ e, strike, optionType, instrument: `${underlying}-${e.tag}-${strike}-${optionType === 'call' ? 'C' : 'P'}`, seq: 0 })));
  }).map((x) => [x.instrument, x])).values()];

  let id = 0;
  const base = (ts: number) => ({ v: 1 as const, id: `md:${o.seed ?? 11}:${id++}`, venue, ts, recvTs: ts + 2 });
  for (const x of options) {
    yield { ...base(o.startTs), type: 'md.instrument', instrument: x.instrument, underlying, kind: 'option', expiryTs: x.e.expiryTs, strike: x.strike, optionType: x.optionType, settlement: 'inverse', contractSize: 1, quoteCurrency: underlying, tickSize: 0.0001, active: true };
  }
  const total = Math.round((o.durationMs / 1000) * perSecond);
  for (let i = 0; i < total; i++) {
    const ts = o.startTs + Math.floor((i * 1000) / perSecond);
    forward *= 1 + (rand() - 0.5) * 2e-4;
    const x = options[Math.floor(rand() * options.length)]!;
    const t = (x.e.expiryTs - ts) / YEAR;
    if (t <= 0) continue;
    const fwd = forward * x.e.basis;
    if (i % 10 === 0) {
      yield { ...base(ts), type: 'md.ticker', instrument: x.instrument, underlying, expiryTs: x.e.expiryTs, underlyingPrice: fwd, underlyingIndex: `${underlying}-${x.e.tag}` };
      continue;
    }
    const k = Math.log(x.strike / fwd);
    const vol = Math.sqrt(sviTotalVariance(x.e.params, k) / x.e.t0) * (1 + 0.02 * Math.sin((2 * Math.PI * (ts - o.startTs)) / 3_600_000)) + (rand() - 0.5) * 0.004;
    const half = 0.005 + rand() * 0.01;
    const price = (s: number) => Math.round((black76Price({ forward: fwd, strike: x.strike, t, sigma: s, isCall: x.optionType === 'call' }) / fwd) * 1e6) / 1e6;
    const bid = price(vol - half);
    const ask = price(vol + half);
    x.seq += 1;
    yield {
      ...base(ts), type: 'md.book.snapshot', instrument: x.instrument, underlying, expiryTs: x.e.expiryTs, seq: x.seq,
      bids: bid > 0 ? [[bid, 1 + Math.floor(rand() * 20)]] : [], asks: ask > bid ? [[ask, 1 + Math.floor(rand() * 20)]] : [],
    };
  }
}
