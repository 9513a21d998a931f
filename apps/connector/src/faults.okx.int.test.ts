import { okxProtocol } from './testing/emulators/okx.ts';
import { describeVenueFaults } from './testing/fault-suite.ts';

describeVenueFaults({
  venue: 'okx',
  protocol: okxProtocol,
  path: '/ws/v5/public',
  sequenced: true,
  checksum: true,
  tickingChannel: 'index-tickers:BTC-USD',
  // Listings from the websocket `instruments` channel, and the REST list polled as well.
  env: (e) => ({ OKX_WS_URL: e.wsUrl('/ws/v5/public'), OKX_REST_URL: e.httpUrl, OKX_INST_FAMILIES: 'BTC-USD', OKX_PING_MS: '300' }),
});
