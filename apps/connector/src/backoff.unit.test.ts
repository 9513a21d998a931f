import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.ts';
import { Pacer } from './pacer.ts';

describe('Backoff', () => {
  it('doubles its ceiling up to the maximum, with full jitter and a floor', () => {
    const top = new Backoff({ minMs: 100, maxMs: 1_000, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map(() => top.next())).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    const half = new Backoff({ minMs: 100, maxMs: 1_000, random: () => 0.5 });
    expect([1, 2, 3, 4].map(() => half.next())).toEqual([100, 100, 200, 400]);
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
