/**
 * Exponential backoff with full jitter: the n-th retry waits a uniform random time in
 * [0, min(maxMs, minMs * 2^n)], floored at minMs, so many clients reconnecting after one venue
 * outage do not come back in lockstep (AWS architecture blog, "Exponential Backoff And Jitter").
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
    return Math.max(this.opts.minMs, Math.round(ceiling * r));
  }

  /** Call once a session proved healthy. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
