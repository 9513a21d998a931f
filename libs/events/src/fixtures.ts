import type { AnyEvent } from './events.ts';

const base = { v: 1 as const, venue: 'deribit', ts: 1_779_000_000_000, recvTs: 1_779_000_000_005 };
const terms = {
  instrument: 'BTC-27NOV26-95000-C', underlying: 'BTC', expiryTs: 1_795_766_400_000, strike: 95_000,
  optionType: 'call' as const, settlement: 'inverse' as const, contractSize: 1,
};
const slice = {
  expiryTs: terms.expiryTs, t: 0.05, forward: 95_500,
  params: { a: 0.001, b: 0.02, rho: -0.3, m: 0.01, sigma: 0.1 },
  diagnostics: { rmse: 0.4, maxError: 1.1, inSpread: 0.97, minG: 0.2, iterations: 40, ms: 0.8, used: 30, dropped: { crossed: 1 } },
  points: 31, atmVol: 0.52, rr25: -0.03, bf25: 0.01, rr10: -0.05, bf10: 0.03, skew: -0.2,
};

/** One valid example of every event type, for round-trip and routing tests elsewhere too. */
export const EXAMPLES: readonly AnyEvent[] = [
  { ...base, type: 'md.instrument', id: 'i:1', instrument: terms.instrument, underlying: 'BTC', kind: 'option', expiryTs: terms.expiryTs, strike: 95_000, optionType: 'call', settlement: 'inverse', contractSize: 1, quoteCurrency: 'BTC', tickSize: 0.0001, active: true },
  { ...base, type: 'md.book.snapshot', id: 'b:1', instrument: terms.instrument, underlying: 'BTC', expiryTs: terms.expiryTs, seq: 10, bids: [[0.05, 1.5]], asks: [[0.0505, 2]] },
  { ...base, type: 'md.book.delta', id: 'b:2', instrument: terms.instrument, underlying: 'BTC', expiryTs: terms.expiryTs, seq: 12, prevSeq: 10, bids: [[0.05, 0]], asks: [] },
  { ...base, type: 'md.index', id: 'x:1', underlying: 'BTC', indexName: 'btc_usd', price: 95_123.4 },
  { ...base, type: 'md.future', id: 'f:1', instrument: 'BTC-27NOV26', underlying: 'BTC', expiryTs: terms.expiryTs, markPrice: 95_500 },
  { ...base, type: 'md.ticker', id: 't:1', instrument: terms.instrument, underlying: 'BTC', expiryTs: terms.expiryTs, underlyingPrice: 95_500, underlyingIndex: 'BTC-27NOV26', markPrice: 0.05, markIv: 0.52, bidIv: 0.51, askIv: 0.53 },
  { ...base, type: 'book.top', id: 'bt:1', ...terms, bid: 0.05, bidSize: 1.5, ask: 0.0505, askSize: 2, seq: 10 },
  { ...base, type: 'book.forward', id: 'bf:1', underlying: 'BTC', expiryTs: terms.expiryTs, forward: 95_500, source: 'underlying_price', sourceName: 'BTC-27NOV26' },
  { ...base, type: 'book.mark', id: 'bm:1', instrument: terms.instrument, underlying: 'BTC', expiryTs: terms.expiryTs, markPrice: 0.0502, venueMarkIv: 0.52 },
  { ...base, type: 'vol.point', id: 'vp:1', ...terms, t: 0.05, forward: 95_500, k: -0.0052, bid: 0.05, ask: 0.0505, mark: 0.0502, bidIv: 0.51, askIv: 0.53, midIv: 0.52, markIv: 0.52, delta: 0.52, vega: 85.2, reasons: {} },
  { ...base, type: 'vol.point', id: 'vp:2', ...terms, t: 0.05, forward: 95_500, k: -0.0052, bid: null, ask: 0.0505, mark: null, bidIv: null, askIv: 0.53, midIv: null, markIv: null, delta: null, vega: null, reasons: { bid: 'no_quote', mid: 'no_quote', mark: 'no_quote' } },
  { ...base, type: 'surface.smile', id: 's:1', underlying: 'BTC', fitter: { name: 'svi-qe', version: '1' }, ...slice },
  { ...base, type: 'surface.surface', id: 'S:1', underlying: 'BTC', fitter: { name: 'svi-qe', version: '1' }, expiries: [slice], tenors: [{ days: 30, atmVol: 0.5, rr25: -0.02, bf25: 0.01 }], index30d: 0.51 },
  { ...base, type: 'status', id: 'st:1', kind: 'book_resync', stage: 'book', underlying: 'BTC', instrument: terms.instrument, reason: 'sequence gap: expected prev 10, got 11' },
  { ...base, type: 'rejected', id: 'r:1', stage: 'connector', reason: 'malformed JSON', raw: '{"jsonrpc":', truncated: false },
];
