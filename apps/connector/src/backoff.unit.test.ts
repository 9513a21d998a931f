import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Backoff } from './backoff.ts';
import { Pacer, TokenBucket } from './pacer.ts';

describe('Backoff', () => {
  it('doubles its ceiling up to the maximum, jittered between consecutive ceilings, with a floor', () => {
    const top = new Backoff({ minMs: 100, maxMs: 1_000, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map(() => top.next())).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    const low = new Backoff({ minMs: 100, maxMs: 1_000, random: () => 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => low.next())).toEqual([100, 100, 200, 400, 800, 1_000]);
    const mid = new Backoff({ minMs: 100, maxMs: 10_000, random: () => 0.5 });
    expect([1, 2, 3, 4].map(() => mid.next())).toEqual([100, 150, 300, 600]);
  });

  it('never waits less than the attempt before, whatever the random draws', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 20 }), (draws) => {
      let i = 0;
      const b = new Backoff({ minMs: 50, maxMs: 30_000, random: () => draws[i++ % draws.length]! });
      const delays = draws.map(() => b.next());
      for (let k = 1; k < delays.length; k++) expect(delays[k]).toBeGreaterThanOrEqual(delays[k - 1]!);
    }));
  });

  it('starts again after reset', () => {
    const b = new Backoff({ minMs: 10, maxMs: 1_000, random: () => 1 });
    b.next(); b.next(); b.next();
    b.reset();
    expect(b.next()).toBe(10);
  });
});

describe('Pacer', () => {
  it('spaces requests at 1/rate and honours an extra delay', () => {
    let now = 0;
    const p = new Pacer(3, () => now);
    expect(p.reserve()).toBe(0);
    expect(p.reserve()).toBeCloseTo(333.33, 1);
    expect(p.reserve()).toBeCloseTo(666.67, 1);
    now = 5_000;
    expect(p.reserve()).toBe(0);
    p.delay(2_000);
    expect(p.reserve()).toBe(2_000);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then one request per refill interval', () => {
    let now = 0;
    const b = new TokenBucket({ burst: 3, perSecond: 2 }, () => now);
    expect([b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 0]);
    expect(b.reserve()).toBe(500);
    expect(b.reserve()).toBe(1_000);
    now = 10_000;
    expect(b.reserve()).toBe(0);
    b.delay(300);
    expect(b.reserve()).toBe(300);
  });
});
