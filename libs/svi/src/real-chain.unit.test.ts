import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildExpiries } from './chain/build-expiries.ts';
import { parseDeribitOrderBookLines } from './chain/deribit-order-book.ts';
import { fitSurface } from './fit-surface.ts';
import { sviImpliedVol } from './svi-raw.ts';

// Real Deribit BTC chain, 2020-05-14 05:41 UTC (github.com/schepal/deribit_data_collector
// sample_data/btc_options_data.csv commit b221f2c4; see fixtures/README.md).
const lines = readFileSync(fileURLToPath(new URL('./fixtures/orderbook_chain_2020-05-14T0541Z_btc.jsonl', import.meta.url)), 'utf8').split('\n');

describe('svi-qe on the real Deribit chain (Deribit bid_iv/ask_iv, underlying_price as forward)', () => {
  const parsed = parseDeribitOrderBookLines(lines);
  if (!parsed.ok) throw new Error(parsed.error);
  const rows = new Map(parsed.rows.map((r) => [r.instrument, r]));
  const { expiries } = buildExpiries({ rows: parsed.rows, ivSource: 'exchange' });
  const surface = fitSurface({ expiries });
  const eligible = surface.expiries.filter((e) => e.t >= 2 / 365);

  it('fits every expiry at least 2 days out', () => {
    expect(eligible.length).toBe(5);
    for (const e of eligible) expect(e.ok, e.ok ? '' : e.reason).toBe(true);
  });

  it('≥ 95% of two-sided OTM quotes are fitted inside their bid-ask IVs; RMSE vs mark_iv < 1 vol point', () => {
    let two = 0;
    let inside = 0;
    let se = 0;
    let n = 0;
    const perExpiry: string[] = [];
    for (const e of eligible) {
      if (!e.ok) continue;
      const input = expiries.find((x) => x.expiryTs === e.expiryTs)!;
      let se1 = 0;
      let n1 = 0;
      for (const q of input.quotes) {
        const v = sviImpliedVol(e.params, q.k, e.t);
        if (q.bidIv !== null && q.askIv !== null) {
          two++;
          if (v >= q.bidIv && v <= q.askIv) inside++;
        }
        const mark = rows.get(q.instrument!)!.markIv;
        if (mark !== null) {
          se += (v - mark) ** 2;
          se1 += (v - mark) ** 2;
          n++;
          n1++;
        }
      }
      perExpiry.push(`${new Date(e.expiryTs).toISOString().slice(0, 10)} rmse-vs-mark ${(100 * Math.sqrt(se1 / n1)).toFixed(3)} inSpread ${e.diagnostics.inSpread.toFixed(3)}`);
    }
    const share = inside / two;
    const rmse = 100 * Math.sqrt(se / n);
    console.log(`real chain: ${inside}/${two} two-sided OTM quotes in spread (${(100 * share).toFixed(1)}%), RMSE vs mark_iv ${rmse.toFixed(3)} vol pt over ${n} OTM quotes\n  ${perExpiry.join('\n  ')}`);
    expect(share).toBeGreaterThanOrEqual(0.95);
    expect(rmse).toBeLessThan(1);
  });

  it('publishes an arbitrage-free surface', () => {
    for (const e of surface.expiries) if (e.ok) expect(e.diagnostics.minG).toBeGreaterThanOrEqual(0);
    expect(surface.calendar.rejected).toBe(0);
  });
});
