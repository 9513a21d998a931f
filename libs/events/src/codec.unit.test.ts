import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode as mpEncode } from '@msgpack/msgpack';
import { decode, encode } from './codec.ts';
import { EXAMPLES } from './fixtures.ts';
import { BookEvent, VolEvent } from './events.ts';
import { DecodeError } from './errors.ts';

describe('codec', () => {
  it.each(EXAMPLES.map((e) => [e.type, e] as const))('round-trips %s', (_type, event) => {
    const back = decode(encode(event));
    expect(back).toEqual({ ok: true, event });
  });

  it('covers every event type', () => {
    const types = new Set(EXAMPLES.map((e) => e.type));
    expect([...types].sort()).toEqual([
      'book.forward', 'book.mark', 'book.top', 'md.book.delta', 'md.book.snapshot', 'md.future', 'md.index',
      'md.instrument', 'md.ticker', 'rejected', 'status', 'surface.smile', 'surface.surface', 'vol.point',
    ]);
  });

  it('validates against a stream schema', () => {
    const top = EXAMPLES.find((e) => e.type === 'book.top')!;
    expect(decode(encode(top), BookEvent).ok).toBe(true);
    const r = decode(encode(top), VolEvent);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('schema');
  });

  it('truncated bytes give a typed error, never a throw', () => {
    for (const event of EXAMPLES) {
      const bytes = encode(event);
      for (const cut of [0, 1, Math.floor(bytes.length / 2), bytes.length - 1]) {
        const r = decode(bytes.subarray(0, cut));
        expect(r.ok, `${event.type} cut at ${cut}`).toBe(false);
        if (!r.ok) expect(r.error).toBeInstanceOf(DecodeError);
      }
    }
  });

  it('corrupted bytes never throw and never yield an invalid event', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: EXAMPLES.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (i, flips) => {
        const bytes = Uint8Array.from(encode(EXAMPLES[i]!));
        for (const [pos, val] of flips) bytes[pos % bytes.length] = val;
        const r = decode(bytes);
        if (r.ok) expect(typeof r.event.type).toBe('string');
        else expect(r.error).toBeInstanceOf(DecodeError);
      }),
    );
  });

  it('names the field that is wrong', () => {
    const bad = { ...EXAMPLES.find((e) => e.type === 'vol.point')!, forward: -1 };
    const r = decode(mpEncode(bad));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('forward');
  });

  it('refuses a newer schema version by name', () => {
    const r = decode(mpEncode({ ...EXAMPLES[0], v: 99 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('unsupported_version');
  });

  it('rejects non-finite numbers', () => {
    const r = decode(mpEncode({ ...EXAMPLES.find((e) => e.type === 'md.index')!, price: Number.NaN }));
    expect(r.ok).toBe(false);
  });
});
