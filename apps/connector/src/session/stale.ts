import type { Status } from '@volstream/events';
import type { StatusFields } from './status.ts';

type Tracked = { last: number; stale: boolean; underlying: string | undefined; instrument: string | undefined; expiryTs: number | undefined };

/** More newly stale channels than this in one check become one summary status per underlying. */
const DETAIL_LIMIT = 20;

/**
 * Channels that should tick continuously (tickers, indexes, summaries) and the last time each
 * did. A channel silent for `staleAfterMs` is reported once with a `feed_stale` status until it
 * speaks again; an expired instrument is silent by design and is dropped instead.
 */
export class StaleWatch {
  private readonly tracked = new Map<string, Tracked>();
  staleCount = 0;

  constructor(private readonly staleAfterMs: number) {}

  track(channel: string, info: { underlying?: string | undefined; instrument?: string | undefined; expiryTs?: number | undefined }, now: number): void {
    this.tracked.set(channel, { last: now, stale: false, underlying: info.underlying, instrument: info.instrument, expiryTs: info.expiryTs });
  }

  untrack(channel: string): void {
    this.tracked.delete(channel);
  }

  touch(channel: string, now: number): void {
    const t = this.tracked.get(channel);
    if (!t) return;
    t.last = now;
    t.stale = false;
  }

  clear(): void {
    this.tracked.clear();
  }

  get size(): number {
    return this.tracked.size;
  }

  /** Status events for channels that went stale since the last check. */
  check(now: number, make: (f: StatusFields) => Status): Status[] {
    const fresh: [string, Tracked][] = [];
    for (const [channel, t] of this.tracked) {
      if (t.expiryTs !== undefined && t.expiryTs <= now) {
        this.tracked.delete(channel);
        continue;
      }
      if (t.stale || now - t.last <= this.staleAfterMs) continue;
      t.stale = true;
      fresh.push([channel, t]);
    }
    if (!fresh.length) return [];
    this.staleCount += fresh.length;
    if (fresh.length <= DETAIL_LIMIT) {
      return fresh.map(([channel, t]) => make({
        underlying: t.underlying, instrument: t.instrument, expiryTs: t.expiryTs,
        reason: `${channel} silent for ${now - t.last} ms`, detail: { channel, silentMs: now - t.last },
      }));
    }
    const byUnderlying = new Map<string | undefined, string[]>();
    for (const [channel, t] of fresh) byUnderlying.set(t.underlying, [...(byUnderlying.get(t.underlying) ?? []), channel]);
    return [...byUnderlying].map(([underlying, chans]) => make({
      underlying, reason: `${chans.length} channels silent for over ${this.staleAfterMs} ms`, detail: { channels: chans.length, sample: chans.slice(0, 10) },
    }));
  }
}
