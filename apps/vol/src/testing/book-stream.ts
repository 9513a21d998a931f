import type { BookEvent } from '@volstream/events';
import { mulberry32 } from '@volstream/svi';
import { syntheticForward, syntheticOptions, syntheticTop, type SyntheticExpiry, type SyntheticOption } from './synthetic-book.ts';

export type BookStreamOptions = {
  venue?: string;
  underlying?: string;
  expiries: readonly SyntheticExpiry[];
  /** Strikes per expiry (each listed as call and put). */
  strikes: number;
  startTs: number;
  /** Updates after the initial full chain. */
  updates: number;
  /** Event time between updates, ms. */
  stepMs: number;
  /** Share of updates that are forward ticks (the rest are book.top changes). */
  forwardShare: number;
  seed?: number;
};

/**
 * A deterministic BOOK stream of a synthetic inverse chain: one forward per expiry and one top
 * per option at `startTs`, then `updates` random changes, each a forward tick of one expiry
 * (relative move ~1e-4) or a re-quote of one option (its smile shifted by up to ±0.3 vol pts).
 */
export function syntheticBookStream(o: BookStreamOptions): { events: BookEvent[]; options: SyntheticOption[] } {
  const venue = o.venue ?? 'sim';
  const underlying = o.underlying ?? 'BTC';
  const rnd = mulberry32(o.seed ?? 1);
  const options = syntheticOptions({ underlying, expiries: o.expiries, strikes: o.strikes, ts: o.startTs });
  const byExpiry = new Map(o.expiries.map((e) => [e.expiryTs, e]));
  const forward = new Map(o.expiries.map((e) => [e.expiryTs, e.forward]));
  const events: BookEvent[] = [];
  let seq = 0;
  for (const e of o.expiries) events.push(syntheticForward({ venue, underlying, expiryTs: e.expiryTs, forward: e.forward, ts: o.startTs, seq: seq++ }));
  for (const option of options) {
    const e = byExpiry.get(option.expiryTs)!;
    events.push(syntheticTop({ venue, option, params: e.params, forward: e.forward, ts: o.startTs, seq: seq++ }));
  }
  let ts = o.startTs;
  for (let i = 0; i < o.updates; i++) {
    ts += o.stepMs;
    if (rnd() < o.forwardShare) {
      const e = o.expiries[Math.floor(rnd() * o.expiries.length)]!;
      const f = forward.get(e.expiryTs)! * (1 + (rnd() - 0.5) * 2e-4);
      forward.set(e.expiryTs, f);
      events.push(syntheticForward({ venue, underlying, expiryTs: e.expiryTs, forward: f, ts, seq: seq++ }));
    } else {
      const option = options[Math.floor(rnd() * options.length)]!;
      const e = byExpiry.get(option.expiryTs)!;
      events.push(syntheticTop({ venue, option, params: e.params, forward: forward.get(e.expiryTs)!, ts, seq: seq++, volShift: (rnd() - 0.5) * 0.006 }));
    }
  }
  return { events, options };
}
