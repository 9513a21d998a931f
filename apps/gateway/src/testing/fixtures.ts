import type { SmileFit, SmileSlice, Status, Surface, SviParams, VolPoint } from '@volstream/events';
import { sviImpliedVol } from '@volstream/svi';

// Synthetic but desk-shaped events for the gateway's tests and the page: a downward skew that
// flattens with maturity, quotes scattered around the fit with spreads widening in the wings.

export const BASE_TS = Date.UTC(2026, 4, 17, 6, 40); // 2026-05-17T06:40Z
const DAY = 86_400_000;
const YEAR = 365 * DAY;
export const DEFAULT_DAYS = [2, 9, 30, 58, 121, 212] as const;

/** Expiry at 08:00 UTC, `days` calendar days after `ts` (Deribit's expiry time). */
export function expiryAfter(ts: number, days: number): number {
  const d = new Date(ts + days * DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 8);
}

/** Raw SVI with ATM vol `atm` at t: w(0) = atm²·t exactly (m = 0). */
export function exampleParams(atm: number, t: number): SviParams {
  const sigma = 0.3 * Math.sqrt(t);
  const b = 0.4 * atm * Math.sqrt(t);
  return { a: atm * atm * t - b * sigma, b, rho: -0.3, m: 0, sigma };
}

function slice(ts: number, days: number, atmBase: number, forward: number): SmileSlice {
  const expiryTs = expiryAfter(ts, days);
  const t = (expiryTs - ts) / YEAR;
  // Short expiries trade richer: a mild inverted term structure.
  const atm = atmBase + 0.08 * Math.exp(-days / 20);
  const params = exampleParams(atm, t);
  const iv = (k: number) => sviImpliedVol(params, k, t);
  const sd = atm * Math.sqrt(t);
  const at = (z: number) => ({ c: iv(z * sd + 0.5 * sd * sd), p: iv(-z * sd + 0.5 * sd * sd) });
  const d25 = at(0.674);
  const d10 = at(1.2816);
  return {
    expiryTs, t, forward,
    params,
    diagnostics: { rmse: 0.25 + days / 400, maxError: 0.9, inSpread: 0.95, minG: 0.12, iterations: 35, ms: 0.7, used: 30, dropped: { crossed: 1 } },
    points: 30,
    atmVol: iv(0),
    rr25: d25.c - d25.p, bf25: (d25.c + d25.p) / 2 - iv(0),
    rr10: d10.c - d10.p, bf10: (d10.c + d10.p) / 2 - iv(0),
    skew: null,
  };
}

export type SurfaceOptions = {
  underlying?: string;
  venue?: string;
  ts?: number;
  /** ATM vol of long expiries (fraction). */
  atm?: number;
  spot?: number;
  days?: readonly number[];
  id?: string;
};

export function exampleSurface(o: SurfaceOptions = {}): Surface {
  const underlying = o.underlying ?? 'BTC';
  const venue = o.venue ?? 'deribit';
  const ts = o.ts ?? BASE_TS;
  const spot = o.spot ?? (underlying === 'ETH' ? 3_200 : 95_000);
  const atm = o.atm ?? 0.5;
  const expiries = (o.days ?? DEFAULT_DAYS).map((d) => slice(ts, d, atm, spot * (1 + 0.05 * d / 365)));
  return {
    type: 'surface.surface', v: 1, id: o.id ?? `S:${venue}:${underlying}:${ts}`, venue, ts, recvTs: ts + 5, underlying,
    fitter: { name: 'svi-qe', version: '1' },
    expiries,
    tenors: [{ days: 30, atmVol: atm + 0.02, rr25: -0.03, bf25: 0.01 }],
    index30d: atm + 0.03,
  };
}

export function exampleSmile(surface: Surface, i: number, o: { ts: number; atmShift: number }): SmileFit {
  const s = surface.expiries[i]!;
  const t = (s.expiryTs - o.ts) / YEAR;
  const atm = s.atmVol + o.atmShift;
  return {
    type: 'surface.smile', v: 1, id: `s:${surface.venue}:${surface.underlying}:${s.expiryTs}:${o.ts}`, venue: surface.venue, ts: o.ts, recvTs: o.ts + 5,
    underlying: surface.underlying, fitter: surface.fitter, ...s, t, params: exampleParams(atm, t), atmVol: atm,
  };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const deribitDate = (ts: number) => {
  const d = new Date(ts);
  return `${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${String(d.getUTCFullYear()).slice(2)}`;
};

/** Deterministic noise in [-1, 1) (a small LCG; tests must not depend on Math.random). */
function noise(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 31 - 1;
  };
}

