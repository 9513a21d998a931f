import { bybitProtocol } from './testing/emulators/bybit.ts';
import { describeVenueFaults } from './testing/fault-suite.ts';

describeVenueFaults({
  venue: 'bybit',
  protocol: bybitProtocol,
  path: '/v5/public/option',
  sequenced: true,
  // A ticker of a listed option: named once the emulator exists, so picked at run time.
  tickingChannel: (e) => `tickers.${e.listedInstruments()[0]}`,
  env: (e) => ({ BYBIT_WS_URL: e.wsUrl('/v5/public/option'), BYBIT_REST_URL: e.httpUrl, BYBIT_BASE_COINS: 'BTC', BYBIT_PING_MS: '300' }),
});
