import type { AnyEvent } from './events.ts';
import { TOPIC, subject, type Stage } from './subjects.ts';

/** The stage (stream) an event type belongs to; status events name their stream explicitly. */
export function stageOf(event: AnyEvent): Stage | 'rejected' {
  if (event.type === 'status') throw new Error('status events belong to the stream of the stage that raised them: use subjectFor(stage, event)');
  if (event.type === 'rejected') return 'rejected';
  return event.type.slice(0, event.type.indexOf('.')) as Stage;
}

/** The one subject an event is published on. Apps never write subject strings themselves. */
export function subjectFor(stage: Stage, event: AnyEvent): string {
  switch (event.type) {
    case 'md.instrument':
    case 'md.book.snapshot':
    case 'md.book.delta':
    case 'md.ticker':
    case 'book.top':
    case 'book.mark':
    case 'vol.point':
      return subject(stage, { venue: event.venue, underlying: event.underlying, expiryTs: event.expiryTs, topic: safeTopic(event.instrument) });
    case 'md.future':
      return subject(stage, { venue: event.venue, underlying: event.underlying, expiryTs: event.expiryTs, topic: safeTopic(event.instrument) });
    case 'md.index':
      return subject(stage, { venue: event.venue, underlying: event.underlying, topic: TOPIC.index });
    case 'book.forward':
      return subject(stage, { venue: event.venue, underlying: event.underlying, expiryTs: event.expiryTs, topic: TOPIC.forward });
    case 'surface.smile':
      return subject(stage, { venue: event.venue, underlying: event.underlying, expiryTs: event.expiryTs, topic: TOPIC.smile });
    case 'surface.surface':
      return subject(stage, { venue: event.venue, underlying: event.underlying, topic: TOPIC.surface });
    case 'status':
      return subject(stage, { venue: event.venue, underlying: event.underlying, expiryTs: event.expiryTs, topic: TOPIC.status });
    case 'rejected':
      return `rejected.${event.stage}.${event.venue}`;
  }
}

/** Instrument names become one subject token: any other character (a `.` in a decimal strike,
 * say) becomes `d`, Deribit's own spelling of a decimal point, and a leading `_` (reserved for
 * the topics above) becomes `x_`; the name itself stays untouched inside the event. */
export function safeTopic(instrument: string): string {
  return instrument.replace(/[^A-Za-z0-9_\-]/g, 'd').replace(/^_/, 'x_');
}
