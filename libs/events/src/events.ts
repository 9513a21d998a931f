import { z } from 'zod';
import { BookDelta, BookSnapshot, FuturePrice, IndexPrice, InstrumentDef, OptionTicker } from './md.ts';
import { Forward, Mark, TopOfBook } from './book.ts';
import { VolPoint } from './vol.ts';
import { SmileFit, Surface } from './surface.ts';
import { Status } from './status.ts';
import { Rejected } from './rejected.ts';

/** What each stream holds, as one discriminated union per stream. */
export const MdEvent = z.discriminatedUnion('type', [InstrumentDef, BookSnapshot, BookDelta, IndexPrice, FuturePrice, OptionTicker, Status]);
export type MdEvent = z.infer<typeof MdEvent>;
export const BookEvent = z.discriminatedUnion('type', [TopOfBook, Forward, Mark, Status]);
export type BookEvent = z.infer<typeof BookEvent>;
export const VolEvent = z.discriminatedUnion('type', [VolPoint, Status]);
export type VolEvent = z.infer<typeof VolEvent>;
export const SurfaceEvent = z.discriminatedUnion('type', [SmileFit, Surface, Status]);
export type SurfaceEvent = z.infer<typeof SurfaceEvent>;

export const AnyEvent = z.discriminatedUnion('type', [
  InstrumentDef, BookSnapshot, BookDelta, IndexPrice, FuturePrice, OptionTicker,
  TopOfBook, Forward, Mark, VolPoint, SmileFit, Surface, Status, Rejected,
]);
export type AnyEvent = z.infer<typeof AnyEvent>;
export type EventType = AnyEvent['type'];
