import { deribitIv, positiveOrNull, underlyingOf } from './chain-row.ts';
import type { ChainParseResult, ChainRow } from './chain-row.ts';

/** Column order of a Tardis `options_chain` CSV (tardis.dev datasets docs). */
export const TARDIS_OPTIONS_CHAIN_HEADER = [
  'exchange', 'symbol', 'timestamp', 'local_timestamp', 'type', 'strike_price', 'expiration',
  'open_interest', 'last_price', 'bid_price', 'bid_amount', 'bid_iv', 'ask_price', 'ask_amount',
  'ask_iv', 'mark_price', 'mark_iv', 'underlying_index', 'underlying_price', 'delta', 'gamma',
  'vega', 'theta', 'rho',
] as const;

type Col = (typeof TARDIS_OPTIONS_CHAIN_HEADER)[number];

/** Splits one CSV record (RFC 4180 quotes supported, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * Parses a Tardis `options_chain` CSV (header line first; times in MICROseconds; Deribit IVs in
 * percent; empty field = no value) into chain rows. All rows are returned; take the latest per
 * symbol with `latestPerSymbol` for a snapshot. A wrong header, a wrong column count or a
 * non-numeric required field fails with the 1-based line number.
 */
export function parseTardisOptionsChain(lines: readonly string[]): ChainParseResult {
  const rows: ChainRow[] = [];
  const skipped: Record<string, number> = {};
  let headerSeen = false;
  let idx: Record<Col, number> | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const line = i + 1;
    if (raw.trim() === '') continue;
    const cells = splitCsvLine(raw);
    if (!headerSeen) {
      headerSeen = true;
      const missing = TARDIS_OPTIONS_CHAIN_HEADER.filter((c) => !cells.includes(c));
      if (missing.length > 0) {
        return { ok: false, line, error: `line ${line}: not a Tardis options_chain header (missing column(s): ${missing.join(', ')})` };
      }
      idx = Object.fromEntries(TARDIS_OPTIONS_CHAIN_HEADER.map((c) => [c, cells.indexOf(c)])) as Record<Col, number>;
      continue;
    }
    if (cells.length !== TARDIS_OPTIONS_CHAIN_HEADER.length) {
      return { ok: false, line, error: `line ${line}: expected ${TARDIS_OPTIONS_CHAIN_HEADER.length} columns, got ${cells.length}` };
    }
    const get = (c: Col): string => cells[idx![c]] ?? '';
    const opt = (c: Col): number | null | 'bad' => {
      const s = get(c).trim();
      if (s === '') return null;
      const v = Number(s);
      return Number.isFinite(v) ? v : 'bad';
    };
    const badCols: string[] = [];
    const req = (c: Col): number => {
      const v = opt(c);
      if (v === null || v === 'bad') {
        badCols.push(`${c}=${JSON.stringify(get(c))}`);
        return Number.NaN;
      }
      return v;
    };
    const val = (c: Col): number | null => {
      const v = opt(c);
      if (v === 'bad') {
        badCols.push(`${c}=${JSON.stringify(get(c))}`);
        return null;
      }
      return v;
    };
    const type = get('type');
    const symbol = get('symbol');
    const ts = req('timestamp');
    const expiration = req('expiration');
    const strike = req('strike_price');
    const forward = req('underlying_price');
    const row = {
      bid: val('bid_price'), ask: val('ask_price'), mark: val('mark_price'),
      bidIv: val('bid_iv'), askIv: val('ask_iv'), markIv: val('mark_iv'), vega: val('vega'),
    };
    if (type !== 'call' && type !== 'put') badCols.push(`type=${JSON.stringify(type)}`);
    if (symbol === '') badCols.push('symbol=""');
    if (badCols.length > 0) return { ok: false, line, error: `line ${line}: invalid field(s): ${badCols.join(', ')}` };
    rows.push({
      exchange: get('exchange'),
      instrument: symbol,
      underlying: underlyingOf(symbol),
      ts: ts / 1000,
      expiryTs: expiration / 1000,
      strike,
      isCall: type === 'call',
      bidPrice: positiveOrNull(row.bid),
      askPrice: positiveOrNull(row.ask),
      markPrice: positiveOrNull(row.mark),
      bidIv: deribitIv(row.bidIv),
      askIv: deribitIv(row.askIv),
      markIv: deribitIv(row.markIv),
      forward,
      underlyingIndex: get('underlying_index') || null,
      vega: row.vega,
      line,
    });
  }
  if (!headerSeen) return { ok: false, line: 1, error: 'line 1: empty file (expected a Tardis options_chain header)' };
  return { ok: true, rows, skipped };
}
