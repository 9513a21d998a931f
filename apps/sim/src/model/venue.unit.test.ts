import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { YEAR_MS } from './surface.ts';
import type { BookData, Level, LevelChange, ModelSettings, Notification, VenueState } from './types.ts';
import { bookSnapshot, initVenue, stepVenue, truthOf } from './venue.ts';

const START = Date.UTC(2026, 10, 21, 6, 0);

type RunInput = { seed: number; steps: number; stepMs?: number; instruments?: number; start?: number; settings?: Partial<ModelSettings> };

function run({ seed, steps, stepMs = 100, instruments = 400, start = START, settings }: RunInput) {
  const rng = createRng(seed);
  let state = initVenue({ nowMs: start, rng, underlyings: ['BTC', 'ETH'], instrumentsPerUnderlying: instruments, settings });
  const initial = state;
  const frames: Notification[][] = [];
  for (let i = 1; i <= steps; i++) {
    const r = stepVenue(state, { nowMs: start + i * stepMs, rng });
    state = r.state;
    frames.push(r.notifications);
  }
  return { initial, state, frames };
}

/** Apply Deribit level actions to a price → amount map. */
function apply(side: Map<number, number>, changes: readonly LevelChange[]): void {
  for (const [action, price, amount] of changes) {
    if (action === 'delete') {
      expect(side.has(price), `delete of missing level ${price}`).toBe(true);
      side.delete(price);
    } else if (action === 'new') {
      expect(side.has(price), `new on existing level ${price}`).toBe(false);
      side.set(price, amount);
    } else {
      expect(side.has(price), `change of missing level ${price}`).toBe(true);
      side.set(price, amount);
    }
  }
}

const asMap = (levels: readonly Level[]) => new Map(levels.map(([p, a]) => [p, a]));

