import type { MdEvent } from '@volstream/events';

/** What the connector makes of one raw venue frame. */
export type FrameResult = {
  events: MdEvent[];
  /** Why the frame could not be used. */
  rejected?: { reason: string };
  /** Why a recognised frame carries nothing to publish (acks, pongs, unused channels). */
  ignored?: string;
};

/** Maps raw frames of any venue it knows, keeping each venue's state across frames; undefined
 * for a venue the connector has no mapper for. */
export type FrameMapper = (venue: string, frame: string, recvTs: number) => FrameResult | undefined;

/**
 * The connector's own frame pipeline (`createMapperContext` / `mapRecordedFrame`: the venue's
 * mapper, its instrument registry, the book sequencing rules and OKX checksums), one context
 * per venue, so an imported capture becomes exactly the events the live connector published.
 * Loaded on demand: Tardis imports do not need the connector at all.
 */
export async function loadFrameMapper(): Promise<FrameMapper> {
  const { createMapperContext, mapRecordedFrame, isVenueName } = await import('@volstream/connector');
  const contexts = new Map<string, ReturnType<typeof createMapperContext>>();
  return (venue, frame, recvTs) => {
    if (!isVenueName(venue)) return undefined;
    let ctx = contexts.get(venue);
    if (!ctx) {
      ctx = createMapperContext(venue);
      contexts.set(venue, ctx);
    }
    const r = mapRecordedFrame({ venue, recvTs, frame }, ctx);
    const out: FrameResult = { events: r.events };
    if (r.rejected) out.rejected = { reason: r.rejected.reason };
    if (r.ignored !== undefined) out.ignored = r.ignored;
    return out;
  };
}
