import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';

// API keys and per-key rate limits: pure parts (key table, token buckets with an injected
// clock) plus hono middleware factories that return named functions (STYLE habit 15). The
// websocket upgrade, which hono does not see, uses the same `authenticate` and `RateLimiter`.

/** SHA-256 of a key -> its name. Keys are kept hashed, so a lookup compares digests, not secrets. */
export type ApiKeys = ReadonlyMap<string, string>;

const KEY_RE = /^[A-Za-z0-9._~+\/=-]{16,256}$/;
const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Parse `API_KEYS`: comma-separated entries, each a key or `name:key`. A key is 16-256 characters
 * of A-Z a-z 0-9 . _ ~ + / = -; an unnamed key is named by its first 6 characters (logs, metrics
 * and rate limits show the name, never the key).
 *
 * @example parseApiKeys('desk:0123456789abcdef0123,bots:fedcba9876543210fedc') // { ok: true, keys: Map(2) }
 */
export function parseApiKeys(spec: string): { ok: true; keys: ApiKeys } | { ok: false; message: string } {
  const keys = new Map<string, string>();
  const entries = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return { ok: false, message: 'must list at least one key (or be unset)' };
  for (const [i, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const name = colon < 0 ? `key-${entry.slice(0, 6)}` : entry.slice(0, colon);
    const key = colon < 0 ? entry : entry.slice(colon + 1);
    if (!NAME_RE.test(name)) return { ok: false, message: `entry ${i + 1}: name must be 1-64 characters of A-Z, a-z, 0-9, _ or -` };
    if (!KEY_RE.test(key)) return { ok: false, message: `entry ${i + 1}${colon < 0 ? '' : ` (${name})`}: a key must be 16-256 characters of A-Z a-z 0-9 . _ ~ + / = -` };
    keys.set(digest(key), name);
  }
  return { ok: true, keys };
}

/** Where a request may carry its key: `Authorization: Bearer`, `X-API-Key`, or `?api_key=` (browsers' websockets cannot set headers). */
export type KeySource = { authorization?: string | null | undefined; xApiKey?: string | null | undefined; query?: string | null | undefined };

export type AuthResult = { ok: true; name: string } | { ok: false; reason: 'missing' | 'invalid' };

/** Check the key a request presents against the table. */
export function authenticate(keys: ApiKeys, src: KeySource): AuthResult {
  const bearer = src.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const key = bearer ?? src.xApiKey ?? src.query ?? undefined;
  if (!key) return { ok: false, reason: 'missing' };
  const name = keys.get(digest(key));
  return name === undefined ? { ok: false, reason: 'invalid' } : { ok: true, name };
}

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

/**
 * Token buckets per client: each holds up to `burst` tokens and refills at `rps` per second; a
 * request takes one. Idle full buckets are forgotten and at most `maxClients` are kept (the
 * least recently used go first), so memory is bounded whoever calls. No timers: the clock is
 * read on each call.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly rps: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
    private readonly maxClients = 10_000,
  ) {}

  get enabled(): boolean {
    return this.rps > 0;
  }

  take(client: string): RateDecision {
    if (!this.enabled) return { ok: true, remaining: Number.POSITIVE_INFINITY };
    const t = this.now();
    const b = this.buckets.get(client);
    let tokens = this.burst;
    if (b) {
      tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1_000) * this.rps);
      this.buckets.delete(client); // re-inserted below: Map order is least recently used first
    } else if (this.buckets.size >= this.maxClients) {
      this.evict(t);
    }
    if (tokens < 1) {
      this.buckets.set(client, { tokens, at: t });
      return { ok: false, retryAfterMs: Math.ceil(((1 - tokens) / this.rps) * 1_000) };
    }
    this.buckets.set(client, { tokens: tokens - 1, at: t });
    return { ok: true, remaining: Math.floor(tokens - 1) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict(t: number): void {
    // Full buckets carry no information; then the least recently used.
    for (const [k, b] of this.buckets) if (b.tokens + ((t - b.at) / 1_000) * this.rps >= this.burst) this.buckets.delete(k);
    while (this.buckets.size >= this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
  }
}

/** The rate-limit identity of a request: its key's name, else the client address. */
export type ClientOf = (c: Context) => string;

export type AccessOptions = {
  keys: ApiKeys | undefined;
  limiter: RateLimiter;
  /** Paths that need no key (page, docs, health). Rate limits still apply to the rest. */
  open: (path: string) => boolean;
  /** Address of the caller when no key names it (`anonymous` when unknown, e.g. in `app.request()`). */
  address: ClientOf;
  /** Count a refusal, for /metrics. */
  onRefused?: (why: 'unauthorized' | 'rate_limited') => void;
};

/**
 * API-key check then per-client rate limit, on every request that is not `open`.
 * 401 `{ error: 'unauthorized' }` with `WWW-Authenticate: Bearer`; 429 `{ error: 'rate_limited' }`
 * with `Retry-After` (seconds) and `RateLimit-*` headers (IETF draft-ietf-httpapi-ratelimit-headers).
 */
export function access(opts: AccessOptions): MiddlewareHandler {
  return async function access(c, next) {
    if (opts.open(c.req.path) || c.req.method === 'OPTIONS') return next();
    let client: string;
    if (opts.keys) {
      const r = authenticate(opts.keys, { authorization: c.req.header('authorization'), xApiKey: c.req.header('x-api-key'), query: c.req.query('api_key') });
      if (!r.ok) {
        opts.onRefused?.('unauthorized');
        c.header('WWW-Authenticate', 'Bearer realm="volstream"');
        return c.json({ error: 'unauthorized', message: r.reason === 'missing' ? 'an API key is required: Authorization: Bearer <key>, X-API-Key: <key> or ?api_key=<key>' : 'unknown API key' }, 401);
      }
      client = `key:${r.name}`;
    } else {
      client = `addr:${opts.address(c)}`;
    }
    const d = opts.limiter.take(client);
    if (opts.limiter.enabled) c.header('RateLimit-Limit', String(opts.limiter.burst));
    if (!d.ok) {
      opts.onRefused?.('rate_limited');
      const secs = Math.max(1, Math.ceil(d.retryAfterMs / 1_000));
      c.header('Retry-After', String(secs));
      c.header('RateLimit-Remaining', '0');
      c.header('RateLimit-Reset', String(secs));
      return c.json({ error: 'rate_limited', message: `more than ${opts.limiter.rps} requests per second (burst ${opts.limiter.burst}) for ${client.replace(/^addr:/, 'address ').replace(/^key:/, 'key ')}; retry in ${secs} s` }, 429);
    }
    if (opts.limiter.enabled) c.header('RateLimit-Remaining', String(d.remaining));
    return next();
  };
}
