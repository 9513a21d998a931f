import { expect } from 'vitest';
import fc from 'fast-check';
import { MdEvent, subjectFor } from '@volstream/events';
import type { MapResult } from '../venue.ts';

/**
 * tardis-node's assertions, here: every output is a valid event, finite, with sane times and a
 * routable subject. Used by every mapper test.
 */
export function assertSane(r: MapResult<unknown>, recvTs: number): void {
  for (const ev of r.events) {
    const parsed = MdEvent.safeParse(ev);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(ev.recvTs).toBe(recvTs);
    expect(Number.isInteger(ev.ts) && ev.ts > 1e12 && ev.ts < 4.2e12).toBe(true);
    JSON.stringify(ev, (_k, v) => {
      if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
      return v;
    });
    expect(() => subjectFor('md', ev)).not.toThrow();
  }
}

/** Replace one field somewhere in a frame (walking along keys chosen by the path) by any JSON value. */
export function mutate(frame: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(frame) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const [i, key] of path.entries()) {
    const keys = Object.keys(node);
    const k = keys.length ? keys[key.length % keys.length]! : key;
    if (i === path.length - 1 || typeof node[k] !== 'object' || node[k] === null) {
      node[k] = value;
      break;
    }
    node = node[k] as Record<string, unknown>;
  }
  return copy;
}

/**
 * The fuzz every mapper must pass: arbitrary strings, and real frames with any field replaced by
 * any JSON value, never throw and never emit an invalid event.
 */
export function fuzzMapper(map: (frame: string) => MapResult<unknown>, realFrames: unknown[], recvTs: number, runs = 1_500): void {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
    assertSane(map(s), recvTs);
  }), { numRuns: runs });
  fc.assert(fc.property(fc.constantFrom(...realFrames), fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 5 }), fc.jsonValue({ maxDepth: 3 }), (frame, path, value) => {
    assertSane(map(JSON.stringify(mutate(frame, path, value))), recvTs);
  }), { numRuns: runs * 2 });
}
