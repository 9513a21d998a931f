import { black76Price, sviTotalVariance, type SviRaw } from '@volstream/svi';
import { eventId, type Forward, type Mark, type OptionType, type TopOfBook } from '@volstream/events';
import { yearsToExpiry } from '@volstream/svi';

/** One expiry of a synthetic chain: its forward and the true smile the quotes are priced from. */
export type SyntheticExpiry = { expiryTs: number; forward: number; params: SviRaw };

export type SyntheticOption = { instrument: string; underlying: string; expiryTs: number; strike: number; optionType: OptionType };

/**
 * Options of a synthetic inverse chain: per expiry, `strikes` strikes evenly spaced in
 * k = ln(K/F) over [−kWidth·√t', kWidth·√t'] (t' = max(t, 0.02 y), so short expiries are
 * narrower, as listed chains are), each as a call and a put.
 */
export function syntheticOptions({ underlying, expiries, strikes, kWidth = 0.6, ts }: {
  underlying: string; expiries: readonly SyntheticExpiry[]; strikes: number; kWidth?: number; ts: number;
}): SyntheticOption[] {
  const out: SyntheticOption[] = [];
  for (const e of expiries) {
    const half = kWidth * Math.sqrt(Math.max(yearsToExpiry({ expiryTs: e.expiryTs, ts }), 0.02));
    for (let i = 0; i < strikes; i++) {
      const k = -half + (2 * half * i) / Math.max(strikes - 1, 1);
      const strike = Math.round(e.forward * Math.exp(k));
      for (const optionType of ['call', 'put'] as const) {
        out.push({ instrument: `${underlying}-${e.expiryTs}-${strike}-${optionType === 'call' ? 'C' : 'P'}`, underlying, expiryTs: e.expiryTs, strike, optionType });
      }
    }
  }
  return out;
}

/** True vol of the smile at a strike: σ = √(w(k)/t), k = ln(K/F) (QUANT.md b1). */
export function smileVol({ params, forward, strike, t }: { params: SviRaw; forward: number; strike: number; t: number }): number {
  return Math.sqrt(sviTotalVariance(params, Math.log(strike / forward)) / t);
}

/** Inverse (coin) premium of an option at a vol: Black-76 USD price / F (QUANT.md b8). */
export function coinPrice({ forward, strike, t, sigma, optionType }: { forward: number; strike: number; t: number; sigma: number; optionType: OptionType }): number {
  return black76Price({ forward, strike, t, sigma, isCall: optionType === 'call' }) / forward;
}

/**
 * A book.top priced from the smile: bid and ask are the coin prices at σ ∓ spreadVol/2.
 * `volShift` moves the whole smile (vol fraction) to make quotes change.
 */
export function syntheticTop({ venue, option, params, forward, ts, seq, spreadVol = 0.01, volShift = 0 }: {
  venue: string; option: SyntheticOption; params: SviRaw; forward: number; ts: number; seq: number; spreadVol?: number; volShift?: number;
}): TopOfBook {
  const t = yearsToExpiry({ expiryTs: option.expiryTs, ts });
  const sigma = smileVol({ params, forward, strike: option.strike, t }) + volShift;
  const price = (s: number) => coinPrice({ forward, strike: option.strike, t, sigma: s, optionType: option.optionType });
  return {
    type: 'book.top', v: 1, id: eventId('top', venue, option.instrument, seq), venue, ts, recvTs: ts + 1,
    instrument: option.instrument, underlying: option.underlying, expiryTs: option.expiryTs, strike: option.strike,
    optionType: option.optionType, settlement: 'inverse', contractSize: 1,
    bid: price(sigma - spreadVol / 2), bidSize: 1, ask: price(sigma + spreadVol / 2), askSize: 1, seq,
  };
}

export function syntheticForward({ venue, underlying, expiryTs, forward, ts, seq }: {
  venue: string; underlying: string; expiryTs: number; forward: number; ts: number; seq: number;
}): Forward {
  return { type: 'book.forward', v: 1, id: eventId('fwd', venue, underlying, expiryTs, seq), venue, ts, recvTs: ts + 1, underlying, expiryTs, forward, source: 'underlying_price' };
}

export function syntheticMark({ venue, option, markPrice, ts, seq }: { venue: string; option: SyntheticOption; markPrice: number; ts: number; seq: number }): Mark {
  return { type: 'book.mark', v: 1, id: eventId('mark', venue, option.instrument, seq), venue, ts, recvTs: ts + 1, instrument: option.instrument, underlying: option.underlying, expiryTs: option.expiryTs, markPrice };
}
