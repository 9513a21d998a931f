import { Decoder, Encoder } from '@msgpack/msgpack';
import type { z } from 'zod';
import { AnyEvent } from './events.ts';
import { SCHEMA_VERSION } from './common.ts';
import { DecodeError } from './errors.ts';

// One encoder and decoder reused for every message: `encode()` from the package builds a new
// Encoder per call, which costs more than the encoding itself (STACK.md).
const encoder = new Encoder({ ignoreUndefined: true });
const decoder = new Decoder();

/** msgpack bytes of an event. The caller is trusted to pass a valid event (types guarantee it). */
export function encode(event: AnyEvent): Uint8Array {
  return encoder.encode(event);
}

export type DecodeResult<T> = { ok: true; event: T } | { ok: false; error: DecodeError };

/** Upcasters from an older schema version to the next, keyed by the version they read. */
const upcasters: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {};

/**
 * Decode and validate msgpack bytes against a schema (default: any event). Never throws: bad
 * bytes, a schema mismatch or an unknown version come back as a typed `DecodeError`.
 */
export function decode<S extends z.ZodType = typeof AnyEvent>(bytes: Uint8Array, schema?: S): DecodeResult<z.infer<S>> {
  let raw: unknown;
  try {
    raw = decoder.decode(bytes);
  } catch (cause) {
    return { ok: false, error: new DecodeError('malformed_bytes', `not msgpack: ${(cause as Error).message}`, [], { cause }) };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: new DecodeError('schema', 'event is not a map') };
  }
  let obj = raw as Record<string, unknown>;
  let v = obj.v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v > SCHEMA_VERSION || v < 1) {
    return { ok: false, error: new DecodeError('unsupported_version', `unsupported schema version ${String(v)} (this build reads 1..${SCHEMA_VERSION})`) };
  }
  while (v < SCHEMA_VERSION) {
    const up = upcasters[v];
    if (!up) return { ok: false, error: new DecodeError('unsupported_version', `no upcaster from version ${v}`) };
    obj = up(obj);
    v += 1;
  }
  const parsed = (schema ?? AnyEvent).safeParse(obj);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, error: new DecodeError('schema', `invalid ${String(obj.type)} event: ${issues.slice(0, 3).join('; ')}`, issues) };
  }
  return { ok: true, event: parsed.data as z.infer<S> };
}
