import { describe, expect, it } from 'vitest';
import { black76Price } from './black76.ts';
import { butterflyG, minButterflyG } from './butterfly.ts';
import { sviTotalVariance } from './svi-raw.ts';
import type { SviRaw } from './svi-raw.ts';

// Axel Vogt's slice, the arbitrageable example of Gatheral & Jacquier 2014 §2.2 (T = 1).
const VOGT: SviRaw = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };
const GOOD: SviRaw = { a: 0.04, b: 0.2, rho: -0.4, m: 0.05, sigma: 0.2 };

describe('Gatheral–Jacquier g(k)', () => {
  it('equals 1 + w″/2 at k = 0 on a symmetric slice centred at 0 (w′(0) = 0)', () => {
    const p = { a: 0.04, b: 0.1, rho: 0, m: 0, sigma: 0.1 };
    expect(butterflyG(p, 0)).toBeCloseTo(1 + 0.5 * (0.1 / 0.1), 14);
  });

  it('detects the butterfly arbitrage of Vogt’s slice (GJ 2014 §2.2 / Fig. 2: g < 0 on the right of the vertex)', () => {
    const r = minButterflyG(VOGT, -1.5, 1.5, 301);
    expect(r.minG).toBeLessThan(0);
    expect(r.kAtMin).toBeGreaterThan(0.2);
    expect(r.kAtMin).toBeLessThan(1.2);
    expect(minButterflyG(GOOD, -1.5, 1.5, 301).minG).toBeGreaterThan(0);
  });

  it('matches the density from call prices: ∂²C/∂K² = g/√(2πw)·e^{−d₋²/2}/K (GJ 2014 eq. 2.2)', () => {
    // forward 1, T = 1; density of ln(S/F) at k: p(k) = g(k)/√(2πw)·exp(−d₋²/2), d₋ = −k/√w − √w/2
    for (const k of [-0.6, -0.2, 0, 0.3, 0.7]) {
      const call = (kk: number) => black76Price({ forward: 1, strike: Math.exp(kk), t: 1, sigma: Math.sqrt(sviTotalVariance(GOOD, kk)), isCall: true });
      const K = Math.exp(k);
      const h = 1e-3;
      const cKK = (call(Math.log(K + h)) - 2 * call(k) + call(Math.log(K - h))) / (h * h);
      const w = sviTotalVariance(GOOD, k);
      const dm = -k / Math.sqrt(w) - Math.sqrt(w) / 2;
      const density = (butterflyG(GOOD, k) / Math.sqrt(2 * Math.PI * w)) * Math.exp(-0.5 * dm * dm);
      // ∂²C/∂K² is the density of S_T at K; in k = ln K it is K·q(K)
      expect(cKK * K).toBeCloseTo(density, 4);
    }
  });

  it('treats w ≤ 0 and NaN as arbitrage', () => {
    expect(butterflyG({ a: -1, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, 0)).toBe(Number.NEGATIVE_INFINITY);
    expect(minButterflyG({ a: Number.NaN, b: 0.1, rho: 0, m: 0, sigma: 0.1 }, -1, 1, 11).minG).toBe(Number.NEGATIVE_INFINITY);
  });
});
