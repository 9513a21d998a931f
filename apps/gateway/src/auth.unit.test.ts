import { describe, expect, it } from 'vitest';
import { RateLimiter, authenticate, parseApiKeys } from './auth.ts';

describe('API keys', () => {
  const parsed = parseApiKeys('desk:0123456789abcdef0123,fedcba9876543210fedc');
  const keys = parsed.ok ? parsed.keys : new Map<string, string>();

  it('parses named and unnamed keys and keeps only digests', () => {
    expect(parsed.ok).toBe(true);
    expect([...keys.values()]).toEqual(['desk', 'key-fedcba']);
    expect([...keys.keys()].every((k) => /^[0-9a-f]{64}$/.test(k))).toBe(true);
    expect(parseApiKeys('tooshort')).toEqual({ ok: false, message: expect.stringContaining('16-256') });
    expect(parseApiKeys(' , ')).toMatchObject({ ok: false });
  });

  it('accepts a key from a bearer header, X-API-Key or the query, and says why it refuses', () => {
    expect(authenticate(keys, { authorization: 'Bearer 0123456789abcdef0123' })).toEqual({ ok: true, name: 'desk' });
    expect(authenticate(keys, { xApiKey: 'fedcba9876543210fedc' })).toEqual({ ok: true, name: 'key-fedcba' });
    expect(authenticate(keys, { query: '0123456789abcdef0123' })).toEqual({ ok: true, name: 'desk' });
    expect(authenticate(keys, {})).toEqual({ ok: false, reason: 'missing' });
    expect(authenticate(keys, { authorization: 'Bearer nope' })).toEqual({ ok: false, reason: 'invalid' });
    expect(authenticate(keys, { authorization: 'Basic 0123456789abcdef0123' })).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then the sustained rate, and says when to retry', () => {
    let t = 0;
    const l = new RateLimiter(2, 3, () => t);
    expect([1, 2, 3].map(() => l.take('a').ok)).toEqual([true, true, true]);
    expect(l.take('a')).toEqual({ ok: false, retryAfterMs: 500 });
    expect(l.take('b').ok).toBe(true); // per client
    t += 500;
    expect(l.take('a')).toMatchObject({ ok: true, remaining: 0 });
    expect(l.take('a').ok).toBe(false);
    t += 10_000;
    expect(l.take('a')).toEqual({ ok: true, remaining: 2 }); // refilled to the burst, not beyond
  });

  it('is off at 0 requests per second', () => {
    const l = new RateLimiter(0, 1);
    expect(Array.from({ length: 100 }, () => l.take('a').ok).every(Boolean)).toBe(true);
    expect(l.size).toBe(0);
  });

  it('keeps at most maxClients buckets whoever calls', () => {
    let t = 0;
    const l = new RateLimiter(1, 5, () => t, 100);
    for (let i = 0; i < 10_000; i++) {
      l.take(`c${i}`);
      t += 1;
    }
    expect(l.size).toBeLessThanOrEqual(100);
  });
});
