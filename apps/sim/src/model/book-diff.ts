/**
 * Deribit incremental book levels: `["new"|"change"|"delete", price, amount]`, delete with amount 0
 * (EXCHANGES.md §1.4).
 */
import type { Level, LevelChange } from './types.ts';

/** Level changes that turn side `prev` into side `next` (deletes first, then news/changes). */
export function diffSide(prev: readonly Level[], next: readonly Level[]): LevelChange[] {
  const out: LevelChange[] = [];
  for (const [p] of prev) {
    if (!next.some(([q]) => q === p)) out.push(['delete', p, 0]);
  }
  for (const [p, a] of next) {
    const old = prev.find(([q]) => q === p);
    if (old === undefined) out.push(['new', p, a]);
    else if (old[1] !== a) out.push(['change', p, a]);
  }
  return out;
}

/** All levels of a side as `new` actions: the body of a snapshot. */
export function snapshotSide(levels: readonly Level[]): LevelChange[] {
  return levels.map(([p, a]) => ['new', p, a]);
}
