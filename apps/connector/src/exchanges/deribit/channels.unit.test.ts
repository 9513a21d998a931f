import { describe, expect, it } from 'vitest';
import type { InstrumentDef } from '@volstream/events';
import { MAX_CHANNELS_PER_SUBSCRIBE, batches, channelsFor, instrumentStateChannels } from './client.ts';

const def = (instrument: string, kind: InstrumentDef['kind'], active = true): InstrumentDef => ({
  type: 'md.instrument', v: 1, id: instrument, venue: 'deribit', ts: 1, recvTs: 1, instrument, underlying: 'BTC', kind,
  settlement: 'inverse', contractSize: 1, quoteCurrency: 'BTC', active,
});

describe('channelsFor / batches', () => {
  it('subscribes book + ticker per active option, ticker per future and perpetual, and the listed price indexes', () => {
    expect(channelsFor([def('BTC-5JUN20-9250-C', 'option'), def('BTC-5JUN20-9000-C', 'option', false), def('BTC-26JUN20', 'future'), def('BTC-PERPETUAL', 'perpetual')], ['btc_usd', 'btc_usdc'])).toEqual([
      'book.BTC-5JUN20-9250-C.100ms', 'ticker.BTC-5JUN20-9250-C.100ms', 'ticker.BTC-26JUN20.100ms', 'ticker.BTC-PERPETUAL.100ms',
      'deribit_price_index.btc_usd', 'deribit_price_index.btc_usdc',
    ]);
  });

  it('follows listings per currency on instrument.state (options and futures)', () => {
    expect(instrumentStateChannels('USDC')).toEqual(['instrument.state.option.USDC', 'instrument.state.future.USDC']);
  });

  it('never puts more than 500 channels in one request', () => {
    const xs = Array.from({ length: 1_201 }, (_, i) => `c${i}`);
    const bs = batches(xs);
    expect(bs.map((b) => b.length)).toEqual([500, 500, 201]);
    expect(bs.flat()).toEqual(xs);
    expect(MAX_CHANNELS_PER_SUBSCRIBE).toBe(500);
  });
});
