import { describe, expect, it } from 'vitest';
import { ContinuityTracker } from './continuity.ts';

describe('ContinuityTracker', () => {
  it('follows prev_change_id -> change_id links (ids jump: change_id is a global counter)', () => {
    const t = new ContinuityTracker();
    t.snapshot('A', 31479339296);
    expect(t.change('A', 31479339296, 31479339507, 0)).toBe('ok');
    expect(t.change('A', 31479339507, 31479339600, 0)).toBe('ok');
  });

  it('reports a broken link once, then drops changes until a snapshot', () => {
    const t = new ContinuityTracker();
    t.snapshot('A', 10);
    expect(t.change('A', 11, 12, 1_000)).toBe('gap');
    expect(t.isResyncing('A')).toBe(true);
    expect(t.change('A', 12, 13, 1_100)).toBe('awaiting_snapshot');
    t.snapshot('A', 20);
    expect(t.isResyncing('A')).toBe(false);
    expect(t.change('A', 20, 21, 1_200)).toBe('ok');
  });

  it('treats a change before any snapshot as a gap, per instrument', () => {
    const t = new ContinuityTracker();
    t.snapshot('A', 1);
    expect(t.change('B', 1, 2, 0)).toBe('gap');
    expect(t.change('A', 1, 2, 0)).toBe('ok');
  });

  it('asks again when the resync snapshot does not come in time', () => {
    const t = new ContinuityTracker();
    expect(t.change('A', 1, 2, 0)).toBe('gap');
    expect(t.change('A', 2, 3, 9_999)).toBe('awaiting_snapshot');
    expect(t.change('A', 3, 4, 10_000)).toBe('gap');
    expect(t.change('A', 4, 5, 10_001)).toBe('awaiting_snapshot');
  });

  it('forgets everything on a new session', () => {
    const t = new ContinuityTracker();
    t.snapshot('A', 1);
    t.clear();
    expect(t.change('A', 1, 2, 0)).toBe('gap');
  });
});

describe('ContinuityTracker duplicates and failures', () => {
  it('drops a repeat of an applied delta without a resync, but not a reset that still links', () => {
    const t = new ContinuityTracker();
    t.snapshot('A', 10);
    expect(t.change('A', 10, 15, 0)).toBe('ok');
    expect(t.change('A', 10, 15, 0)).toBe('duplicate');
    expect(t.change('A', 15, 15, 0)).toBe('ok'); // OKX idle heartbeat: seqId == prevSeqId
    expect(t.change('A', 15, 3, 0)).toBe('ok'); // OKX maintenance reset: seqId < prevSeqId
    expect(t.change('A', 3, 5, 0)).toBe('ok');
    expect(t.isResyncing('A')).toBe(false);
  });

  it('fails a chain on demand (checksum mismatch) until the next snapshot', () => {
    const t = new ContinuityTracker();
    t.snapshot('A', 1);
    t.fail('A', 100);
    expect(t.change('A', 1, 2, 200)).toBe('awaiting_snapshot');
    t.snapshot('A', 7);
    expect(t.change('A', 7, 8, 300)).toBe('ok');
    t.clear('A');
    expect(t.change('A', 8, 9, 400)).toBe('gap');
  });
});
