import { describe, expect, it } from 'vitest';
import { SurfaceStore } from './store.ts';
import { BASE_TS, exampleQuotes, exampleSmile, exampleStatus, exampleSurface } from './testing/fixtures.ts';

describe('SurfaceStore', () => {
  it('keeps the latest surface per (venue, underlying) and counts changes per channel', () => {
    const store = new SurfaceStore();
    expect(store.apply(exampleSurface({ ts: BASE_TS }))).toEqual({ kind: 'surface', venue: 'deribit', underlying: 'BTC', seq: 1 });
    expect(store.apply(exampleSurface({ ts: BASE_TS + 1_000, atm: 0.6 }))).toEqual({ kind: 'surface', venue: 'deribit', underlying: 'BTC', seq: 2 });
    expect(store.apply(exampleSurface({ underlying: 'ETH' }))).toMatchObject({ kind: 'surface', underlying: 'ETH', seq: 1 });

    expect(store.underlyings()).toEqual(['BTC', 'ETH']);
    expect(store.venues()).toEqual(['deribit']);
    const e = store.surface('BTC')!;
    expect(e.seq).toBe(2);
    expect(e.surface!.ts).toBe(BASE_TS + 1_000);
    expect(store.surface('SOL')).toBeUndefined();
    expect(store.surface('BTC', 'okx')).toBeUndefined();
  });

  it('defaults to the only venue, else composite, else the most recently updated', () => {
    const store = new SurfaceStore();
    store.apply(exampleSurface({ venue: 'deribit' }));
    expect(store.defaultVenue('BTC')).toBe('deribit');
    store.apply(exampleSurface({ venue: 'okx' }));
    expect(store.defaultVenue('BTC')).toBe('okx');
    store.apply(exampleSurface({ venue: 'deribit', ts: BASE_TS + 1 }));
    expect(store.defaultVenue('BTC')).toBe('deribit');
    store.apply(exampleSurface({ venue: 'composite' }));
    store.apply(exampleSurface({ venue: 'okx', ts: BASE_TS + 2 }));
    expect(store.defaultVenue('BTC')).toBe('composite');
    expect(store.surface('BTC')!.venue).toBe('composite');
    expect(store.venues('BTC')).toEqual(['composite', 'deribit', 'okx']);
    expect(store.defaultVenue('ETH')).toBeUndefined();
  });

  it('keeps the latest vol point per instrument, sorted by strike then type', () => {
    const store = new SurfaceStore();
    const s = exampleSurface();
    store.apply(s);
    const first = exampleQuotes(s, { seed: 1 });
    const second = exampleQuotes(s, { seed: 2, ts: BASE_TS + 500 });
    for (const p of first) store.apply(p);
    const change = store.apply(second[0]!);
    expect(change).toEqual({ kind: 'quote', venue: 'deribit', underlying: 'BTC', expiryTs: second[0]!.expiryTs, instrument: second[0]!.instrument });

    const expiryTs = s.expiries[0]!.expiryTs;
    const quotes = store.quotes('BTC', 'deribit', expiryTs);
    expect(quotes).toHaveLength(first.filter((p) => p.expiryTs === expiryTs).length);
    expect(quotes.find((p) => p.instrument === second[0]!.instrument)).toBe(second[0]);
    const strikes = quotes.map((p) => p.strike);
    expect(strikes).toEqual([...strikes].sort((a, b) => a - b));
    expect(quotes[0]!.optionType).toBe('call');
    expect(quotes[1]!.optionType).toBe('put');
    expect(store.quoteCount()).toBe(first.length);
  });

  it('serves the quotes of every venue for the composite surface', () => {
    const store = new SurfaceStore();
    const d = exampleSurface({ venue: 'deribit' });
    const o = exampleSurface({ venue: 'okx' });
    for (const p of [...exampleQuotes(d), ...exampleQuotes(o)]) store.apply(p);
    const expiryTs = d.expiries[0]!.expiryTs;
    const all = store.quotes('BTC', 'composite', expiryTs);
    expect(new Set(all.map((p) => p.venue))).toEqual(new Set(['deribit', 'okx']));
    expect(all.length).toBe(store.quotes('BTC', 'deribit', expiryTs).length * 2);
  });

  it('drops fits and quotes of expiries that a newer surface has passed', () => {
    const store = new SurfaceStore();
    const s = exampleSurface({ days: [2, 30] });
    store.apply(s);
    for (const p of exampleQuotes(s)) store.apply(p);
    const [short, long] = s.expiries;
    expect(store.quotes('BTC', 'deribit', short!.expiryTs).length).toBeGreaterThan(0);
    store.apply(exampleSurface({ ts: short!.expiryTs + 1, days: [28] }));
    expect(store.quotes('BTC', 'deribit', short!.expiryTs)).toEqual([]);
    expect(store.quotes('BTC', 'deribit', long!.expiryTs).length).toBeGreaterThan(0);
  });

  it('keeps a smile fit only while it is newer than the surface', () => {
    const store = new SurfaceStore();
    const s = exampleSurface();
    store.apply(s);
    const expiryTs = s.expiries[1]!.expiryTs;
    store.apply(exampleSmile(s, 1, { ts: BASE_TS - 1, atmShift: 0.01 }));
    expect(store.smile('BTC', 'deribit', expiryTs)).toBeUndefined();
    const newer = exampleSmile(s, 1, { ts: BASE_TS + 1_000, atmShift: 0.01 });
    expect(store.apply(newer)).toEqual({ kind: 'smile', venue: 'deribit', underlying: 'BTC', expiryTs, seq: 2 });
    expect(store.smile('BTC', 'deribit', expiryTs)).toBe(newer);
    store.apply(exampleSurface({ ts: BASE_TS + 2_000 }));
    expect(store.smile('BTC', 'deribit', expiryTs)).toBeUndefined();
  });

  it('keeps recent status events with a sequence', () => {
    const store = new SurfaceStore();
    for (let i = 0; i < 250; i++) expect(store.apply(exampleStatus({ ts: BASE_TS + i }))).toEqual({ kind: 'status', seq: i + 1 });
    const { seq, events } = store.statuses();
    expect(seq).toBe(250);
    expect(events).toHaveLength(200);
    expect(events[0]!.ts).toBe(BASE_TS + 50);
    // Status events alone do not make an underlying appear.
    expect(store.underlyings()).toEqual([]);
  });

  it('counts changes per expiry for the smile channel, once per fit round', () => {
    const store = new SurfaceStore();
    const s = exampleSurface();
    store.apply(s);
    const e = store.surface('BTC')!;
    const [a, b] = [s.expiries[0]!.expiryTs, s.expiries[1]!.expiryTs];
    expect([store.expirySeq(e, a), store.expirySeq(e, b)]).toEqual([1, 1]);
    // A round: smile fits of some expiries, then the surface with all of them.
    store.apply(exampleSmile(s, 0, { ts: BASE_TS + 1_000, atmShift: 0.01 }));
    expect([store.expirySeq(e, a), store.expirySeq(e, b)]).toEqual([2, 1]);
    store.apply(exampleSurface({ ts: BASE_TS + 1_000 }));
    expect([store.expirySeq(e, a), store.expirySeq(e, b)]).toEqual([2, 2]);
  });

  it('lists every instrument with a vol point, by underlying and venue', () => {
    const store = new SurfaceStore();
    const d = exampleSurface();
    const eth = exampleSurface({ underlying: 'ETH', venue: 'okx' });
    for (const p of [...exampleQuotes(d), ...exampleQuotes(eth)]) store.apply(p);
    expect(store.quoteUnderlyings()).toEqual(['BTC', 'ETH']);
    expect([...store.allQuotes({ underlying: 'ETH' })].every((p) => p.venue === 'okx')).toBe(true);
    expect([...store.allQuotes({ venue: 'okx', underlying: 'BTC' })]).toEqual([]);
    expect([...store.allQuotes()]).toHaveLength(store.quoteCount());
  });
});
