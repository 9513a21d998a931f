import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatProgress, fractionDone, rates } from './progress.ts';

const base = { read: 0, total: 1000, firstTs: 1_000_000, lastTs: 1_000_000, toTs: 1_100_000, elapsedMs: 0, fits: 0 };

describe('progress', () => {
  it('counts done by messages, or by event time when the range ends first', () => {
    expect(fractionDone({ ...base, read: 250 })).toBe(0.25);
    expect(fractionDone({ ...base, read: 100, lastTs: 1_050_000 })).toBe(0.5);
    expect(fractionDone({ ...base, read: 5000, lastTs: 2_000_000 })).toBe(1);
    expect(fractionDone({ ...base, total: 0, firstTs: undefined, lastTs: undefined })).toBe(0);
  });

  it('formats durations and counts', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(61_000)).toBe('1:01');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(Number.NaN)).toBe('--:--');
    expect([formatCount(950), formatCount(12_345), formatCount(4_560_000)]).toEqual(['950', '12.3k', '4.56M']);
  });

  it('rates are events and market seconds per wall second', () => {
    expect(rates({ read: 10_000, firstTs: 0, lastTs: 600_000, elapsedMs: 2_000 })).toEqual({ eventsPerS: 5_000, marketX: 300 });
    expect(rates({ read: 1, firstTs: 0, lastTs: 1, elapsedMs: 0 })).toEqual({ eventsPerS: 0, marketX: 0 });
  });

  it('prints a bar with share, position, rate, speed and time left', () => {
    const line = formatProgress({ ...base, read: 500, lastTs: 1_030_000, elapsedMs: 10_000, fits: 1_234 }, 10);
    expect(line).toBe('[#####-----]  50.0%  1970-01-01 00:17:10  50 ev/s  3.0x market  fits 1234  left 0:10');
  });
});
