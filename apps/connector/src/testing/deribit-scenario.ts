import { loadFixtures } from '../fixtures/load.ts';
import type { ChannelScript } from './deribit-test-server.ts';

/**
 * A small venue for integration tests built from REAL captured frames (fixtures/):
 *  - book.BTC-11JUN21-25000-P: the real 2021 option snapshot (crypto-msg-parser), then
 *    changes DERIVED from it (same format, linked change ids) that the test can break;
 *  - ticker.BTC-5JUN20-9250-C: the real 2020 option ticker (tardis-node);
 *  - ticker.BTC-PERPETUAL: the real 2024 perpetual ticker;
 *  - deribit_price_index.btc_usd: the docs' example frame.
 * The get_instruments listings are DERIVED from the real ETH-6JUL25-1500-C listing with the
 * name, strike, type, expiry and currencies of these instruments.
 */
const frames = loadFixtures('deribit-frames.jsonl');
const control = loadFixtures('deribit-control-frames.jsonl');
const pick = (list: typeof frames, re: RegExp) => {
  const f = list.find((x) => re.test(x.source));
  if (!f) throw new Error(`fixture ${re} missing`);
  return f.frame as { jsonrpc: string; method?: string; result?: unknown; params: { channel: string; data: Record<string, unknown> } };
};

export const PUT = 'BTC-11JUN21-25000-P';
export const CALL = 'BTC-5JUN20-9250-C';
export const PERP = 'BTC-PERPETUAL';

export const realSnapshot = pick(frames, /crypto_msg_parser.*line 2 /);
export const realCallTicker = pick(frames, /tardis.*line 8 /);
export const realPerpTicker = pick(frames, /ws_misc.*line 2 /);
export const docIndex = pick(control, /deribit_price_index/);
const listingTemplate = (pick(frames, /ws_misc.*line 4 /).result as Record<string, unknown>[])[0]!;

const SNAPSHOT_ID = realSnapshot.params.data.change_id as number;
const SNAPSHOT_TS = realSnapshot.params.data.timestamp as number;

function listing(p: { name: string; kind: 'option' | 'future'; strike?: number; optionType?: 'call' | 'put'; expiryTs: number; perpetual?: boolean }) {
  return {
    ...listingTemplate, kind: p.kind, instrument_name: p.name, strike: p.strike, option_type: p.optionType, expiration_timestamp: p.expiryTs,
    settlement_period: p.perpetual ? 'perpetual' : 'week', base_currency: 'BTC', quote_currency: p.kind === 'option' ? 'BTC' : 'USD',
    settlement_currency: 'BTC', contract_size: p.kind === 'option' ? 1 : 10, tick_size: p.kind === 'option' ? 0.0005 : 0.5,
  };
}

export const INSTRUMENTS: Record<string, unknown[]> = {
  'BTC:option': [
    listing({ name: PUT, kind: 'option', strike: 25_000, optionType: 'put', expiryTs: Date.parse('2021-06-11T08:00:00Z') }),
    listing({ name: CALL, kind: 'option', strike: 9_250, optionType: 'call', expiryTs: Date.parse('2020-06-05T08:00:00Z') }),
  ],
  'BTC:future': [listing({ name: PERP, kind: 'future', expiryTs: 32503708800000, perpetual: true })],
};

export const channel = {
  putBook: `book.${PUT}.100ms`,
  putTicker: `ticker.${PUT}.100ms`,
  callBook: `book.${CALL}.100ms`,
  callTicker: `ticker.${CALL}.100ms`,
  perpTicker: `ticker.${PERP}.100ms`,
  index: 'deribit_price_index.btc_usd',
};

type Levels = ['new' | 'change' | 'delete', number, number][];

/** A book notification in Deribit's format for the put. */
export function putBook(p: { changeId: number; prevChangeId?: number; bids: Levels; asks: Levels; tsOffset?: number; type?: 'snapshot' | 'change' }) {
  const data: Record<string, unknown> = {
    type: p.type ?? (p.prevChangeId === undefined ? 'snapshot' : 'change'), timestamp: SNAPSHOT_TS + (p.tsOffset ?? 0),
    instrument_name: PUT, change_id: p.changeId, bids: p.bids, asks: p.asks,
  };
  if (p.prevChangeId !== undefined) data.prev_change_id = p.prevChangeId;
  return { jsonrpc: '2.0', method: 'subscription', params: { channel: channel.putBook, data } };
}

/** Changes derived from the real snapshot: linked ids that jump like Deribit's global counter. */
export const putChanges = [
  putBook({ changeId: SNAPSHOT_ID + 7, prevChangeId: SNAPSHOT_ID, tsOffset: 100, bids: [['change', 0.005, 10.2]], asks: [] }),
  putBook({ changeId: SNAPSHOT_ID + 19, prevChangeId: SNAPSHOT_ID + 7, tsOffset: 200, bids: [['new', 0.0055, 1.5]], asks: [['delete', 0.006, 0]] }),
];
/** A change whose prev_change_id skips one message (the gap). */
export const putGapChange = putBook({ changeId: SNAPSHOT_ID + 40, prevChangeId: SNAPSHOT_ID + 31, tsOffset: 400, bids: [['delete', 0.0055, 0]], asks: [] });
/** What the venue sends after the resubscribe: a fresh snapshot. */
export const putFreshSnapshot = putBook({
  changeId: SNAPSHOT_ID + 52, tsOffset: 500,
  bids: [['new', 0.0052, 4], ['new', 0.005, 10.2]], asks: [['new', 0.0065, 48], ['new', 0.0085, 0.5]],
});
export const SNAPSHOT_CHANGE_ID = SNAPSHOT_ID;

/** Default script: every channel sends its real frame(s) once per subscription. */
export const replayScript = (opts: { putScript?: ChannelScript; duplicateTicker?: boolean } = {}): ChannelScript => (p) => {
  switch (p.channel) {
    case channel.putBook:
      if (opts.putScript) return opts.putScript(p);
      return p.send(realSnapshot);
    case channel.callTicker:
      p.send(realCallTicker);
      if (opts.duplicateTicker) p.send(realCallTicker);
      return;
    case channel.perpTicker:
      return p.send(realPerpTicker);
    case channel.index:
      return p.send(docIndex);
    default:
      return;
  }
};
