import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Price } from '../black76.ts';
import { impliedVol, impliedVolFromCoin, impliedVolFromLinear } from './implied-vol.ts';
import { referenceImpliedVol } from './reference.ts';

const EPS = Number.EPSILON;
const MINUTE = 1 / 525600;

/** ∂P/∂σ of the undiscounted Black-76 price (Black 1976), for conditioning estimates. */
function rawVega(forward: number, strike: number, t: number, sigma: number): number {
  const s = sigma * Math.sqrt(t);
  const d1 = Math.log(forward / strike) / s + s / 2;
  return (forward * Math.exp(-0.5 * d1 * d1) * Math.sqrt(t)) / Math.sqrt(2 * Math.PI);
}

/**
 * Condition number of σ with respect to the premium: |dσ/σ| = cond·|dP/P|. A solver that is
 * exact up to the rounding of its input can only be asked for cond·(a few ε).
 */
function conditionNumber(price: number, forward: number, strike: number, t: number, sigma: number): number {
  return price / (sigma * rawVega(forward, strike, t, sigma));
}

describe('impliedVol: named outcomes, never throws', () => {
  const base = { forward: 100, strike: 100, t: 0.5 };
  it.each([
    ['zero price', { ...base, price: 0, isCall: true }, 'no_quote'],
    ['negative price', { ...base, price: -1, isCall: false }, 'no_quote'],
    ['ITM call below intrinsic', { forward: 110, strike: 100, t: 0.5, price: 9.99, isCall: true }, 'below_intrinsic'],
    ['ITM call exactly intrinsic', { forward: 110, strike: 100, t: 0.5, price: 10, isCall: true }, 'below_intrinsic'],
    ['ITM put below intrinsic', { forward: 90, strike: 100, t: 0.5, price: 9.5, isCall: false }, 'below_intrinsic'],
    ['call at the forward (max)', { ...base, price: 100, isCall: true }, 'above_max'],
    ['call above the forward', { ...base, price: 150, isCall: true }, 'above_max'],
    ['put at the strike (max)', { forward: 100, strike: 120, t: 0.5, price: 120, isCall: false }, 'above_max'],
    ['NaN price', { ...base, price: Number.NaN, isCall: true }, 'bad_input'],
    ['infinite price', { ...base, price: Number.POSITIVE_INFINITY, isCall: true }, 'bad_input'],
    ['NaN forward', { ...base, forward: Number.NaN, price: 5, isCall: true }, 'bad_input'],
    ['zero forward', { ...base, forward: 0, price: 5, isCall: true }, 'bad_input'],
    ['negative strike', { ...base, strike: -100, price: 5, isCall: true }, 'bad_input'],
    ['zero time', { ...base, t: 0, price: 5, isCall: true }, 'bad_input'],
    ['negative time', { ...base, t: -1, price: 5, isCall: true }, 'bad_input'],
    ['NaN time', { ...base, t: Number.NaN, price: 5, isCall: true }, 'bad_input'],
  ] as const)('%s → %s', (_name, input, reason) => {
    expect(impliedVol(input)).toEqual({ ok: false, reason });
  });

  it('returns a result object for any input, including NaN and infinities', () => {
    const num = fc.oneof(fc.double(), fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 5e-324, 1e308));
    fc.assert(
      fc.property(num, num, num, num, fc.boolean(), (price, forward, strike, t, isCall) => {
        const r = impliedVol({ price, forward, strike, t, isCall });
        if (r.ok) expect(r.iv).toBeGreaterThan(0);
        else expect(['no_quote', 'below_intrinsic', 'above_max', 'no_convergence', 'bad_input']).toContain(r.reason);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('impliedVol: values', () => {
  it('recovers σ = 20% at the money (price from mpmath: 100·erf(0.1/√2))', () => {
    const r = impliedVol({ price: 7.965567455405796, forward: 100, strike: 100, t: 1, isCall: true });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Math.abs(r.iv - 0.2)).toBeLessThanOrEqual(2 * EPS * 0.2);
      expect(r.iterations).toBeLessThanOrEqual(2);
    }
  });

  it('call and put at the same strike give the same vol (put–call parity)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (k, t, sigma) => {
          const forward = 100;
          const strike = forward * Math.exp(-k * Math.sqrt(t));
          const put = black76Price({ forward, strike, t, sigma, isCall: false });
          const call = put + (forward - strike);
          const rc = impliedVol({ price: call, forward, strike, t, isCall: true });
          const rp = impliedVol({ price: put, forward, strike, t, isCall: false });
          if (!rc.ok || !rp.ok) return; // time value lost to rounding of the ITM price
          const cond = conditionNumber(Math.max(call, put), forward, strike, t, sigma);
          expect(Math.abs(rc.iv / rp.iv - 1), `k=${k} t=${t} σ=${sigma}`).toBeLessThanOrEqual(16 * EPS * Math.max(1, cond));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('impliedVolFromCoin reproduces a real Deribit mark_iv (BTC-22MAY20-9250-P, mark_iv 76.87)', () => {
    // Row of fixtures/orderbook_chain_2020-05-14T0541Z_btc.jsonl
    const r = impliedVolFromCoin({
      coinPrice: 0.04010621,
      forward: 9352.58,
      strike: 9250,
      t: (1590134400000 - 1589434896486) / (365 * 86400000),
      isCall: false,
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect(Math.abs(r.iv * 100 - 76.87)).toBeLessThan(0.05);
  });

  it('impliedVolFromLinear divides by the multiplier', () => {
    const price = black76Price({ forward: 150, strike: 160, t: 0.1, sigma: 0.9, isCall: true });
    const r = impliedVolFromLinear({ price: price * 10, forward: 150, strike: 160, t: 0.1, isCall: true, multiplier: 10 });
    expect(r.ok && Math.abs(r.iv - 0.9)).toBeLessThan(1e-14);
  });
});

describe('impliedVol: σ → price → σ round trip (fast-check)', () => {
  // t from 1 minute to 2 years, ln(F/K) = k·√t with k ∈ [−3, 3], σ from 1% to 500%.
  const arb = fc.record({
    lnT: fc.double({ min: Math.log(MINUTE), max: Math.log(2), noNaN: true }),
    k: fc.double({ min: -3, max: 3, noNaN: true }),
    lnSigma: fc.double({ min: Math.log(0.01), max: Math.log(5), noNaN: true }),
    forward: fc.double({ min: 1e-2, max: 1e6, noNaN: true }),
    isCall: fc.boolean(),
  });

  it('recovers σ to a few ulps × conditioning, or the price where vega is numerically zero', () => {
    fc.assert(
      fc.property(arb, ({ lnT, k, lnSigma, forward, isCall }) => {
        const t = Math.exp(lnT);
        const sigma = Math.exp(lnSigma);
        const strike = forward * Math.exp(-k * Math.sqrt(t));
        const price = black76Price({ forward, strike, t, sigma, isCall });
        const intrinsic = Math.max(isCall ? forward - strike : strike - forward, 0);
        const max = isCall ? forward : strike;
        const msg = `F=${forward} K=${strike} t=${t} σ=${sigma} isCall=${isCall} price=${price}`;
        const r = impliedVol({ price, forward, strike, t, isCall });
        // The price itself can be degenerate: time value 0 (rounded away or underflowed).
        if (price <= intrinsic) return void expect(r, msg).toEqual({ ok: false, reason: price > 0 ? 'below_intrinsic' : 'no_quote' });
        if (price >= max) return void expect(r, msg).toEqual({ ok: false, reason: 'above_max' });
        expect(r.ok, msg).toBe(true);
        if (!r.ok) return;
        expect(r.iterations, msg).toBeLessThanOrEqual(3);
        const cond = conditionNumber(price, forward, strike, t, sigma);
        if (price - intrinsic > 1e-300 * forward && cond < 1e10) {
          expect(Math.abs(r.iv / sigma - 1), `${msg} iv=${r.iv} cond=${cond}`).toBeLessThanOrEqual(16 * EPS * Math.max(1, cond));
        } else {
          // Vega is numerically zero relative to the price: σ is not determined by the
          // double-precision price, so check that the solved σ reproduces the price.
          const back = black76Price({ forward, strike, t, sigma: r.iv, isCall });
          expect(Math.abs(back - price), `${msg} iv=${r.iv} back=${back}`).toBeLessThanOrEqual(8 * EPS * price + 1e-300 * forward);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('impliedVol: grid over moneyness × expiry × vol', () => {
  const T = [MINUTE, 1 / 8760, 1 / 365, 7 / 365, 30 / 365, 0.25, 1, 2];
  const K = [-3, -2, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2, 3];
  const S = [0.01, 0.05, 0.2, 0.5, 1, 2, 5];
  const cells: { t: number; k: number; sigma: number; isCall: boolean }[] = [];
  for (const t of T) for (const k of K) for (const sigma of S) for (const isCall of [true, false]) cells.push({ t, k, sigma, isCall });

  // Cells whose time value is representable and whose σ is determined by the price.
  const solvable = cells
    .map((c) => {
      const forward = 100;
      const strike = forward * Math.exp(-c.k * Math.sqrt(c.t));
      const price = black76Price({ forward, strike, t: c.t, sigma: c.sigma, isCall: c.isCall });
      const intrinsic = Math.max(c.isCall ? forward - strike : strike - forward, 0);
      const cond = conditionNumber(price, forward, strike, c.t, c.sigma);
      return { ...c, forward, strike, price, cond, ok: price - intrinsic > 1e-300 * forward && cond < 1e10 };
    })
    .filter((c) => c.ok);

  it('covers most of the grid', () => {
    expect(solvable.length).toBeGreaterThan(900);
  });

  it('matches the known σ to 16ε × conditioning, in at most 2 iterations', () => {
    const failures: string[] = [];
    for (const c of solvable) {
      const r = impliedVol({ price: c.price, forward: c.forward, strike: c.strike, t: c.t, isCall: c.isCall });
      const err = r.ok ? Math.abs(r.iv / c.sigma - 1) : Number.NaN;
      if (!r.ok || !(err <= 16 * EPS * Math.max(1, c.cond)) || r.iterations > 2) {
        failures.push(`t=${c.t} k=${c.k} σ=${c.sigma} isCall=${c.isCall} F=${c.forward} K=${c.strike} price=${c.price} → ${JSON.stringify(r)} relErr=${err} cond=${c.cond}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('matches the bisection reference (limited by the textbook formula it inverts) to 1e-9 × conditioning', () => {
    const failures: string[] = [];
    for (const c of solvable) {
      const r = impliedVol({ price: c.price, forward: c.forward, strike: c.strike, t: c.t, isCall: c.isCall });
      const ref = referenceImpliedVol({ price: c.price, forward: c.forward, strike: c.strike, t: c.t, isCall: c.isCall });
      const diff = r.ok ? Math.abs(r.iv / ref - 1) : Number.NaN;
      if (!(diff <= 1e-9 * Math.max(1, c.cond))) {
        failures.push(`t=${c.t} k=${c.k} σ=${c.sigma} isCall=${c.isCall} price=${c.price} → ${JSON.stringify(r)} ref=${ref}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('initial guess within 10%, one Householder(3) step within 1e-6 × conditioning (maxIterations exposed)', () => {
    const failures: string[] = [];
    for (const c of solvable) {
      const input = { price: c.price, forward: c.forward, strike: c.strike, t: c.t, isCall: c.isCall };
      const r0 = impliedVol({ ...input, maxIterations: 0 });
      const r1 = impliedVol({ ...input, maxIterations: 1 });
      const e0 = r0.ok ? Math.abs(r0.iv / c.sigma - 1) : Number.NaN;
      const e1 = r1.ok ? Math.abs(r1.iv / c.sigma - 1) : Number.NaN;
      if (!(e0 < 0.1) || !(e1 < 1e-6 * Math.max(1, c.cond))) failures.push(`t=${c.t} k=${c.k} σ=${c.sigma} isCall=${c.isCall} guessErr=${e0} oneStepErr=${e1}`);
    }
    expect(failures).toEqual([]);
  });
});
