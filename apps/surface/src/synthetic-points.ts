import type { VolPoint } from '@volstream/events';
import { black76Greeks, ssviToRaw, sviImpliedVol, type SviRaw } from '@volstream/svi';
import { YEAR_MS } from '@volstream/vol';

/** Test data (not exported by the package): a known smile and the vol points of its quotes. */
export type TrueExpiry = { expiryTs: number; forward: number; atmVol: number; params: SviRaw };

/** Arbitrage-free truth: an SSVI slice with θφ = 0.8√θ and ρ = −0.3 (GJ 2014 Thm 4.2 holds). */
export function trueExpiry({ t0, days, atmVol, forward }: { t0: number; days: number; atmVol: number; forward: number }): TrueExpiry {
  const theta = atmVol * atmVol * (days / 365);
  return { expiryTs: t0 + days * 86_400_000, forward, atmVol, params: ssviToRaw({ theta, rho: -0.3, phi: 0.8 / Math.sqrt(theta) }) };
}

export type PointsSpec = {
  venue: string;
  underlying?: string;
  expiry: TrueExpiry;
  ts: number;
  /** Distinguishes the ids of successive quote sets. */
  seq: number;
  /** Added to every mid IV (a venue quoting rich or cheap), vol fraction. */
  shift?: number;
  /** Half the bid-ask spread in IV, vol fraction (default 0.005). */
  halfSpread?: number;
  /** This venue's forward relative to the true one (0.001 = 10 bp above). */
  forwardShift?: number;
  /** Only every n-th strike of the grid (default 1: all 25). */
  every?: number;
};

/**
 * Vol points of one expiry on one venue at time ts: calls and puts on 25 strikes spaced
 * 0.25 σ√t in k around the TRUE forward (so venues share strikes), mid IV from the true smile
 * plus `shift`, vega at the mid on the venue's own forward.
 */
export function syntheticVolPoints(o: PointsSpec): VolPoint[] {
  const e = o.expiry;
  const underlying = o.underlying ?? 'BTC';
  const halfSpread = o.halfSpread ?? 0.005;
  const forward = e.forward * (1 + (o.forwardShift ?? 0));
  const t = (e.expiryTs - o.ts) / YEAR_MS;
  const sd = e.atmVol * Math.sqrt(t);
  const out: VolPoint[] = [];
  for (let i = -12; i <= 12; i++) {
    if ((i + 12) % (o.every ?? 1) !== 0) continue;
    const strike = Math.round(e.forward * Math.exp(i * 0.25 * sd));
    const k = Math.log(strike / forward);
    const mid = sviImpliedVol(e.params, Math.log(strike / e.forward), t) + (o.shift ?? 0);
    for (const optionType of ['call', 'put'] as const) {
      const g = black76Greeks({ forward, strike, t, sigma: mid, isCall: optionType === 'call' });
      const instrument = `${underlying}-${e.expiryTs}-${strike}-${optionType === 'call' ? 'C' : 'P'}`;
      out.push({
        type: 'vol.point', v: 1, id: `vp:${o.venue}:${o.seq}:${instrument}`, venue: o.venue, ts: o.ts, recvTs: o.ts + 2,
        instrument, underlying, expiryTs: e.expiryTs, strike, optionType, settlement: 'inverse', contractSize: 1,
        t, forward, k, bid: 0.01, ask: 0.011, mark: null,
        bidIv: mid - halfSpread, askIv: mid + halfSpread, midIv: mid, markIv: null, delta: g.delta, vega: g.vega, reasons: { mark: 'no_quote' },
      });
    }
  }
  return out;
}
