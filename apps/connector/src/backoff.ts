/**
 * Exponential backoff with "equal jitter": the n-th retry waits uniformly in
 * [c/2, c] with c = min(maxMs, minMs · 2^n), floored at minMs (AWS architecture blog,
 * "Exponential Backoff And Jitter"). Half the delay is random, so clients reconnecting after one
 * venue outage do not come back in lockstep, and the other half guarantees that waits never
 * shrink from one attempt to the next (delay n+1 >= c_n >= delay n), which full jitter does not:
 * a venue that keeps refusing sees attempts spread further and further apart.
 * The random source is a parameter so tests are deterministic.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly opts: { minMs: number; maxMs: number; random?: () => number },
  ) {}

  /** Delay before the next attempt (ms); each call doubles the ceiling up to maxMs. */
  next(): number {
    const ceiling = Math.min(this.opts.maxMs, this.opts.minMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    const r = (this.opts.random ?? Math.random)();
    return Math.max(this.opts.minMs, Math.round(ceiling / 2 + (ceiling / 2) * r));
  }

  /** Call once a session proved healthy. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
