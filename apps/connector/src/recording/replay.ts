import type { MdEvent, Rejected } from '@volstream/events';
import { MAPPERS, isVenueName, type VenueName } from '../exchanges/registry.ts';
import { FramePipeline, type RegistryContext } from '../session/pipeline.ts';
import type { RecordedFrame } from './recorder.ts';

/**
 * Mapping state for `volstream import`: the same pipeline a live session runs (mapper, listed
 * instruments, book sequencing rules, OKX checksums), fed from recorded frames. Opaque: create
 * one per venue (or one per recording) and pass every frame of that venue through it in order.
 */
export type MapperContext = { readonly venue: VenueName; readonly pipeline: FramePipeline<RegistryContext, unknown> };

export function createMapperContext(venue: VenueName | string): MapperContext {
  if (!isVenueName(venue)) throw new Error(`unknown venue ${JSON.stringify(venue)}`);
  const m = MAPPERS[venue];
  const pipeline = new FramePipeline<RegistryContext, unknown>({
    venue, map: m.map, ctx: { instruments: new Map() }, ...(m.verifier ? { verifier: m.verifier() } : {}), dropOlderSnapshots: m.dropOlderSnapshots ?? false,
  });
  return { venue, pipeline };
}

export type MappedFrame = {
  /** Events to publish, in order (ids are the live session's: the duplicate window drops repeats). */
  events: MdEvent[];
  /** The dead-letter event when the frame could not be used (for `rejected.connector.<venue>`). */
  rejected?: Rejected;
  /** Why a recognised frame carries nothing to publish (acks, pongs, unused channels). */
  ignored?: string;
};

/**
 * Map one recorded frame exactly as the live connector did. Deterministic: the same frames in
 * the same order through a fresh context give the same events with the same ids (no clock; the
 * recorded receive time is the only time used). Never throws on frame content.
 */
export function mapRecordedFrame(rec: RecordedFrame, ctx: MapperContext): MappedFrame {
  if (rec.venue !== ctx.venue) throw new Error(`frame of ${rec.venue} given to a ${ctx.venue} context`);
  const r = ctx.pipeline.process(rec.frame, rec.recvTs);
  const out: MappedFrame = { events: r.events };
  if (r.rejected) out.rejected = r.rejected;
  if (r.ignored !== undefined) out.ignored = r.ignored;
  return out;
}
