import { describe, expect, it } from 'vitest';
import { black76Greeks } from './black76.ts';
import { deribitYears, loadDeribitChain, median } from './iv/deribit-chain-fixture.ts';

/*
 * Real data: Black-76 greeks on F = underlying_price with σ = mark_iv against Deribit's own
 * `greeks` (EXCHANGES.md §1.9: forward delta, vega per vol point, theta per calendar day,
 * gamma per USD; Deribit rounds greeks to 5 decimals and mark_iv to 2).
 */
const rows = loadDeribitChain().map((r) => ({
  row: r,
  t: deribitYears(r),
  ours: black76Greeks({ forward: r.underlying_price, strike: r.strike, t: deribitYears(r), sigma: r.mark_iv / 100, isCall: r.option_type === 'call' }),
}));

describe('black76Greeks vs Deribit greeks (BTC chain 2020-05-14)', () => {
  it('delta = N(d₁) / N(d₁) − 1: median |Δ| < 2e-5, and < 1e-4 for every option beyond 2 days', () => {
    expect(median(rows.map(({ row, ours }) => Math.abs(ours.delta - row.greeks.delta)))).toBeLessThan(2e-5);
    for (const { row, t, ours } of rows) {
      if (t > 2 / 365) expect(Math.abs(ours.delta - row.greeks.delta), row.instrument_name).toBeLessThan(1e-4);
    }
  });

  it('vega (USD per vol point): median ratio 1 ± 1e-4; every vega ≥ 0.5 within 2e-3', () => {
    const withVega = rows.filter(({ row }) => row.greeks.vega >= 0.5);
    expect(Math.abs(median(withVega.map(({ row, ours }) => ours.vega / row.greeks.vega)) - 1)).toBeLessThan(1e-4);
    for (const { row, ours } of withVega) expect(Math.abs(ours.vega / row.greeks.vega - 1), row.instrument_name).toBeLessThan(2e-3);
  });

  it('theta (USD per calendar day), T > 2 days: median ratio 1 ± 1e-4 (ACT/365.25 would be 7e-4 off); all within 2e-3', () => {
    const longer = rows.filter(({ row, t }) => t > 2 / 365 && row.greeks.theta < -0.5);
    expect(longer.length).toBeGreaterThan(100);
    expect(Math.abs(median(longer.map(({ row, ours }) => ours.theta / row.greeks.theta)) - 1)).toBeLessThan(1e-4);
    for (const { row, ours } of longer) expect(Math.abs(ours.theta / row.greeks.theta - 1), row.instrument_name).toBeLessThan(2e-3);
  });

  it('gamma (per USD): median ratio ≈ 0.99–1.01 (Deribit rounds gamma to 5 decimals)', () => {
    const withGamma = rows.filter(({ row }) => row.greeks.gamma >= 1e-4);
    const ratio = median(withGamma.map(({ row, ours }) => ours.gamma / row.greeks.gamma));
    expect(ratio).toBeGreaterThan(0.98);
    expect(ratio).toBeLessThan(1.02);
  });
});
