/**
 * Fixed model parameters per underlying. Levels are "realistic", not calibrated: ATM vols in the
 * ranges the brief asks for (BTC ~45–65%, ETH ~55–75%), negative SSVI ρ, a 5–10% annualised basis.
 */
import type { Underlying, UnderlyingSpec } from './types.ts';

export const UNDERLYING_SPECS: Record<Underlying, UnderlyingSpec> = {
  BTC: {
    underlying: 'BTC',
    indexName: 'btc_usd',
    spot0: 95_000,
    basis0: 0.07,
    // Upward-sloping ATM term structure (short 50% → long 58%); γ ≤ ½ and η(1+|ρ|) ≤ 2 keep the
    // power-law SSVI free of static arbitrage (Gatheral & Jacquier 2014, §4.3; QUANT.md b4).
    surface0: { atmShort: 0.5, atmLong: 0.58, tau: 0.25, rho: -0.22, eta: 1.0, gamma: 0.45 },
    bounds: { atm: [0.42, 0.68], rho: [-0.4, -0.1], eta: [0.7, 1.3], basis: [0.03, 0.12] },
    optionMinAmount: 0.1, // Deribit BTC option min_trade_amount (EXCHANGES.md §1.2)
    optionAmountMedian: 8,
    halfSpreadVolAtm: 0.006,
    halfSpreadVolPerSd: 0.004,
    futureTick: 2.5, // Deribit BTC futures tick; perpetual 0.5
    perpTick: 0.5,
    futureContractSize: 10, // BTC futures/perp contract = 10 USD
    futureAmountMedian: 20_000,
  },
  ETH: {
    underlying: 'ETH',
    indexName: 'eth_usd',
    spot0: 3_500,
    basis0: 0.08,
    surface0: { atmShort: 0.62, atmLong: 0.69, tau: 0.25, rho: -0.16, eta: 1.1, gamma: 0.45 },
    bounds: { atm: [0.52, 0.78], rho: [-0.4, -0.1], eta: [0.8, 1.4], basis: [0.03, 0.13] },
    optionMinAmount: 1, // real ETH option min_trade_amount 1 (EXCHANGES.md §1.2)
    optionAmountMedian: 60,
    halfSpreadVolAtm: 0.008,
    halfSpreadVolPerSd: 0.005,
    futureTick: 0.05, // assumption: ETH futures and perpetual both 0.05 (not in a stored source)
    perpTick: 0.05,
    futureContractSize: 1,
    futureAmountMedian: 20_000,
  },
};

export function indexNameOf(u: Underlying): string {
  return UNDERLYING_SPECS[u].indexName;
}