describe('venue model', () => {
  it('is deterministic: the same seed and step times give the same frames', () => {
    const a = run({ seed: 42, steps: 60 });
    const b = run({ seed: 42, steps: 60 });
    const c = run({ seed: 43, steps: 60 });
    expect(JSON.stringify(b.frames)).toBe(JSON.stringify(a.frames));
    expect(JSON.stringify(truthOf(b.state, 'BTC'))).toBe(JSON.stringify(truthOf(a.state, 'BTC')));
    expect(JSON.stringify(c.frames)).not.toBe(JSON.stringify(a.frames));
  });

  it('lists Deribit-named calls and puts, ~400 instruments per underlying, with futures and a perpetual', () => {
    const { initial } = run({ seed: 1, steps: 0 });
    for (const u of initial.underlyings) {
      expect(u.instruments.length).toBeGreaterThan(360);
      expect(u.instruments.length).toBeLessThan(420);
      const names = new Set(u.instruments.map((i) => i.name));
      expect(names.size).toBe(u.instruments.length);
      for (const i of u.instruments) {
        if (i.kind === 'option') {
          expect(i.name).toMatch(/^(BTC|ETH)-[1-9]\d?[A-Z]{3}\d{2}-[1-9]\d*-[CP]$/);
          expect(names.has(i.name.replace(/-[CP]$/, i.isCall ? '-P' : '-C'))).toBe(true);
          const e = u.expiries[i.expiryIdx]!;
          expect(i.underlyingIndex).toBe(e.hasFuture ? `${u.spec.underlying}-${e.label}` : `SYN.${u.spec.underlying}-${e.label}`);
        } else if (i.expiryIdx !== null) {
          expect(i.name).toMatch(/^(BTC|ETH)-[1-9]\d?[A-Z]{3}\d{2}$/);
        }
      }
      expect(names.has(`${u.spec.underlying}-PERPETUAL`)).toBe(true);
    }
  });

  it('keeps change_id/prev_change_id continuous per channel from the snapshot, with a global increasing counter', () => {
    const { initial, state, frames } = run({ seed: 7, steps: 200 });
    const books = new Map<string, { bids: Map<number, number>; asks: Map<number, number>; changeId: number }>();
    for (const u of initial.underlyings) {
      for (const inst of u.instruments) {
        const snap = bookSnapshot({ u, index: inst.index, nowMs: initial.nowMs });
        expect(snap.type).toBe('snapshot');
        expect(snap.prev_change_id).toBeUndefined();
        expect([...snap.bids, ...snap.asks].every(([a]) => a === 'new')).toBe(true);
        const bids = new Map<number, number>();
        const asks = new Map<number, number>();
        apply(bids, snap.bids);
        apply(asks, snap.asks);
        books.set(`book.${inst.name}.100ms`, { bids, asks, changeId: snap.change_id });
      }
    }
    let lastGlobal = -Infinity;
    let count = 0;
    for (const step of frames) {
      for (const n of step) {
        if (n.kind !== 'book') continue;
        const d: BookData = n.data;
        const b = books.get(n.channel)!;
        expect(d.type).toBe('change');
        expect(d.prev_change_id).toBe(b.changeId);
        expect(d.change_id).toBeGreaterThan(lastGlobal);
        expect(n.channel).toBe(`book.${d.instrument_name}.100ms`);
        for (const [a, , amount] of [...d.bids, ...d.asks]) if (a === 'delete') expect(amount).toBe(0);
        lastGlobal = d.change_id;
        apply(b.bids, d.bids);
        apply(b.asks, d.asks);
        b.changeId = d.change_id;
        count++;
      }
    }
    expect(count).toBeGreaterThan(1000);
    // replaying the changes on the snapshots gives the model's final books
    for (const u of state.underlyings) {
      for (const inst of u.instruments) {
        const b = books.get(`book.${inst.name}.100ms`)!;
        const book = u.books[inst.index]!;
        expect(b.bids).toEqual(asMap(book.bids));
        expect(b.asks).toEqual(asMap(book.asks));
        expect(b.changeId).toBe(book.changeId);
      }
    }
  });

  it('emits ~updatesPerSecond book messages per underlying, and rate-limited tickers', () => {
    const { frames, state } = run({ seed: 3, steps: 300 }); // 30 s
    const books = { BTC: 0, ETH: 0 };
    const lastTicker = new Map<string, number>();
    let tickers = 0;
    let bookMsgs = 0;
    frames.forEach((step, i) => {
      const ts = START + (i + 1) * 100;
      for (const n of step) {
        if (n.kind === 'book') {
          books[n.data.instrument_name.slice(0, 3) as 'BTC' | 'ETH']++;
          bookMsgs++;
        }
        if (n.kind === 'ticker' && /-[CP]$/.test(n.data.instrument_name)) {
          const prev = lastTicker.get(n.channel);
          if (prev !== undefined) expect(ts - prev).toBeGreaterThanOrEqual(state.settings.tickerIntervalMs);
          lastTicker.set(n.channel, ts);
          expect(n.data.mark_iv).toBeGreaterThan(20);
          expect(n.data.underlying_price).toBeGreaterThan(0);
        }
        if (n.kind === 'ticker') tickers++;
      }
    });
    for (const c of Object.values(books)) expect(Math.abs(c / 30 - 300)).toBeLessThan(15);
    expect(tickers).toBeLessThan(bookMsgs);
  });

  it('moves the truth by at most a few vol points per hour', () => {
    // 1 h of model time: 360 one-second steps at speed 10, no book traffic
    const { initial, state } = run({ seed: 11, steps: 360, stepMs: 1000, settings: { speed: 10, updatesPerSecond: 0 } });
    const atm = (s: VenueState) => truthOf(s, 'BTC').expiries.map((e) => e.atmVol);
    const before = atm(initial);
    const after = atm(state);
    const shift = Math.max(...after.map((v, i) => Math.abs(v - before[i]!)));
    expect(shift).toBeGreaterThan(0.0005); // it does drift
    expect(shift).toBeLessThan(0.05);
  });

  it('truth t is (expiryTs − ts)/(365·86400000) and forwards grow with the basis', () => {
    const { state } = run({ seed: 5, steps: 10 });
    const tr = truthOf(state, 'ETH');
    expect(tr.ts).toBe(state.nowMs);
    for (const e of tr.expiries) {
      expect(e.t).toBeCloseTo((e.expiryTs - tr.ts) / YEAR_MS, 12);
      expect(new Date(e.expiry).getTime()).toBe(e.expiryTs);
      expect(e.forward).toBeGreaterThan(tr.spot);
      expect(e.atmVol).toBeGreaterThan(0.5);
      expect(e.atmVol).toBeLessThan(0.8);
    }
  });

  it('closes the instruments of an expiry that passes while running', () => {
    const rng = createRng(9);
    let state = initVenue({ nowMs: START, rng, underlyings: ['BTC'], instrumentsPerUnderlying: 200 });
    const first = state.underlyings[0]!.expiries[0]!;
    const r = stepVenue(state, { nowMs: first.ts + 1, rng });
    state = r.state;
    const u = state.underlyings[0]!;
    const expired = u.instruments.filter((i) => i.expiryTs === first.ts);
    expect(expired.length).toBeGreaterThan(0);
    for (const inst of expired) {
      expect(u.closed[inst.index]).toBe(true);
      expect(u.books[inst.index]!.bids).toHaveLength(0);
      expect(u.books[inst.index]!.asks).toHaveLength(0);
      const t = r.notifications.find((n) => n.kind === 'ticker' && n.data.instrument_name === inst.name);
      expect(t?.kind === 'ticker' && t.data.state).toBe('closed');
    }
    expect(truthOf(state, 'BTC').expiries.every((e) => e.expiryTs > first.ts)).toBe(true);
    const later = stepVenue(state, { nowMs: first.ts + 200, rng });
    const names = new Set(expired.map((i) => i.name));
    expect(later.notifications.some((n) => n.kind !== 'index' && names.has(n.data.instrument_name))).toBe(false);
  });

  it('scales to 4,000 instruments per underlying', () => {
    const t0 = performance.now();
    const { initial, frames } = run({ seed: 2, steps: 50, instruments: 4000 });
    const ms = performance.now() - t0;
    for (const u of initial.underlyings) {
      expect(u.instruments.length).toBeGreaterThan(3800);
      expect(u.instruments.length).toBeLessThanOrEqual(4100);
    }
    expect(frames.flat().filter((n) => n.kind === 'book').length).toBeGreaterThan(2 * 50 * 25);
    expect(ms).toBeLessThan(10_000);
  });
});
