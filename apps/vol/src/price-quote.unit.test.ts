import { describe, expect, it } from 'vitest';
import { black76Greeks, black76Price } from '@volstream/svi';
import { priceQuote } from './price-quote.ts';
import { yearsToExpiry } from '@volstream/svi';

const coin = (p: { forward: number; strike: number; t: number; sigma: number; isCall: boolean }) => black76Price(p) / p.forward;

describe('priceQuote', () => {
  it('gives back the vols that known Black-76 prices were made with (inverse and linear, grid)', () => {
    for (const t of [2 / 365, 30 / 365, 1]) {
      // Moneyness in standard deviations: ten deviations ITM has no time value left in doubles.
      for (const z of [-2.5, -1, 0, 1, 2.5]) {
        const k = z * 0.55 * Math.sqrt(t);
        for (const isCall of [true, false]) {
          const forward = 60_000;
          const strike = forward * Math.exp(k);
          const [bidVol, askVol, markVol] = [0.55, 0.58, 0.565];
          const q = { forward, strike, t, optionType: isCall ? 'call' as const : 'put' as const, contractSize: 1 };
          const inv = priceQuote({
            ...q, settlement: 'inverse',
            bid: coin({ forward, strike, t, sigma: bidVol, isCall }), ask: coin({ forward, strike, t, sigma: askVol, isCall }), mark: coin({ forward, strike, t, sigma: markVol, isCall }),
          });
          const where = JSON.stringify({ t, k, isCall });
          expect(inv.bidIv, where).toBeCloseTo(bidVol, 9);
          expect(inv.askIv, where).toBeCloseTo(askVol, 9);
          expect(inv.markIv, where).toBeCloseTo(markVol, 9);
          // The mid vol is the vol of the mid PRICE: between the side vols, and it reprices the mid.
          const midPrice = (coin({ forward, strike, t, sigma: bidVol, isCall }) + coin({ forward, strike, t, sigma: askVol, isCall })) / 2;
          expect(inv.midIv!).toBeGreaterThan(bidVol);
          expect(inv.midIv!).toBeLessThan(askVol);
          expect(coin({ forward, strike, t, sigma: inv.midIv!, isCall }) / midPrice, where).toBeCloseTo(1, 10);
          expect(inv.k).toBeCloseTo(k, 12);
          const g = black76Greeks({ forward, strike, t, sigma: inv.midIv!, isCall });
          expect(inv.delta).toBe(g.delta);
          expect(inv.vega).toBe(g.vega);
          expect(inv.reasons).toEqual({});

          // Linear, quoted per contract of 10 units.
          const lin = priceQuote({ ...q, settlement: 'linear', contractSize: 10, bid: 10 * black76Price({ forward, strike, t, sigma: bidVol, isCall }), ask: null, mark: null });
          expect(lin.bidIv, where).toBeCloseTo(bidVol, 9);
          expect(lin.reasons).toEqual({ ask: 'no_quote', mid: 'no_quote', mark: 'no_quote' });
          expect(lin.delta).toBeNull();
        }
      }
    }
  });

  // Rows of a real Deribit BTC chain (shared/data/real/deribit/orderbook_chain_2020-05-14T0541Z_btc.jsonl,
  // from github.com/schepal/deribit_data_collector sample_data/btc_options_data.csv @ b221f2c4):
  // Deribit's IVs (percent) come back from its prices on `underlying_price` (QUANT.md b8).
  const rows = [
    { name: 'BTC-22MAY20-9250-P', expiryTs: 1590134400000, ts: 1589434896486, strike: 9250, type: 'put', F: 9352.58, mark: 0.04010621, markIv: 76.87, bid: 0.042, bidIv: 80.07, ask: 0.045, askIv: 85.17, vega: 5.49167, delta: -0.43897 },
    { name: 'BTC-26JUN20-8000-C', expiryTs: 1593158400000, ts: 1589434897494, strike: 8000, type: 'call', F: 9359.92, mark: 0.20112115, markIv: 90.26, bid: 0.1985, bidIv: 87.88, ask: 0.204, askIv: 92.87, vega: 10.31091, delta: 0.74578 },
    { name: 'BTC-25SEP20-9000-P', expiryTs: 1601020800000, ts: 1589434898502, strike: 9000, type: 'put', F: 9435.57, mark: 0.17289039, markIv: 83.49, bid: 0.17, bidIv: 82.22, ask: 0.1755, askIv: 84.64, vega: 21.48727, delta: -0.36452 },
    { name: 'BTC-25DEC20-36000-C', expiryTs: 1608883200000, ts: 1589434901363, strike: 36000, type: 'call', F: 9513.55, mark: 0.02712972, markIv: 100.31, bid: 0.0255, bidIv: 99.08, ask: 0.029, askIv: 101.66, vega: 12.87724, delta: 0.09757 },
    { name: 'BTC-15MAY20-11250-C', expiryTs: 1589529600000, ts: 1589434903078, strike: 11250, type: 'call', F: 9350.69, mark: 0.00108517, markIv: 175.19, bid: 0.0005, bidIv: 155.66, ask: 0.002, askIv: 195.26, vega: 0.35015, delta: 0.03016 },
  ] as const;

  it.each(rows)('reproduces Deribit IVs and greeks of $name', (r) => {
    const t = yearsToExpiry({ expiryTs: r.expiryTs, ts: r.ts });
    const p = priceQuote({ bid: r.bid, ask: r.ask, mark: r.mark, forward: r.F, strike: r.strike, t, optionType: r.type, settlement: 'inverse', contractSize: 1 });
    // Deribit rounds IVs to 0.01 vol points; mark IV is the documented acceptance check (QUANT.md b8).
    expect(Math.abs(p.markIv! * 100 - r.markIv)).toBeLessThan(0.05);
    expect(Math.abs(p.bidIv! * 100 - r.bidIv)).toBeLessThan(0.1);
    expect(Math.abs(p.askIv! * 100 - r.askIv)).toBeLessThan(0.1);
    // Greeks at the mark vol (no book) are Deribit's, which it computes at mark_iv.
    const m = priceQuote({ bid: null, ask: null, mark: r.mark, forward: r.F, strike: r.strike, t, optionType: r.type, settlement: 'inverse', contractSize: 1 });
    expect(m.vega! / r.vega).toBeCloseTo(1, 2);
    expect(m.delta!).toBeCloseTo(r.delta, 2);
  });

  it('names why a side has no vol', () => {
    // BTC-14MAY20-8875-C from the same chain: a bid below intrinsic (Deribit shows bid_iv 0).
    const t = yearsToExpiry({ expiryTs: 1589443200000, ts: 1589434898500 });
    const p = priceQuote({ bid: 0.0375, ask: 0.057, mark: 0.05088735, forward: 9350.14, strike: 8875, t, optionType: 'call', settlement: 'inverse', contractSize: 1 });
    expect(p.bidIv).toBeNull();
    expect(p.reasons.bid).toBe('below_intrinsic');
    expect(p.askIv).not.toBeNull();
    const q = priceQuote({ bid: 0, ask: 1.5, mark: null, forward: 9350, strike: 8875, t, optionType: 'call', settlement: 'inverse', contractSize: 1 });
    expect(q.reasons).toEqual({ bid: 'no_quote', ask: 'above_max', mid: 'no_quote', mark: 'no_quote' });
  });
});
