import type { InstrumentDef, MdEvent, Rejected } from '@volstream/events';
import type { Logger } from '@volstream/runtime';

/**
 * What a venue's pure mapper returns for one raw frame: 0..n normalised events, or a rejection
 * with its reason (never a throw), plus an optional venue-specific control signal for the
 * session adapter (heartbeat, request answer, error...). `ignored` says why a frame the mapper
 * recognised carries nothing to publish (a subscription ack, a trade, a retired format).
 */
export type MapResult<Control> = {
  events: MdEvent[];
  rejected?: { reason: string };
  control?: Control;
  ignored?: string;
};

/** A venue mapper: a pure function of the frame, the receive time and read-only context. */
export type VenueMapper<Ctx, Control> = (frame: string, recvTs: number, ctx: Ctx) => MapResult<Control>;

/** What the connector knows of an instrument from the venue's listing. */
export type InstrumentInfo = {
  kind: 'option' | 'future' | 'perpetual';
  underlying: string;
  expiryTs?: number | undefined;
  /** The whole listing, so a later state change (settled, delisted) can be published as one. */
  def?: InstrumentDef | undefined;
};

/** The read-only context every mapper gets: instruments listed so far (filled by the session). */
export type InstrumentRegistry = ReadonlyMap<string, InstrumentInfo>;

/** Where a session sends what it produced; the connector publishes it in order. */
export type EventSink = {
  push(event: MdEvent | Rejected): void;
};

export type VenueStats = Record<string, number>;

/** One venue's websocket session(s), reconnecting on its own until stopped. */
export type VenueSession = {
  readonly venue: string;
  readonly stats: VenueStats;
  /** Restart the websocket (fresh subscriptions and snapshots), e.g. after events were lost. */
  restart(reason: string): void;
  /** Backpressure: stop (true) or resume (false) reading the venue's socket. */
  pause?(paused: boolean): void;
  stop(): Promise<void>;
  /** Settles when stopped. */
  readonly done: Promise<void>;
};

/** Raw-frame recorder hook (RECORD_DIR): every frame received, with its receive time. */
export type FrameRecorder = (venue: string, recvTs: number, frame: string) => void;

export type VenueSessionDeps = {
  sink: EventSink;
  log: Logger;
  /** Wall clock (ms) for receive times and timers; a parameter so tests can control it. */
  now?: () => number;
  random?: () => number;
  record?: FrameRecorder;
};
