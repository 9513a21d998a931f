import type { SviRaw } from './svi-raw.ts';

/**
 * Map raw SVI to unconstrained optimiser coordinates x = (a, ln b, atanh ρ, m, ln σ), so a
 * generic minimiser cannot leave b > 0, |ρ| < 1, σ > 0 (QuantLib `SviSpecs::inverse`; STYLE habit 11).
 * The minimum-variance and Lee constraints are not encoded here: penalise them separately.
 */
export function toUnconstrained(p: SviRaw): [number, number, number, number, number] {
  return [p.a, Math.log(p.b), Math.atanh(p.rho), p.m, Math.log(p.sigma)];
}

/** Inverse of {@link toUnconstrained} (QuantLib `SviSpecs::direct`). */
export function fromUnconstrained(x: readonly number[]): SviRaw {
  return {
    a: x[0] ?? 0,
    b: Math.exp(x[1] ?? 0),
    rho: Math.tanh(x[2] ?? 0),
    m: x[3] ?? 0,
    sigma: Math.exp(x[4] ?? 0),
  };
}
