import type { AnyEvent } from '@volstream/events';

/**
 * The pure part of an app: events in, events out. No clock, no I/O, no NATS types: time comes
 * from the events themselves, so the same inputs give the same outputs live and on replay,
 * whatever the batch boundaries.
 */
export type Core<In, Out extends AnyEvent> = {
  /** Apply one input and return the outputs it causes now (often none). */
  apply(input: In): readonly Out[];
  /** Emit what is still pending. Called only when the input has been idle for a while, and at
   * the end of a replay; regular output must not depend on it. */
  flush?(): readonly Out[];
  /** Plain-data state (msgpack-encodable) from which the factory rebuilds an equal core. */
  snapshot(): unknown;
};

/** Builds a core, from a checkpoint's state when there is one. */
export type CoreFactory<In, Out extends AnyEvent> = (state?: unknown) => Core<In, Out>;

/** Run a core over a list of inputs (tests, replay): the outputs of `apply` then of `flush`. */
export function runCore<In, Out extends AnyEvent>(core: Core<In, Out>, inputs: Iterable<In>, opts: { flush?: boolean } = {}): Out[] {
  const out: Out[] = [];
  for (const input of inputs) for (const o of core.apply(input)) out.push(o);
  if (opts.flush && core.flush) for (const o of core.flush()) out.push(o);
  return out;
}
