import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from './synthetic-chain.ts';
import { solveQeInner } from './qe-inner.ts';
import type { QeData } from './qe-inner.ts';

/** Weighted SSE of (a, d, c) at (m, σ): the objective the inner solver minimises. */
function sse(data: QeData, m: number, sigma: number, a: number, d: number, c: number): number {
  let s = 0;
  for (let i = 0; i < data.k.length; i++) {
    const y = (data.k[i]! - m) / sigma;
    const e = a + d * y + c * Math.sqrt(y * y + 1) - data.w[i]!;
    s += data.weight[i]! * e * e;
  }
  return s;
}

/** D: 0 ≤ c, |d| ≤ c, c + |d| ≤ 2σ, −(c − |d|) ≤ a ≤ aMax. */
function feasible(m: number, sigma: number, aMax: number, a: number, d: number, c: number, tol = 1e-10): boolean {
  return c >= -tol && Math.abs(d) <= c + tol && c + Math.abs(d) <= 2 * sigma + tol && a >= -(c - Math.abs(d)) - tol && a <= aMax + tol;
}

function randomData(seed: number, n: number): QeData {
  const r = mulberry32(seed);
  const k = new Float64Array(n);
  const w = new Float64Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    k[i] = -0.6 + (1.2 * i) / (n - 1);
    // A noisy smile, sometimes far outside the SVI domain (steep wings, negative values).
    w[i] = 0.02 + 0.3 * r() * Math.abs(k[i]!) * (1 + 3 * r()) + 0.01 * (r() - 0.5);
    weight[i] = 0.1 + r();
  }
  return { k, w, weight };
}

describe('Zeliade inner problem (fixed m, σ)', () => {
  it('recovers exact raw SVI parameters from noise-free data', () => {
    const p = { a: 0.01, b: 0.3, rho: -0.4, m: 0.05, sigma: 0.15 };
    const n = 21;
    const data: QeData = { k: new Float64Array(n), w: new Float64Array(n), weight: new Float64Array(n).fill(1 / n) };
    for (let i = 0; i < n; i++) {
      const k = -0.5 + i * 0.05;
      data.k[i] = k;
      data.w[i] = p.a + p.b * (p.rho * (k - p.m) + Math.sqrt((k - p.m) ** 2 + p.sigma ** 2));
    }
    const s = solveQeInner(data, p.m, p.sigma, 1);
    expect(s.a).toBeCloseTo(p.a, 12);
    expect(s.c).toBeCloseTo(p.b * p.sigma, 12);
    expect(s.d).toBeCloseTo(p.rho * p.b * p.sigma, 12);
    expect(s.sse).toBeLessThan(1e-20);
  });

  it('returns a feasible point no worse than any feasible point nearby or at random (property: KKT optimality)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 20, maxLength: 20 }),
        (seed, m, sigma, samples) => {
          const data = randomData(seed, 15);
          const aMax = Math.max(...data.w);
          const s = solveQeInner(data, m, sigma, aMax);
          expect(Number.isFinite(s.sse)).toBe(true);
          expect(feasible(m, sigma, aMax, s.a, s.d, s.c)).toBe(true);
          expect(s.sse).toBeCloseTo(sse(data, m, sigma, s.a, s.d, s.c), 12);
          for (const [u, v, z] of samples) {
            // A random feasible point: c ∈ [0, 2σ], d within the diamond, a within its bounds.
            const c = 2 * sigma * u;
            const dMax = Math.min(c, 2 * sigma - c);
            const d = v * dMax;
            const aLo = -(c - Math.abs(d));
            const a = aLo + (aMax - aLo) * z;
            expect(s.sse).toBeLessThanOrEqual(sse(data, m, sigma, a, d, c) + 1e-14);
            // …and small feasible moves from the solution never improve it (local = global for a convex QP).
            const eps = 1e-4;
            const a2 = s.a + eps * (z - 0.5);
            const c2 = s.c + eps * (u - 0.5);
            const d2 = s.d + eps * v;
            if (feasible(m, sigma, aMax, a2, d2, c2, 0)) expect(s.sse).toBeLessThanOrEqual(sse(data, m, sigma, a2, d2, c2) + 1e-14);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the chord bound keeps the minimum of w non-negative: a + √(c² − d²) ≥ 0', () => {
    for (let seed = 1; seed < 200; seed++) {
      const data = randomData(seed, 12);
      // Push towards negative a: shift the targets down.
      for (let i = 0; i < data.w.length; i++) data.w[i] = data.w[i]! - 0.05;
      const s = solveQeInner(data, 0, 0.2, 1);
      expect(s.a + Math.sqrt(Math.max(s.c * s.c - s.d * s.d, 0))).toBeGreaterThanOrEqual(-1e-12);
    }
  });
});
