import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readRange, type StoredSurface, type SubjectReader } from './history.ts';

/** A stream of `total` messages; `ours(seq)` says which are on the subject, fit time = 1000·seq. */
function fakeStream(total: number, ours: (seq: number) => boolean, first = 1): SubjectReader & { fetches: number } {
  const r = {
    fetches: 0,
    async bounds() { return { first, last: first + total - 1 }; },
    async next(seq: number): Promise<StoredSurface | null> {
      r.fetches++;
      for (let s = Math.max(seq, first); s < first + total; s++) if (ours(s)) return { seq: s, ts: 1_000 * s, surface: undefined };
      return null;
    },
  };
  return r;
}

describe('readRange', () => {
  it('returns every surface of a sparse range, in order, not sampled', async () => {
    const r = fakeStream(1_000, (s) => s % 14 === 0); // our subject: 1 message in 14
    const out = await readRange(r, { from: 100_000, to: 400_000, maxPoints: 500 });
    expect(out.points.map((p) => p.seq)).toEqual(Array.from({ length: 21 }, (_, i) => 112 + 14 * i));
    expect(out.points.every((p) => p.ts >= 100_000 && p.ts <= 400_000)).toBe(true);
    expect(out.sampled).toBe(false);
  });

  it('samples a dense range to at most maxPoints, spread over the whole range, with a bounded number of fetches', async () => {
    const r = fakeStream(100_000, () => true);
    const out = await readRange(r, { from: 1_000, to: 100_000_000, maxPoints: 200 });
    expect(out.points).toHaveLength(200);
    expect(out.sampled).toBe(true);
    expect(out.points[0]!.seq).toBe(1);
    expect(out.points.at(-1)!.seq).toBeGreaterThan(99_000);
    expect(out.fetches).toBeLessThanOrEqual(200 + 2 * 18);
  });

  it('is empty for an empty stream or a range with nothing in it', async () => {
    expect((await readRange(fakeStream(0, () => true), { from: 0, to: 1e9, maxPoints: 10 })).points).toEqual([]);
    expect((await readRange(fakeStream(100, () => true), { from: 500_000, to: 600_000, maxPoints: 10 })).points).toEqual([]);
    expect((await readRange(fakeStream(100, () => false), { from: 0, to: 1e9, maxPoints: 10 })).points).toEqual([]);
  });

  it('keeps to the range and the bound, exactly when the range fits (property)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 3_200 }), fc.integer({ min: 0, max: 3_200 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 50 }),
      async (total, every, a, b, maxPoints, first) => {
        const ours = (s: number) => s % every === 0;
        const [from, to] = [Math.min(a, b) * 1_000, Math.max(a, b) * 1_000];
        const out = await readRange(fakeStream(total, ours, first), { from, to, maxPoints });
        const expected: number[] = [];
        for (let s = first; s < first + total; s++) if (ours(s) && s * 1_000 >= from && s * 1_000 <= to) expected.push(s);
        const seqs = out.points.map((p) => p.seq);
        expect(seqs.length).toBeLessThanOrEqual(maxPoints);
        expect(seqs.every((s) => expected.includes(s))).toBe(true);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        expect(new Set(seqs).size).toBe(seqs.length);
        if (expected.length <= maxPoints && !out.sampled) expect(seqs).toEqual(expected);
        if (expected.length > 0) expect(seqs[0]).toBe(expected[0]);
        if (!out.sampled) expect(seqs).toEqual(expected);
      },
    ), { numRuns: 300, seed: 7 });
  });
});
