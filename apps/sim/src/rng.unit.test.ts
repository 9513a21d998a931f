import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
  });

  it('gives uniforms in [0, 1), integers in [0, n) and standard normals', () => {
    const r = createRng(7);
    let sum = 0;
    let sumSq = 0;
    let bad = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) bad++;
      const k = r.int(5);
      if (!(Number.isInteger(k) && k >= 0 && k < 5)) bad++;
      const z = r.normal();
      sum += z;
      sumSq += z * z;
    }
    expect(bad).toBe(0);
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02);
  });
});
