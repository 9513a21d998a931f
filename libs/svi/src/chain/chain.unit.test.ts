import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildExpiries, latestPerSymbol } from './build-expiries.ts';
import { parseDeribitOrderBookLines } from './deribit-order-book.ts';
import { detectChainFormat, parseChainLines } from './parse-chain.ts';
import { parseTardisOptionsChain, splitCsvLine } from './tardis-options-chain.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8').split('\n');
const JSONL = fixture('orderbook_chain_2020-05-14T0541Z_btc.jsonl');
const CSV = fixture('deribit_options_chain_2020-05-14T0541Z_btc.tardis.csv');

describe('Deribit get_order_book JSON lines', () => {
  it('parses all 310 options of the real chain with Deribit’s conventions', () => {
    const r = parseDeribitOrderBookLines(JSONL);
    if (!r.ok) throw new Error(r.error);
    expect(r.rows).toHaveLength(310);
    const p = r.rows.find((x) => x.instrument === 'BTC-22MAY20-9250-P')!;
    expect(p).toMatchObject({
      underlying: 'BTC', isCall: false, strike: 9250, forward: 9352.58, expiryTs: 1590134400000, ts: 1589434896486,
      bidPrice: 0.042, askPrice: 0.045, markPrice: 0.04010621, underlyingIndex: 'SYN.BTC-22MAY20', line: 1,
    });
    expect(p.bidIv).toBeCloseTo(0.8007, 12);
    expect(p.askIv).toBeCloseTo(0.8517, 12);
    // 0 means "no side", and a dead ask can carry 500
    expect(r.rows.every((x) => x.bidIv === null || (x.bidIv > 0 && x.bidIv < 5))).toBe(true);
    expect(r.rows.some((x) => x.bidPrice === null)).toBe(true);
  });

  it('names the malformed line', () => {
    const bad = [JSONL[0]!, '', '{"instrument_name": "BTC-22MAY20-9250-P", "option_type": "put"}', JSONL[1]!];
    expect(parseDeribitOrderBookLines(bad)).toMatchObject({ ok: false, line: 3 });
    const r = parseDeribitOrderBookLines([JSONL[0]!, '{not json']);
    expect(r.ok === false && r.error).toMatch(/^line 2: not valid JSON/);
    const m = parseDeribitOrderBookLines(['{"instrument_name": "BTC-22MAY20-9250-P", "option_type": "put"}']);
    expect(m.ok === false && m.error).toBe('line 1: missing or invalid field(s): timestamp, expiration_timestamp, strike, underlying_price');
  });
});

describe('Tardis options_chain CSV', () => {
  it('parses the derived fixture and keeps the latest row per symbol', () => {
    const r = parseTardisOptionsChain(CSV);
    if (!r.ok) throw new Error(r.error);
    expect(r.rows).toHaveLength(315);
    const snap = latestPerSymbol(r.rows);
    expect(snap).toHaveLength(310);
    const p = snap.find((x) => x.instrument === 'BTC-22MAY20-9250-P')!;
    expect(p.bidPrice).toBe(0.042); // not the doubled stale row
    expect(p.ts).toBe(1589434896486);
    expect(p.expiryTs).toBe(1590134400000);
    // Same content as the JSONL parse
    const j = parseDeribitOrderBookLines(JSONL);
    if (!j.ok) throw new Error(j.error);
    const byName = new Map(j.rows.map((x) => [x.instrument, x]));
    for (const row of snap) {
      const o = byName.get(row.instrument)!;
      expect({ ...row, line: 0, exchange: '' }).toEqual({ ...o, line: 0, exchange: '' });
    }
  });

  it('names the malformed line: header, column count, bad numbers', () => {
    expect(parseTardisOptionsChain(['a,b,c'])).toMatchObject({ ok: false, line: 1, error: expect.stringContaining('missing column(s): exchange, symbol') });
    expect(parseTardisOptionsChain([CSV[0]!, CSV[1]!, 'deribit,BTC-X,1'])).toMatchObject({ ok: false, line: 3, error: 'line 3: expected 24 columns, got 3' });
    const bad = CSV[2]!.replace(',9352.58,', ',abc,');
    expect(parseTardisOptionsChain([CSV[0]!, bad])).toMatchObject({ ok: false, line: 2, error: 'line 2: invalid field(s): underlying_price="abc"' });
    expect(parseTardisOptionsChain([])).toMatchObject({ ok: false, line: 1 });
  });

  it('splits quoted CSV fields', () => {
    expect(splitCsvLine('a,"b,c",d')).toEqual(['a', 'b,c', 'd']);
    expect(splitCsvLine('"x ""y""",2')).toEqual(['x "y"', '2']);
  });

  it('detects the format', () => {
    expect(detectChainFormat(JSONL)).toBe('deribit-order-book-jsonl');
    expect(detectChainFormat(CSV)).toBe('tardis-options-chain-csv');
    expect(parseChainLines(CSV).format).toBe('tardis-options-chain-csv');
  });
});

describe('buildExpiries', () => {
  const j = parseDeribitOrderBookLines(JSONL);
  if (!j.ok) throw new Error(j.error);

  it('groups the snapshot by expiry with OTM quotes and counts what it cannot use', () => {
    const b = buildExpiries({ rows: j.rows });
    expect(b.underlying).toBe('BTC');
    expect(b.snapshotTs).toBe(Math.max(...j.rows.map((r) => r.ts)));
    expect(b.expiries.map((e) => new Date(e.expiryTs).toISOString().slice(0, 10))).toEqual([
      '2020-05-14', '2020-05-15', '2020-05-22', '2020-05-29', '2020-06-26', '2020-09-25', '2020-12-25',
    ]);
    for (const e of b.expiries) {
      for (const q of e.quotes) {
        const isCall = q.instrument!.endsWith('-C');
        expect(isCall ? q.k >= Math.log(0.999) : q.k < 0.001).toBe(true);
      }
    }
    expect(b.dropped['itm_side']).toBeGreaterThan(100);
    const total = b.expiries.reduce((s, e) => s + e.quotes.length, 0) + Object.values(b.dropped).reduce((s, n) => s + n, 0);
    expect(total).toBe(310);
  });

  it('recomputed IVs (Black-76 on the row forward) match Deribit’s bid/ask IVs', () => {
    const rec = buildExpiries({ rows: j.rows, ivSource: 'recompute' });
    const ex = buildExpiries({ rows: j.rows, ivSource: 'exchange' });
    const diffs: number[] = [];
    rec.expiries.forEach((e, i) => e.quotes.forEach((q, n) => {
      const o = ex.expiries[i]!.quotes.find((x) => x.instrument === q.instrument);
      if (o?.bidIv != null && q.bidIv != null) diffs.push(Math.abs(o.bidIv - q.bidIv));
      void n;
    }));
    diffs.sort((a, b) => a - b);
    expect(diffs.length).toBeGreaterThan(80);
    expect(100 * diffs[Math.floor(diffs.length / 2)]!).toBeLessThan(0.02); // median < 0.02 vol pt
  });

  it('filters by underlying and drops expired rows', () => {
    const b = buildExpiries({ rows: j.rows, underlying: 'ETH' });
    expect(b.expiries).toHaveLength(0);
    expect(b.dropped['other_underlying']).toBe(310);
    const late = buildExpiries({ rows: j.rows, snapshotTs: 1589443200000 });
    expect(late.dropped['expired']).toBeGreaterThan(0);
  });
});
