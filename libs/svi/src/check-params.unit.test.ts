import { describe, expect, it } from 'vitest';
import { checkSviParams } from './check-params.ts';

describe('checkSviParams', () => {
  it('accepts a valid slice (negative a is legal when min w ≥ 0)', () => {
    expect(checkSviParams({ a: 0.04, b: 0.1, rho: -0.5, m: 0, sigma: 0.1 }).ok).toBe(true);
    expect(checkSviParams({ a: -0.005, b: 0.1, rho: 0, m: 0, sigma: 0.1 }).ok).toBe(true);
  });

  it('reports every failed condition with its values', () => {
    const r = checkSviParams({ a: -1, b: -0.5, rho: 1.2, m: 0, sigma: 0 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const codes = r.errors.map((e) => e.code).sort();
    expect(codes).toEqual(['b_negative', 'rho_out_of_range', 'sigma_not_positive']);
    const b = r.errors.find((e) => e.code === 'b_negative')!;
    expect(b.message).toContain('-0.5');
    expect(b.values).toEqual({ b: -0.5 });
    expect(r.errors.find((e) => e.code === 'rho_out_of_range')!.values).toEqual({ rho: 1.2 });
  });

  it('rejects negative minimum variance with a, b, sigma, rho in the message', () => {
    const r = checkSviParams({ a: -0.02, b: 0.1, rho: 0, m: 0, sigma: 0.1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.code).toBe('min_variance_negative');
    expect(r.errors[0]!.message).toMatch(/a = -0\.02.*b = 0\.1.*sigma = 0\.1/);
    expect(r.errors[0]!.values['minW']).toBeCloseTo(-0.01, 15);
  });

  it('enforces Lee’s bound b(1 + |ρ|) ≤ 2, not QuantLib’s 4', () => {
    expect(checkSviParams({ a: 0.04, b: 1.6, rho: 0.3, m: 0, sigma: 0.1 }).ok).toBe(false); // 2.08
    expect(checkSviParams({ a: 0.04, b: 1.5, rho: 0.3, m: 0, sigma: 0.1 }).ok).toBe(true); // 1.95 (QuantLib would allow < 4)
    expect(checkSviParams({ a: 0.04, b: 1.0, rho: 0.99, m: 0, sigma: 0.1 }).ok).toBe(true);
    const r = checkSviParams({ a: 0.04, b: 1.5, rho: -0.5, m: 0, sigma: 0.1 });
    if (r.ok) throw new Error('expected failure');
    expect(r.errors[0]).toMatchObject({ code: 'lee_bound', values: { b: 1.5, rho: -0.5, slope: 2.25 } });
  });

  it('flags non-finite parameters by name', () => {
    const r = checkSviParams({ a: Number.NaN, b: 0.1, rho: 0, m: Infinity, sigma: 0.1 });
    if (r.ok) throw new Error('expected failure');
    expect(r.errors[0]!.code).toBe('not_finite');
    expect(r.errors[0]!.message).toContain('a = NaN');
    expect(r.errors[0]!.message).toContain('m = Infinity');
  });
});
