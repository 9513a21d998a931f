import { BINANCE_DEPTH, binanceProtocol } from './testing/emulators/binance.ts';
import { describeVenueFaults } from './testing/fault-suite.ts';

describeVenueFaults({
  venue: 'binance',
  protocol: binanceProtocol,
  path: '/public/stream',
  sequenced: false,
  depth: BINANCE_DEPTH,
  tickingChannel: 'btcusdt@optionMarkPrice',
  env: (e) => ({
    BINANCE_WS_URL: e.wsUrl('/public/stream'), BINANCE_MARKET_WS_URL: e.wsUrl('/market/stream'), BINANCE_REST_URL: e.httpUrl,
    BINANCE_UNDERLYINGS: 'BTCUSDT', BINANCE_SILENCE_MS: '1000',
  }),
});
