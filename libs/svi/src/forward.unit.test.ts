import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Price } from './black76.ts';
import { chooseForward, forwardFromLinearParity, forwardFromParity } from './forward.ts';
import type { ParityPair } from './forward.ts';
import { loadDeribitChain, median } from './iv/deribit-chain-fixture.ts';
import type { DeribitBookRow } from './iv/deribit-chain-fixture.ts';

/** Coin prices of inverse options from Black-76 on F: V_coin = V_USD / F (QUANT.md b8). */
function coinPair(forward: number, strike: number, t: number, sigma: number): ParityPair {
  return {
    strike,
    callCoin: black76Price({ forward, strike, t, sigma, isCall: true }) / forward,
    putCoin: black76Price({ forward, strike, t, sigma, isCall: false }) / forward,
  };
}

describe('forwardFromParity', () => {
  it('recovers F from consistent coin prices (F = K/(1 − (C − P)))', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 100, max: 1e5, noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.double({ min: 0.2, max: 2, noNaN: true }),
        (forward, t, sigma) => {
          const pairs = [0.8, 0.9, 0.95, 1, 1.05, 1.2].map((m) => coinPair(forward, forward * m, t, sigma));
          const res = forwardFromParity(pairs);
          expect(res).not.toBeNull();
          expect(Math.abs(res!.forward / forward - 1), `F=${forward} t=${t} σ=${sigma}`).toBeLessThan(1e-12);
          expect(res!.pairsUsed).toBe(3);
          expect(res!.dispersion).toBeLessThan(1e-12);
        },
      ),
    );
  });

  it('uses the strikes with the smallest |C − P| and shrugs off one bad quote (median of 3)', () => {
    const forward = 9350;
    const pairs = [8000, 9000, 9250, 9500, 10000, 12000].map((k) => coinPair(forward, k, 0.05, 0.8));
    const bad = pairs[2]!; // K = 9250, the nearest strike: corrupt its put by 0.01 BTC
    pairs[2] = { ...bad, putCoin: bad.putCoin - 0.01 };
    const res = forwardFromParity(pairs)!;
    expect(Math.abs(res.forward / forward - 1)).toBeLessThan(1e-12);
    expect(res.dispersion).toBeGreaterThan(0.005);
  });

  it('skips unusable pairs and returns null when none is left', () => {
    expect(forwardFromParity([])).toBeNull();
    expect(
      forwardFromParity([
        { strike: 100, callCoin: Number.NaN, putCoin: 0.1 },
        { strike: -5, callCoin: 0.1, putCoin: 0.1 },
        { strike: 100, callCoin: 1.5, putCoin: 0.1 }, // C − P ≥ 1: F would be ≤ 0
      ]),
    ).toBeNull();
    expect(forwardFromParity([{ strike: 9000, callCoin: 0.05, putCoin: 0.05 }])).toEqual({ forward: 9000, pairsUsed: 1, dispersion: 0 });
  });
});

describe('forwardFromLinearParity', () => {
  it('recovers F = K + (C - P) from Black-76 prices, median of the nearest strikes, bad pairs skipped', () => {
    const F = 64_321;
    const t = 0.2;
    const pairs = [50_000, 60_000, 65_000, 70_000, 80_000].map((strike) => ({
      strike, call: black76Price({ forward: F, strike, t, sigma: 0.55, isCall: true }), put: black76Price({ forward: F, strike, t, sigma: 0.55, isCall: false }),
    }));
    const r = forwardFromLinearParity([...pairs, { strike: 65_000, call: Number.NaN, put: 1 }, { strike: 1_000, call: 0, put: 5_000 }]);
    expect(r!.forward).toBeCloseTo(F, 6);
    expect(r!.pairsUsed).toBe(3);
    expect(forwardFromLinearParity([{ strike: 60_000, call: 2_100, put: 1_900 }])).toEqual({ forward: 60_200, pairsUsed: 1, dispersion: 0 });
    expect(forwardFromLinearParity([])).toBeNull();
  });
});

describe('chooseForward', () => {
  it('prefers the venue forward and reports the disagreement', () => {
    expect(chooseForward({ venueForward: 100, parityForward: 101 })).toEqual({ forward: 100, source: 'venue', disagreement: 0.010000000000000009 });
    expect(chooseForward({ venueForward: 100 })).toEqual({ forward: 100, source: 'venue', disagreement: null });
  });

  it('falls back to parity when the venue forward is missing or invalid, and null when both are', () => {
    expect(chooseForward({ parityForward: 101 })).toEqual({ forward: 101, source: 'parity', disagreement: null });
    expect(chooseForward({ venueForward: Number.NaN, parityForward: 101 })).toEqual({ forward: 101, source: 'parity', disagreement: null });
    expect(chooseForward({ venueForward: 0, parityForward: null })).toBeNull();
    expect(chooseForward({})).toBeNull();
  });
});

describe('forwardFromParity on the real Deribit chain (2020-05-14)', () => {
  const byExpiry = new Map<number, DeribitBookRow[]>();
  for (const r of loadDeribitChain()) byExpiry.set(r.expiration_timestamp, [...(byExpiry.get(r.expiration_timestamp) ?? []), r]);

  function pairs(rows: DeribitBookRow[], price: (r: DeribitBookRow) => number | null): ParityPair[] {
    const out: ParityPair[] = [];
    for (const c of rows.filter((r) => r.option_type === 'call')) {
      const p = rows.find((r) => r.option_type === 'put' && r.strike === c.strike);
      const cp = price(c);
      const pp = p ? price(p) : null;
      if (cp !== null && pp !== null) out.push({ strike: c.strike, callCoin: cp, putCoin: pp });
    }
    return out;
  }
  const mid = (r: DeribitBookRow): number | null => (r.best_bid_price > 0 && r.best_ask_price > 0 ? (r.best_bid_price + r.best_ask_price) / 2 : null);

  it.each([...byExpiry.keys()].sort((a, b) => a - b).map((e) => [new Date(e).toISOString().slice(0, 10), e] as const))(
    'expiry %s: parity forward from mids within 0.35% of underlying_price, from marks within 0.05%',
    (_label, expiry) => {
      const rows = byExpiry.get(expiry)!;
      const venue = median(rows.map((r) => r.underlying_price));
      const fromMid = forwardFromParity(pairs(rows, mid));
      const fromMark = forwardFromParity(pairs(rows, (r) => r.mark_price));
      expect(fromMid).not.toBeNull();
      expect(fromMark).not.toBeNull();
      // 2020 BTC option spreads were ~0.003 BTC, i.e. ~0.3% of F in a parity forward.
      expect(Math.abs(fromMid!.forward / venue - 1)).toBeLessThan(0.0035);
      expect(Math.abs(fromMark!.forward / venue - 1)).toBeLessThan(0.0005);
      const chosen = chooseForward({ venueForward: venue, parityForward: fromMid!.forward })!;
      expect(chosen.source).toBe('venue');
      expect(Math.abs(chosen.disagreement!)).toBeLessThan(0.0035);
    },
  );
});
