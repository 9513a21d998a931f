/**
 * Deribit price grids. Inverse BTC/ETH options: tick 0.0001 up to 0.005 coin, 0.0005 above
 * (`tick_size` 0.0001 with `tick_size_steps` [{above_price: 0.005, tick_size: 0.0005}], EXCHANGES.md §1.2).
 * Option prices are handled as integer "units" of 0.0001 so rounding is exact.
 */

/** 0.0001 coin: the option price unit. */
export const OPTION_UNIT = 0.0001;
/** 0.005 coin in units: above it the tick is 5 units (0.0005). */
const STEP_ABOVE_UNITS = 50;
const COARSE_TICK_UNITS = 5;

export function unitsToOptionPrice(u: number): number {
  return u / 10_000;
}

/** Tick (in units) that applies to a price (in units) on the grid. */
export function optionTickUnits(u: number): number {
  return u > STEP_ABOVE_UNITS ? COARSE_TICK_UNITS : 1;
}

/** Highest valid option price ≤ x, in units (may be ≤ 0: no valid bid). */
export function bidUnits(x: number): number {
  let u = Math.floor(x * 10_000 + 1e-9);
  if (u > STEP_ABOVE_UNITS) u = Math.floor(u / COARSE_TICK_UNITS) * COARSE_TICK_UNITS;
  return u;
}

/** Lowest valid option price ≥ x, in units (at least 1 unit: the minimum price). */
export function askUnits(x: number): number {
  let u = Math.max(1, Math.ceil(x * 10_000 - 1e-9));
  if (u > STEP_ABOVE_UNITS) u = Math.ceil(u / COARSE_TICK_UNITS) * COARSE_TICK_UNITS;
  return u;
}

/** True when `price` lies on Deribit's option grid and is at least one tick. */
export function isValidOptionPrice(price: number): boolean {
  const u = Math.round(price * 10_000);
  if (u < 1 || Math.abs(u - price * 10_000) > 1e-6) return false;
  return u <= STEP_ABOVE_UNITS || u % COARSE_TICK_UNITS === 0;
}

/** Converts integer tick counts to a price without binary noise (0.05·3 → 0.15, not 0.15000000000000002). */
export function ticksToPrice(n: number, tick: number): number {
  const inv = Math.round(1 / tick);
  return inv > 0 && Math.abs(inv * tick - 1) < 1e-12 ? n / inv : n * tick;
}
