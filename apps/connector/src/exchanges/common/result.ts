import type { z } from 'zod';
import type { MdEvent } from '@volstream/events';

/** Helpers every mapper uses to build its result without throwing. */

export function reject(reason: string): { events: MdEvent[]; rejected: { reason: string } } {
  return { events: [], rejected: { reason } };
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
