/**
 * Deterministic event ids, sent as `Nats-Msg-Id` so that a publish repeated after a crash is
 * dropped by JetStream's duplicate window. An id is a pure function of the inputs that caused
 * the event, never of the clock or a counter kept in memory.
 */
export function eventId(kind: string, ...parts: (string | number)[]): string {
  return `${kind}:${parts.join(':')}`;
}

/** Id of the n-th output derived from one input event (n in a stable order). */
export function derivedId(kind: string, sourceId: string, key: string | number = 0): string {
  return `${kind}<${sourceId}>${key}`;
}
