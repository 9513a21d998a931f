import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Side } from './side.ts';

/** The obviously-correct model: a Map, sorted on every read. */
function modelLevels(m: Map<number, number>, isBid: boolean): [number, number][] {
  return [...m].sort((a, b) => (isBid ? b[0] - a[0] : a[0] - b[0]));
}

describe('Side', () => {
  it.each([true, false])('matches a sorted-map model under random set/delete (bid=%s)', (isBid) => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000 }))), { maxLength: 300 }), (ops) => {
      const side = new Side(isBid);
      const model = new Map<number, number>();
      for (const [tick, amount] of ops) {
        const price = tick * 0.0005;
        side.set(price, amount);
        if (amount === 0) model.delete(price);
        else model.set(price, amount);
        const levels = modelLevels(model, isBid);
        expect(side.bestPrice()).toBe(levels[0]?.[0] ?? null);
        expect(side.bestAmount()).toBe(levels[0]?.[1] ?? null);
      }
      expect(side.levels()).toEqual(modelLevels(model, isBid));
      expect(side.depth).toBe(model.size);
    }));
  });

  it('keeps the best level last: bids highest, asks lowest', () => {
    const bids = new Side(true);
    const asks = new Side(false);
    for (const p of [0.004, 0.005, 0.0045]) { bids.set(p, 1); asks.set(p + 0.01, 2); }
    expect(bids.levels().map((l) => l[0])).toEqual([0.005, 0.0045, 0.004]);
    expect(asks.bestPrice()).toBeCloseTo(0.014);
    asks.removeBest();
    expect(asks.bestPrice()).toBeCloseTo(0.0145);
  });
});
