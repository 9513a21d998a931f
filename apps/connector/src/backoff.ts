/**
 * Exponential backoff with jitter between consecutive ceilings: the n-th retry waits uniformly
 * in [c(n-1), c(n)] with c(n) = min(maxMs, minMs · 2^n), floored at minMs. Below the cap this is
 * "equal jitter" ([c/2, c], AWS architecture blog "Exponential Backoff And Jitter"): random
 * enough that clients reconnecting after one venue outage do not come back in lockstep, and
 * unlike full jitter the waits never shrink from one attempt to the next (delay n+1 >= c(n) >=
 * delay n), so a venue that keeps refusing sees attempts spread further apart. At the cap the
 * wait is maxMs. The random source is a parameter so tests are deterministic.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly opts: { minMs: number; maxMs: number; random?: () => number },
  ) {}

  /** Delay before the next attempt (ms); each call doubles the ceiling up to maxMs. */
  next(): number {
    const { minMs, maxMs } = this.opts;
    const ceiling = Math.min(maxMs, minMs * 2 ** this.attempt);
    const lower = this.attempt === 0 ? ceiling / 2 : Math.min(maxMs, minMs * 2 ** (this.attempt - 1));
    this.attempt = Math.min(this.attempt + 1, 30);
    const r = (this.opts.random ?? Math.random)();
    return Math.max(minMs, Math.round(lower + (ceiling - lower) * r));
  }

  /** Call once a session proved healthy. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
