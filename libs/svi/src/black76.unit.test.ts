import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Greeks, black76Price } from './black76.ts';

const EPS = Number.EPSILON;

describe('black76Price', () => {
  it('matches mpmath values (50-digit Black-76)', () => {
    // F = K = 100, t = 1, σ = 0.2: C = P = 100·erf(0.1/√2) = 7.96556745540579629…
    expect(black76Price({ forward: 100, strike: 100, t: 1, sigma: 0.2, isCall: true })).toBeCloseTo(7.965567455405796, 14);
    expect(black76Price({ forward: 100, strike: 100, t: 1, sigma: 0.2, isCall: false })).toBeCloseTo(7.965567455405796, 14);
    // F = 100, K = 120, t = 0.5, σ = 0.3
    expect(black76Price({ forward: 100, strike: 120, t: 0.5, sigma: 0.3, isCall: true })).toBeCloseTo(2.503775208732238, 14);
    expect(black76Price({ forward: 100, strike: 120, t: 0.5, sigma: 0.3, isCall: false })).toBeCloseTo(22.503775208732236, 13);
    // A Deribit-like short-dated OTM call: F = 9352.58, K = 12000, t = 7/365, σ = 1.1249
    const c = black76Price({ forward: 9352.58, strike: 12000, t: 7 / 365, sigma: 1.1249, isCall: true });
    expect(Math.abs(c - 38.26927442090671) / 38.26927442090671).toBeLessThan(8 * EPS);
  });

  it('limits: t = 0 or σ = 0 gives intrinsic; invalid inputs give NaN', () => {
    expect(black76Price({ forward: 110, strike: 100, t: 0, sigma: 0.5, isCall: true })).toBe(10);
    expect(black76Price({ forward: 110, strike: 100, t: 1, sigma: 0, isCall: false })).toBe(0);
    expect(black76Price({ forward: Number.NaN, strike: 100, t: 1, sigma: 0.5, isCall: true })).toBeNaN();
    expect(black76Price({ forward: 100, strike: -1, t: 1, sigma: 0.5, isCall: true })).toBeNaN();
  });

  const arbInput = fc.record({
    forward: fc.double({ min: 1, max: 1e5, noNaN: true }),
    k: fc.double({ min: -3, max: 3, noNaN: true }),
    t: fc.double({ min: 1e-4, max: 2, noNaN: true }),
    sigma: fc.double({ min: 0.01, max: 5, noNaN: true }),
  });

  it('put–call parity C − P = F − K', () => {
    fc.assert(
      fc.property(arbInput, ({ forward, k, t, sigma }) => {
        const strike = forward * Math.exp(-k * Math.sqrt(t));
        const c = black76Price({ forward, strike, t, sigma, isCall: true });
        const p = black76Price({ forward, strike, t, sigma, isCall: false });
        expect(Math.abs(c - p - (forward - strike)), `F=${forward} K=${strike} t=${t} σ=${sigma}`).toBeLessThanOrEqual(
          8 * EPS * Math.max(forward, strike),
        );
      }),
    );
  });

  it('stays within no-arbitrage bounds and is non-decreasing in σ', () => {
    fc.assert(
      fc.property(arbInput, fc.double({ min: 0, max: 0.5, noNaN: true }), fc.boolean(), ({ forward, k, t, sigma }, dSigma, isCall) => {
        const strike = forward * Math.exp(-k * Math.sqrt(t));
        const p1 = black76Price({ forward, strike, t, sigma, isCall });
        const p2 = black76Price({ forward, strike, t, sigma: sigma + dSigma, isCall });
        const intrinsic = Math.max(isCall ? forward - strike : strike - forward, 0);
        expect(p1).toBeGreaterThanOrEqual(intrinsic);
        expect(p1).toBeLessThanOrEqual(isCall ? forward : strike);
        expect(p2, `F=${forward} K=${strike} t=${t} σ=${sigma}+${dSigma}`).toBeGreaterThanOrEqual(p1);
      }),
    );
  });
});

describe('black76Greeks', () => {
  it('matches central differences of black76Price (reference greeks by bump-and-revalue)', () => {
    const cases = [
      { forward: 9352.58, strike: 9250, t: 8.1 / 365, sigma: 0.7687, isCall: false },
      { forward: 9352.58, strike: 12000, t: 30 / 365, sigma: 1.1, isCall: true },
      { forward: 100, strike: 80, t: 1.5, sigma: 0.25, isCall: true },
      { forward: 100, strike: 130, t: 0.2, sigma: 0.6, isCall: false },
    ];
    for (const c of cases) {
      const g = black76Greeks(c);
      const p = (o: Partial<typeof c>): number => black76Price({ ...c, ...o });
      const dF = c.forward * 1e-4;
      const delta = (p({ forward: c.forward + dF }) - p({ forward: c.forward - dF })) / (2 * dF);
      const gamma = (p({ forward: c.forward + dF }) - 2 * p({}) + p({ forward: c.forward - dF })) / (dF * dF);
      const dS = 1e-5;
      const vega = (p({ sigma: c.sigma + dS }) - p({ sigma: c.sigma - dS })) / (2 * dS) / 100;
      const dT = 1e-6;
      const theta = -(p({ t: c.t + dT }) - p({ t: c.t - dT })) / (2 * dT) / 365;
      const msg = JSON.stringify(c);
      expect(Math.abs(g.delta - delta), msg).toBeLessThan(1e-7);
      expect(Math.abs(g.gamma / gamma - 1), msg).toBeLessThan(1e-5);
      expect(Math.abs(g.vega / vega - 1), msg).toBeLessThan(1e-7);
      expect(Math.abs(g.theta / theta - 1), msg).toBeLessThan(1e-6);
    }
  });

  it('forward delta N(d₁) for calls and N(d₁) − 1 for puts; vega and gamma equal for both', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 1e-3, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (k, t, sigma) => {
          const input = { forward: 100, strike: 100 * Math.exp(k), t, sigma };
          const c = black76Greeks({ ...input, isCall: true });
          const p = black76Greeks({ ...input, isCall: false });
          expect(Math.abs(c.delta - p.delta - 1)).toBeLessThan(1e-15);
          expect(c.vega).toBe(p.vega);
          expect(c.gamma).toBe(p.gamma);
          expect(c.theta).toBe(p.theta);
          expect(c.vega).toBeGreaterThanOrEqual(0);
          expect(c.theta).toBeLessThanOrEqual(0);
        },
      ),
    );
  });

  it('t = 0: step delta, zero gamma/vega/theta', () => {
    expect(black76Greeks({ forward: 110, strike: 100, t: 0, sigma: 0.5, isCall: true })).toEqual({ delta: 1, gamma: 0, vega: 0, theta: 0 });
    expect(black76Greeks({ forward: 110, strike: 100, t: 0, sigma: 0.5, isCall: false })).toEqual({ delta: 0, gamma: 0, vega: 0, theta: 0 });
  });
});
