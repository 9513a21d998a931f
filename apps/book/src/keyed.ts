/**
 * A map keyed by (venue, name) as two levels of Maps: the hot path (one lookup per MD event)
 * then allocates no `${venue}|${name}` key string.
 */
export class Keyed<T> {
  private readonly byVenue = new Map<string, Map<string, T>>();

  get(venue: string, name: string): T | undefined {
    return this.byVenue.get(venue)?.get(name);
  }

  has(venue: string, name: string): boolean {
    return this.byVenue.get(venue)?.has(name) ?? false;
  }

  set(venue: string, name: string, value: T): void {
    let m = this.byVenue.get(venue);
    if (!m) this.byVenue.set(venue, (m = new Map()));
    m.set(name, value);
  }

  *entries(): IterableIterator<[venue: string, name: string, value: T]> {
    for (const [venue, m] of this.byVenue) for (const [name, v] of m) yield [venue, name, v];
  }

  /** One venue's [name, value] pairs, in insertion order. */
  entriesOf(venue: string): IterableIterator<[name: string, value: T]> {
    return (this.byVenue.get(venue) ?? new Map<string, T>()).entries();
  }

  *values(): IterableIterator<T> {
    for (const m of this.byVenue.values()) yield* m.values();
  }

  get size(): number {
    let n = 0;
    for (const m of this.byVenue.values()) n += m.size;
    return n;
  }
}
