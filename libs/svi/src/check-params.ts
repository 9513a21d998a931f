import type { SviRaw } from './svi-raw.ts';

/** Why a raw SVI parameter set is invalid; `values` carries the numbers that failed. */
export type SviParamError = {
  code: 'not_finite' | 'b_negative' | 'rho_out_of_range' | 'sigma_not_positive' | 'min_variance_negative' | 'lee_bound';
  message: string;
  values: Record<string, number>;
};

/** Outcome of {@link checkSviParams}. */
export type SviParamCheck = { ok: true; params: SviRaw } | { ok: false; errors: SviParamError[] };

/**
 * Checks a raw SVI slice: b ≥ 0, |ρ| < 1, σ > 0, a + bσ√(1 − ρ²) ≥ 0 (minimum of w) and
 * Lee's moment bound b(1 + |ρ|) ≤ 2 (QUANT.md b1; QuantLib `checkSviParameters` checks the
 * looser 4). Every failed condition is reported, each message with the values.
 *
 * @param tolerance slack for the two inequalities fitted parameters hit exactly (default 1e-12)
 * @example
 * checkSviParams({ a: 0.04, b: 0.1, rho: -0.5, m: 0, sigma: 0.1 }) // { ok: true, params }
 * checkSviParams({ a: 0.04, b: -1, rho: 0, m: 0, sigma: 0.1 }).ok // false: "b = -1 must be ≥ 0"
 */
export function checkSviParams(p: SviRaw, tolerance = 1e-12): SviParamCheck {
  const errors: SviParamError[] = [];
  const { a, b, rho, m, sigma } = p;
  const bad = Object.entries({ a, b, rho, m, sigma }).filter(([, v]) => !Number.isFinite(v));
  if (bad.length > 0) {
    return {
      ok: false,
      errors: [{
        code: 'not_finite',
        message: `non-finite parameter(s): ${bad.map(([n, v]) => `${n} = ${v}`).join(', ')}`,
        values: Object.fromEntries(bad),
      }],
    };
  }
  if (b < 0) errors.push({ code: 'b_negative', message: `b = ${b} must be ≥ 0`, values: { b } });
  if (!(Math.abs(rho) < 1)) errors.push({ code: 'rho_out_of_range', message: `|rho| = ${Math.abs(rho)} must be < 1`, values: { rho } });
  if (!(sigma > 0)) errors.push({ code: 'sigma_not_positive', message: `sigma = ${sigma} must be > 0`, values: { sigma } });
  if (Math.abs(rho) <= 1) {
    const minW = a + b * sigma * Math.sqrt(1 - rho * rho);
    if (minW < -tolerance) {
      errors.push({
        code: 'min_variance_negative',
        message: `min total variance a + b·sigma·√(1 − rho²) = ${minW} must be ≥ 0 (a = ${a}, b = ${b}, sigma = ${sigma}, rho = ${rho})`,
        values: { a, b, sigma, rho, minW },
      });
    }
  }
  const slope = b * (1 + Math.abs(rho));
  if (slope > 2 + tolerance) {
    errors.push({
      code: 'lee_bound',
      message: `Lee bound b·(1 + |rho|) = ${slope} must be ≤ 2 (b = ${b}, rho = ${rho})`,
      values: { b, rho, slope },
    });
  }
  return errors.length === 0 ? { ok: true, params: p } : { ok: false, errors };
}
