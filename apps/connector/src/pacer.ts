/**
 * Spaces requests to at most `perSecond` (a token bucket of one token: no bursts). Deribit
 * allows ~3.3 public/subscribe per second sustained (EXCHANGES.md §1.11); exceeding it ends the
 * session with 10028, so we stay under it rather than rely on the burst allowance.
 */
export class Pacer {
  private nextAt = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before the next request may be sent; reserves that slot. */
  reserve(): number {
    const t = this.now();
    const at = Math.max(t, this.nextAt);
    this.nextAt = at + 1000 / this.perSecond;
    return at - t;
  }

  /** Push the next slot out (after a rate-limit error). */
  delay(ms: number): void {
    this.nextAt = Math.max(this.nextAt, this.now() + ms);
  }
}

/**
 * A token bucket: `burst` requests at once, refilled at `perSecond`. OKX allows 480
 * subscribe/unsubscribe requests per hour per connection (EXCHANGES.md §2.1): a small burst for
 * the initial subscriptions and resyncs, then the sustained rate.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;
  private notBefore = 0;

  constructor(private readonly opts: { burst: number; perSecond: number }, private readonly now: () => number = Date.now) {
    this.tokens = opts.burst;
    this.at = now();
  }

  /** Milliseconds to wait before the next request may be sent; reserves that slot. */
  reserve(): number {
    const t = this.now();
    this.tokens = Math.min(this.opts.burst, this.tokens + ((t - this.at) / 1000) * this.opts.perSecond);
    this.at = t;
    this.tokens -= 1;
    const wait = this.tokens >= 0 ? 0 : (-this.tokens / this.opts.perSecond) * 1000;
    return Math.max(wait, this.notBefore - t);
  }

  /** Hold every request for `ms` (after a rate-limit answer). */
  delay(ms: number): void {
    this.notBefore = Math.max(this.notBefore, this.now() + ms);
  }
}
