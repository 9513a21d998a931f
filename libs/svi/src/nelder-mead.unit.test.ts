import { describe, expect, it } from 'vitest';
import { brentRoot } from './brent.ts';
import { nelderMead } from './nelder-mead.ts';

describe('nelderMead', () => {
  it('minimises the Rosenbrock function from the textbook start', () => {
    const f = ([x = 0, y = 0]: number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;
    const r = nelderMead({ f, x0: [-1.2, 1], step: [0.5, 0.5], maxEvaluations: 2000, fTol: 1e-16, xTol: 1e-10 });
    expect(r.termination).toBe('converged');
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });

  it('is deterministic and treats NaN as +Infinity', () => {
    const f = ([x = 0]: number[]) => (x < -1 ? Number.NaN : (x - 2) ** 2);
    const a = nelderMead({ f, x0: [0], step: [1] });
    const b = nelderMead({ f, x0: [0], step: [1] });
    expect(a).toEqual(b);
    expect(a.x[0]).toBeCloseTo(2, 6);
  });
});

describe('brentRoot', () => {
  it('finds √2 and reports a missing bracket', () => {
    const r = brentRoot({ f: (x) => x * x - 2, lo: 0, hi: 2 });
    expect(r.ok && r.x).toBeCloseTo(Math.SQRT2, 12);
    expect(brentRoot({ f: (x) => x * x + 1, lo: 0, hi: 2 })).toMatchObject({ ok: false, reason: 'no_bracket' });
  });
});
