import type { MdEvent } from '@volstream/events';

/** What the connector's mapper makes of one raw venue frame. */
export type FrameResult = { events: MdEvent[]; rejected?: { reason: string } };

/** Maps raw frames of any venue it knows, keeping each venue's mapper context (instrument
 * registry) across frames; undefined for a venue it has no mapper for. */
export type FrameMapper = (venue: string, frame: string, recvTs: number) => FrameResult | undefined;

/**
 * The connector's own mappers, so an imported capture becomes exactly the events the live
 * connector published. Loaded on demand: Tardis imports do not need the connector at all.
 *
 * Today the connector exports Deribit's mapper only (`mapDeribitMessage`); the instrument
 * registry is filled from the `md.instrument` events its get_instruments answers give, as the
 * live session does. TODO(connector): switch to `createMapperContext` / `mapRecordedFrame`
 * once @volstream/connector exports them, for OKX, Bybit and Binance captures.
 */
export async function loadFrameMapper(): Promise<FrameMapper> {
  const { mapDeribitMessage } = await import('@volstream/connector');
  type Info = { kind: 'option' | 'future' | 'perpetual'; underlying: string; expiryTs?: number | undefined };
  const instruments = new Map<string, Info>();
  return (venue, frame, recvTs) => {
    if (venue !== 'deribit') return undefined;
    const r = mapDeribitMessage(frame, recvTs, { instruments });
    for (const e of r.events) {
      if (e.type === 'md.instrument') instruments.set(e.instrument, { kind: e.kind, underlying: e.underlying, expiryTs: e.expiryTs });
    }
    return r.rejected ? { events: r.events, rejected: r.rejected } : { events: r.events };
  };
}
