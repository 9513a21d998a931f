import { deribitProtocol } from './testing/emulators/deribit.ts';
import { describeVenueFaults } from './testing/fault-suite.ts';

describeVenueFaults({
  venue: 'deribit',
  protocol: deribitProtocol,
  path: '/ws/api/v2',
  sequenced: true,
  tickingChannel: 'deribit_price_index.btc_usd',
  env: (e) => ({
    DERIBIT_WS_URL: e.wsUrl('/ws/api/v2'), DERIBIT_CURRENCIES: 'BTC', DERIBIT_RECONNECT_MIN_MS: '50', DERIBIT_RECONNECT_MAX_MS: '1000',
    DERIBIT_SILENCE_MS: '1000', DERIBIT_REQUEST_TIMEOUT_MS: '2000', DERIBIT_SUBSCRIBE_PER_S: '3.3',
  }),
});
