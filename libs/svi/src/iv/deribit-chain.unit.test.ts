import { describe, expect, it } from 'vitest';
import { deribitYears, loadDeribitChain, median } from './deribit-chain-fixture.ts';
import { impliedVolFromCoin } from './implied-vol.ts';

/*
 * Real data: recompute Deribit's own mark_iv / bid_iv / ask_iv (percent) on the 2020-05-14 BTC
 * chain from the coin prices, with F = underlying_price, T = (expiration − timestamp)/(365 d),
 * r = 0 and premium_USD = coin × F (QUANT.md b8; EXCHANGES.md §1.9).
 */
const rows = loadDeribitChain();

const SIDES = [
  { price: 'mark_price', iv: 'mark_iv' },
  { price: 'best_bid_price', iv: 'bid_iv' },
  { price: 'best_ask_price', iv: 'ask_iv' },
] as const;

describe('Deribit BTC chain 2020-05-14: recomputed IVs', () => {
  it('has the whole chain', () => {
    expect(rows.length).toBe(310);
  });

  it.each(SIDES)('$iv from $price: median |Δ| < 0.02 vol points', ({ price, iv }) => {
    const diffs: number[] = [];
    const failures: string[] = [];
    for (const r of rows) {
      const quoted = r[iv];
      // Deribit marks a missing side with price 0 / iv 0; a dead ask can carry iv 500.
      if (r[price] === 0 || quoted === 0 || quoted === 500) continue;
      const res = impliedVolFromCoin({
        coinPrice: r[price],
        forward: r.underlying_price,
        strike: r.strike,
        t: deribitYears(r),
        isCall: r.option_type === 'call',
      });
      if (res.ok) diffs.push(Math.abs(100 * res.iv - quoted));
      else failures.push(`${r.instrument_name} ${price}=${r[price]} ${iv}=${quoted}: ${res.reason}`);
    }
    expect(diffs.length).toBeGreaterThan(150);
    expect(median(diffs), `${iv}: n=${diffs.length}`).toBeLessThan(0.02);
    // The only rows that cannot be inverted are marks of the expiry 2.3 h away that sit below
    // intrinsic on F = underlying_price (Deribit still shows ~116% for them).
    for (const f of failures) expect(f).toMatch(/^BTC-14MAY20-.*: below_intrinsic$/);
    expect(failures.length).toBeLessThanOrEqual(10);
  });

  it('converting with the index instead of the forward is clearly worse (numeraire check, QUANT.md b8)', () => {
    const withForward: number[] = [];
    const withIndex: number[] = [];
    for (const r of rows) {
      if (r.mark_iv === 0 || r.mark_iv === 500 || deribitYears(r) < 2 / 365) continue;
      const common = { forward: r.underlying_price, strike: r.strike, t: deribitYears(r), isCall: r.option_type === 'call' };
      const f = impliedVolFromCoin({ coinPrice: r.mark_price, ...common });
      const i = impliedVolFromCoin({ coinPrice: (r.mark_price * r.index_price) / r.underlying_price, ...common });
      if (f.ok && i.ok) {
        withForward.push(Math.abs(100 * f.iv - r.mark_iv));
        withIndex.push(Math.abs(100 * i.iv - r.mark_iv));
      }
    }
    expect(median(withIndex)).toBeGreaterThan(10 * median(withForward));
  });
});
