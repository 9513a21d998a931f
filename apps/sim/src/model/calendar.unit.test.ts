import { describe, expect, it } from 'vitest';
import { deribitDateLabel, listExpiries } from './calendar.ts';

describe('deribitDateLabel', () => {
  it('does not zero-pad the day (EXCHANGES.md §1.2)', () => {
    expect(deribitDateLabel(Date.UTC(2025, 6, 6, 8))).toBe('6JUL25');
    expect(deribitDateLabel(Date.UTC(2026, 10, 27, 8))).toBe('27NOV26');
  });
});

describe('listExpiries', () => {
  const starts = [
    Date.UTC(2026, 10, 21, 6, 0), // Saturday before 08:00
    Date.UTC(2026, 11, 23, 12, 0), // just before a quarterly
    Date.UTC(2027, 2, 26, 7, 30), // quarterly day, 30 min before expiry (inside the 1 h lead)
    Date.UTC(2025, 0, 1, 0, 0),
  ];
  for (const nowMs of starts) {
    it(`lists 12–16 deduplicated 08:00 UTC expiries from ${new Date(nowMs).toISOString()}`, () => {
      const es = listExpiries({ nowMs });
      expect(es.length).toBeGreaterThanOrEqual(12);
      expect(es.length).toBeLessThanOrEqual(16);
      expect(new Set(es.map((e) => e.ts)).size).toBe(es.length);
      for (let i = 0; i < es.length; i++) {
        const e = es[i]!;
        const d = new Date(e.ts);
        expect(d.getUTCHours()).toBe(8);
        expect(d.getUTCMinutes()).toBe(0);
        expect(e.ts).toBeGreaterThan(nowMs + 3_600_000);
        if (i > 0) expect(e.ts).toBeGreaterThan(es[i - 1]!.ts);
        if (e.period !== 'day') expect(d.getUTCDay()).toBe(5); // Friday
        if (e.period === 'month') {
          // last Friday: a week later is in the next month
          expect(new Date(e.ts + 7 * 86_400_000).getUTCMonth()).not.toBe(d.getUTCMonth());
        }
        expect(e.hasFuture).toBe(e.period === 'month');
      }
      const quarterlies = es.filter((e) => e.period === 'month' && [2, 5, 8, 11].includes(new Date(e.ts).getUTCMonth()));
      expect(quarterlies.length).toBeGreaterThanOrEqual(4);
      expect(es.filter((e) => e.period === 'day').length).toBeGreaterThanOrEqual(3);
    });
  }
});
