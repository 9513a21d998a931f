/**
 * Token bucket in the shape of Deribit's credit system (EXCHANGES.md §1.11): a pool of `burst`
 * requests refilled at `perSecond`; an empty pool means `too_many_requests` (10028).
 * Time is passed in.
 */
export type TokenBucket = { tokens: number; lastMs: number; readonly burst: number; readonly perSecond: number };

export function createBucket({ burst, perSecond, nowMs }: { burst: number; perSecond: number; nowMs: number }): TokenBucket {
  return { tokens: burst, lastMs: nowMs, burst, perSecond };
}

/** Refill to `nowMs` and take one token; false when none is left. Mutates the bucket. */
export function take(bucket: TokenBucket, nowMs: number): boolean {
  const elapsed = Math.max(0, nowMs - bucket.lastMs) / 1000;
  bucket.tokens = Math.min(bucket.burst, bucket.tokens + elapsed * bucket.perSecond);
  bucket.lastMs = nowMs;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}
