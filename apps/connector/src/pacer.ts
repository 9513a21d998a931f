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
