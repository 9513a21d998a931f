import fc from 'fast-check';
import { impliedVolFromCoin } from '@volstream/svi';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { listExpiries } from './calendar.ts';
import { futureBook, optionBook } from './quotes.ts';
import { UNDERLYING_SPECS } from './specs.ts';
import { slicesAt } from './surface.ts';
import { isValidOptionPrice, ticksToPrice } from './ticks.ts';
import type { Level, Market, Slice } from './types.ts';

const NOW = Date.UTC(2026, 10, 21, 6, 0);
const spec = UNDERLYING_SPECS.BTC;
const market: Market = { spot: 95_000, basis: 0.07, perpPremium: 0, surface: spec.surface0 };
const SLICES = slicesAt({ market, expiries: listExpiries({ nowMs: NOW }), nowMs: NOW }).filter((s): s is Slice => s !== null);

const quote = fc.record({
  expiry: fc.integer({ min: 0, max: SLICES.length - 1 }),
  z: fc.double({ min: -4, max: 4, noNaN: true }),
  isCall: fc.boolean(),
  seed: fc.integer(),
  jitter: fc.double({ min: 0.75, max: 1.25, noNaN: true }),
});

function strikeAt(slice: Slice, z: number): number {
  return Math.round(slice.forward * Math.exp(z * Math.sqrt(slice.theta)));
}

function expectSorted(levels: readonly Level[], dir: 1 | -1): void {
  for (let i = 1; i < levels.length; i++) expect(dir * (levels[i]![0] - levels[i - 1]![0])).toBeGreaterThan(0);
}

describe('optionBook', () => {
  it('is never crossed, respects Deribit ticks and min price, and brackets the fair value', () => {
    fc.assert(
      fc.property(quote, ({ expiry, z, isCall, seed, jitter }) => {
        const slice = SLICES[expiry]!;
        const strike = strikeAt(slice, z);
        const { bids, asks, fair } = optionBook({ slice, strike, isCall, spec, rng: createRng(seed), spreadJitter: jitter });
        expect(asks.length).toBeGreaterThanOrEqual(3);
        expect(asks.length).toBeLessThanOrEqual(5);
        expect(bids.length).toBeLessThanOrEqual(5);
        expectSorted(bids, -1);
        expectSorted(asks, 1);
        for (const [p, a] of [...bids, ...asks]) {
          expect(isValidOptionPrice(p), `price ${p}`).toBe(true);
          expect(a).toBeGreaterThanOrEqual(spec.optionMinAmount);
          expect(Math.abs(a * 10 - Math.round(a * 10))).toBeLessThan(1e-9); // lots of 0.1 BTC
        }
        const bid = bids[0]?.[0];
        const ask = asks[0]![0];
        if (bid !== undefined) {
          expect(bid).toBeLessThan(ask);
          expect(bid).toBeLessThan(fair.price);
        }
        expect(ask).toBeGreaterThan(fair.price);
        if (fair.price < 0.0001) expect(bids).toHaveLength(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds the bid down and the ask up: the mid is within half a tick-rounded spread of fair', () => {
    fc.assert(
      fc.property(quote, ({ expiry, z, isCall, seed, jitter }) => {
        const slice = SLICES[expiry]!;
        const { bids, asks, fair } = optionBook({ slice, strike: strikeAt(slice, z), isCall, spec, rng: createRng(seed), spreadJitter: jitter });
        if (!bids[0]) return;
        const mid = (bids[0][0] + asks[0]![0]) / 2;
        expect(Math.abs(mid - fair.price)).toBeLessThanOrEqual((asks[0]![0] - bids[0][0]) / 2 + 1e-12);
      }),
      { numRuns: 1000 },
    );
  });

  it('near ATM, the Black-76 IV of the two-sided mid is within the IV half-spread of the truth vol', () => {
    const nearAtm = quote.filter(({ expiry }) => SLICES[expiry]!.t > 1 / 365).map((q) => ({ ...q, z: q.z / 8 }));
    fc.assert(
      fc.property(nearAtm, ({ expiry, z, isCall, seed, jitter }) => {
        const slice = SLICES[expiry]!;
        const strike = strikeAt(slice, z);
        const { bids, asks, fair } = optionBook({ slice, strike, isCall, spec, rng: createRng(seed), spreadJitter: jitter });
        expect(bids.length).toBeGreaterThan(0);
        const iv = (coinPrice: number) => {
          const r = impliedVolFromCoin({ coinPrice, forward: slice.forward, strike, t: slice.t, isCall });
          if (!r.ok) throw new Error(`no IV for ${coinPrice}: ${r.reason}`);
          return r.iv;
        };
        const bidIv = iv(bids[0]![0]);
        const askIv = iv(asks[0]![0]);
        const midIv = iv((bids[0]![0] + asks[0]![0]) / 2);
        const ctx = JSON.stringify({ strike, t: slice.t, bidIv, askIv, midIv, truth: fair.sigma });
        expect(Math.abs(midIv - fair.sigma), ctx).toBeLessThanOrEqual((askIv - bidIv) / 2);
        // and the quoted spread is realistic: ≥ 1 vol point, and ≤ 5 beyond a week (shorter
        // expiries have so little vega that one tick is several vol points, as on Deribit)
        expect(askIv - bidIv, ctx).toBeGreaterThan(0.008);
        if (slice.t > 7 / 365) expect(askIv - bidIv, ctx).toBeLessThan(0.05);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('futureBook', () => {
  it('is never crossed and sits on the tick grid', () => {
    fc.assert(
      fc.property(fc.double({ min: 1000, max: 200_000, noNaN: true }), fc.constantFrom(2.5, 0.5, 0.05), fc.integer(), (mid, tick, seed) => {
        const { bids, asks } = futureBook({ mid, tick, spec, rng: createRng(seed) });
        expectSorted(bids, -1);
        expectSorted(asks, 1);
        expect(bids[0]![0]).toBeLessThan(mid);
        expect(asks[0]![0]).toBeGreaterThan(mid);
        for (const [p] of [...bids, ...asks]) expect(ticksToPrice(Math.round(p / tick), tick)).toBe(p);
      }),
    );
  });
});