/** Thirteen expiries, as Deribit lists for BTC (dailies, weeklies, monthlies, quarterlies). */
export const MANY_DAYS = [1, 2, 3, 6, 13, 20, 27, 48, 76, 111, 202, 293, 384] as const;

/**
 * A call and a put per strike around each expiry's forward, with IVs scattered around the fit.
 * With `flawed`, five out-of-the-money quotes per expiry are spoiled so the fit's filters leave
 * them out, one per reason: `crossed` (2nd put from ATM), `too_wide` (2nd call), `one_sided`
 * (3rd put: bid only), `no_iv` (3rd call: no IV at all) and `vol_cliff` (the outermost call, at
 * a third of the smile's vol).
 */
export function exampleQuotes(surface: Surface, o: { strikes?: number; seed?: number; ts?: number; flawed?: boolean } = {}): VolPoint[] {
  const rnd = noise(o.seed ?? 7);
  const n = o.strikes ?? 15;
  const ts = o.ts ?? surface.ts;
  const out: VolPoint[] = [];
  for (const s of surface.expiries) {
    const first = out.length;
    // Listed strikes do not move with the vol level: a fixed 50% vol sets the range.
    const kMax = Math.min(1.2, 2.5 * 0.5 * Math.sqrt(s.t));
    const step = surface.underlying === 'ETH' ? 50 : 500;
    const strikes = new Set<number>();
    for (let i = 0; i < n; i++) strikes.add(Math.round((s.forward * Math.exp(-kMax + (2 * kMax * i) / (n - 1))) / step) * step);
    for (const strike of strikes) {
      const k = Math.log(strike / s.forward);
      const mid = sviImpliedVol(s.params, k, s.t) + 0.004 * rnd();
      const half = 0.005 + 0.012 * Math.abs(k) / kMax;
      for (const optionType of ['call', 'put'] as const) {
        const instrument = `${surface.underlying}-${deribitDate(s.expiryTs)}-${strike}-${optionType === 'call' ? 'C' : 'P'}`;
        out.push({
          type: 'vol.point', v: 1, id: `vp:${instrument}:${ts}`, venue: surface.venue, ts, recvTs: ts + 3,
          instrument, underlying: surface.underlying, expiryTs: s.expiryTs, strike, optionType, settlement: 'inverse', contractSize: 1,
          t: s.t, forward: s.forward, k,
          bid: null, ask: null, mark: null,
          bidIv: mid - half, askIv: mid + half, midIv: mid, markIv: mid,
          delta: null, vega: null, reasons: {},
        });
      }
    }
    if (o.flawed) spoil(out.slice(first).filter((p) => (p.optionType === 'call') === (p.strike >= s.forward)));
  }
  return out;
}

/** The flaws of `exampleQuotes({ flawed: true })`, on one expiry's OTM quotes (mutated). */
function spoil(otm: VolPoint[]): void {
  const puts = otm.filter((p) => p.optionType === 'put').sort((a, b) => b.strike - a.strike);
  const calls = otm.filter((p) => p.optionType === 'call').sort((a, b) => a.strike - b.strike);
  if (puts.length < 4 || calls.length < 5) return;
  const set = (p: VolPoint | undefined, f: Partial<VolPoint>) => { if (p) Object.assign(p, f); };
  const mid = (p: VolPoint) => p.midIv ?? 0.5;
  set(puts[1], { bidIv: mid(puts[1]!) + 0.02, askIv: mid(puts[1]!) - 0.02 });
  set(calls[1], { bidIv: mid(calls[1]!) * 0.5, askIv: mid(calls[1]!) * 1.5 });
  set(puts[2], { askIv: null, midIv: null, markIv: null, reasons: { ask: 'no_quote', mid: 'no_quote', mark: 'no_quote' } });
  set(calls[2], { bidIv: null, askIv: null, midIv: null, markIv: null, reasons: { bid: 'no_quote', ask: 'no_quote', mid: 'no_quote', mark: 'no_quote' } });
  const last = calls[calls.length - 1]!;
  set(last, { bidIv: mid(last) / 3 - 0.005, askIv: mid(last) / 3 + 0.005, midIv: mid(last) / 3, markIv: mid(last) / 3 });
}

export function exampleStatus(o: { ts?: number; kind?: Status['kind'] } = {}): Status {
  const ts = o.ts ?? BASE_TS;
  return { type: 'status', v: 1, id: `st:${ts}`, venue: 'deribit', ts, recvTs: ts, kind: o.kind ?? 'fit_rejected', stage: 'surface', underlying: 'BTC', reason: 'rmse above bound' };
}
