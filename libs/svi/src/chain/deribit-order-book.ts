import { deribitIv, positiveOrNull, underlyingOf } from './chain-row.ts';
import type { ChainParseResult, ChainRow } from './chain-row.ts';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Parses Deribit `public/get_order_book` results, one JSON object per line (the format of
 * fixtures/orderbook_chain_2020-05-14T0541Z_btc.jsonl). Blank lines are skipped; non-option
 * instruments are counted in `skipped.not_option`. A line that is not JSON, or lacks a required
 * field (instrument_name, timestamp, expiration_timestamp, strike, option_type, underlying_price),
 * fails the parse with its 1-based line number.
 *
 * Field meanings (Deribit docs, QUANT.md b8): prices in coin, IVs in percent, `underlying_price`
 * is the forward for that expiry.
 */
export function parseDeribitOrderBookLines(lines: readonly string[]): ChainParseResult {
  const rows: ChainRow[] = [];
  const skipped: Record<string, number> = {};
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    const line = i + 1;
    if (text === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch (err) {
      return { ok: false, line, error: `line ${line}: not valid JSON (${err instanceof Error ? err.message : String(err)})` };
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) {
      return { ok: false, line, error: `line ${line}: expected a JSON object` };
    }
    const r = o as Record<string, unknown>;
    const instrument = typeof r['instrument_name'] === 'string' ? r['instrument_name'] : null;
    const type = r['option_type'];
    if (instrument !== null && type === undefined && !/-[CP]$/.test(instrument)) {
      skipped['not_option'] = (skipped['not_option'] ?? 0) + 1;
      continue;
    }
    const ts = num(r['timestamp']);
    const expiryTs = num(r['expiration_timestamp']);
    const strike = num(r['strike']);
    const forward = num(r['underlying_price']);
    const missing = [
      ['instrument_name', instrument],
      ['timestamp', ts],
      ['expiration_timestamp', expiryTs],
      ['strike', strike],
      ['underlying_price', forward],
    ].filter(([, v]) => v === null).map(([n]) => n);
    if (type !== 'call' && type !== 'put') missing.push('option_type');
    if (missing.length > 0) return { ok: false, line, error: `line ${line}: missing or invalid field(s): ${missing.join(', ')}` };
    const greeks = typeof r['greeks'] === 'object' && r['greeks'] !== null ? (r['greeks'] as Record<string, unknown>) : {};
    rows.push({
      exchange: 'deribit',
      instrument: instrument!,
      underlying: underlyingOf(instrument!),
      ts: ts!,
      expiryTs: expiryTs!,
      strike: strike!,
      isCall: type === 'call',
      bidPrice: positiveOrNull(num(r['best_bid_price'])),
      askPrice: positiveOrNull(num(r['best_ask_price'])),
      markPrice: positiveOrNull(num(r['mark_price'])),
      bidIv: deribitIv(num(r['bid_iv'])),
      askIv: deribitIv(num(r['ask_iv'])),
      markIv: deribitIv(num(r['mark_iv'])),
      forward: forward!,
      underlyingIndex: typeof r['underlying_index'] === 'string' ? r['underlying_index'] : null,
      vega: num(greeks['vega']),
      line,
    });
  }
  return { ok: true, rows, skipped };
}
