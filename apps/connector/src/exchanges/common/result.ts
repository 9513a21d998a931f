import type { z } from 'zod';
import type { MdEvent } from '@volstream/events';

/** Helpers every mapper uses to build its result without throwing. */

export function reject(reason: string): { events: MdEvent[]; rejected: { reason: string } } {
  return { events: [], rejected: { reason } };
}

/** A venue's frame mapper that never throws: a bug in one mapping branch rejects the frame with
 * the error's message instead of crashing the connector. */
export function neverThrows<C, R>(map: (frame: string, recvTs: number, ctx: C) => R): (frame: string, recvTs: number, ctx: C) => R | ReturnType<typeof reject> {
  return (frame, recvTs, ctx) => {
    try {
      return map(frame, recvTs, ctx);
    } catch (err) {
      return reject(`mapper error: ${(err as Error)?.message ?? String(err)}`);
    }
  };
}

/** First issues of a zod error, `path: message; …`. */
export function issues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Delete keys whose value is undefined, so optional fields are absent rather than undefined. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** JSON.parse that returns undefined instead of throwing. */
export function parseJson(frame: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(frame) };
  } catch {
    return { ok: false };
  }
}
