/**
 * Market dynamics over one step of model time: spot, basis, perpetual premium and the SSVI
 * parameters. Every parameter is a mean-reverting (Ornstein–Uhlenbeck) process, clamped to the
 * bounds in specs.ts, so the truth drifts slowly and stays realistic.
 */
import type { Rng } from '../rng.ts';
import type { Market, UnderlyingSpec } from './types.ts';

/** Dynamics constants (per year unless noted). Chosen for plausibility, not calibrated. */
export const DYNAMICS = {
  /** Poisson jump intensity: ~2 spot jumps per day */
  jumpsPerYear: 730,
  /** log jump size ~ N(mean, sd) */
  jumpMean: -0.002,
  jumpSd: 0.012,
  /** ATM vol level: mean reversion speed (half-life ≈ 10 days) and vol of log-vol (≈ 0.5 vol pt per hour at 55%) */
  volKappa: 25,
  volOfVol: 0.9,
  /** spot/vol shock correlation: vol tends to rise when spot falls */
  spotVolCorr: -0.3,
  rhoKappa: 20,
  rhoVol: 0.4,
  etaKappa: 20,
  etaVol: 0.3,
  basisKappa: 10,
  basisVol: 0.04,
  /** perpetual premium reverts within hours */
  perpKappa: 2000,
  perpVol: 0.01,
  perpMean: 0.0002,
} as const;

function clamp(x: number, [lo, hi]: readonly [number, number]): number {
  return Math.min(hi, Math.max(lo, x));
}

function mid([lo, hi]: readonly [number, number]): number {
  return (lo + hi) / 2;
}

/**
 * Advance the market by `dtYears` of model time. Always draws the same number of variates per
 * call (plus one when a jump fires), so a run is reproducible from the seed and the step times.
 *
 * Spot: S ← S·exp(−½σ²dt + σ√dt·Z₁)·e^J with probability λdt (Merton 1976 jump-diffusion,
 * without drift compensation: the truth has no drift to speak of over hours), σ = short ATM vol.
 * Log ATM vols, ρ, log η, basis, perpetual premium: OU processes (exact transition below).
 */
export function evolveMarket({ market, spec, dtYears, rng }: { market: Market; spec: UnderlyingSpec; dtYears: number; rng: Rng }): Market {
  const D = DYNAMICS;
  const sq = Math.sqrt(Math.max(0, dtYears));
  const z1 = rng.normal();
  const z2 = rng.normal();
  const z3 = rng.normal();
  const z4 = rng.normal();
  const z5 = rng.normal();
  const z6 = rng.normal();
  const z7 = rng.normal();
  const jumpDraw = rng.next();
  const s = market.surface;

  const vol = s.atmShort;
  let logSpot = Math.log(market.spot) - 0.5 * vol * vol * dtYears + vol * sq * z1;
  if (jumpDraw < D.jumpsPerYear * dtYears) logSpot += D.jumpMean + D.jumpSd * rng.normal();

  // Vol level shocks: correlated with spot (z1); the long end moves with the short end but less.
  const zVol = D.spotVolCorr * z1 + Math.sqrt(1 - D.spotVolCorr * D.spotVolCorr) * z2;
  const zLong = 0.7 * zVol + Math.sqrt(1 - 0.49) * z3;
  // Exact OU transition (stable for any dt, e.g. a large SIM_SPEED):
  // x ← μ + (x − μ)e^{−κdt} + ν·√((1 − e^{−2κdt})/(2κ))·Z  (Uhlenbeck & Ornstein 1930; Glasserman 2003, §3.3)
  const ou = (x: number, mu: number, kappa: number, nu: number, z: number) => {
    const e = Math.exp(-kappa * dtYears);
    return mu + (x - mu) * e + nu * Math.sqrt((1 - e * e) / (2 * kappa)) * z;
  };

  const atmShort = clamp(Math.exp(ou(Math.log(s.atmShort), Math.log(spec.surface0.atmShort), D.volKappa, D.volOfVol, zVol)), spec.bounds.atm);
  const atmLong = clamp(Math.exp(ou(Math.log(s.atmLong), Math.log(spec.surface0.atmLong), D.volKappa, 0.5 * D.volOfVol, zLong)), spec.bounds.atm);
  const rho = clamp(ou(s.rho, spec.surface0.rho, D.rhoKappa, D.rhoVol, z4), spec.bounds.rho);
  // η(1 + |ρ|) ≤ 2 is the power-law no-butterfly condition (QUANT.md b4); keep a 1% margin.
  const etaMax = Math.min(spec.bounds.eta[1], 1.98 / (1 + Math.abs(rho)));
  const eta = clamp(Math.exp(ou(Math.log(s.eta), Math.log(spec.surface0.eta), D.etaKappa, D.etaVol, z5)), [spec.bounds.eta[0], etaMax]);
  const basis = clamp(ou(market.basis, mid(spec.bounds.basis), D.basisKappa, D.basisVol, z6), spec.bounds.basis);
  const perpPremium = ou(market.perpPremium, D.perpMean, D.perpKappa, D.perpVol, z7);

  return {
    spot: Math.exp(logSpot),
    basis,
    perpPremium: Math.max(-0.005, Math.min(0.005, perpPremium)),
    surface: { ...s, atmShort, atmLong, rho, eta },
  };
}
