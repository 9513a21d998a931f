import { crc32 } from 'node:zlib';
import type { BookDelta, BookSnapshot } from '@volstream/events';
import type { StrLevel } from '../common/numbers.ts';
import type { BookVerifier } from '../../session/pipeline.ts';
import type { StreamControl } from '../../session/stream-control.ts';

/** OKX verifies the top 25 levels of each side (EXCHANGES.md §2.4). */
export const CHECKSUM_DEPTH = 25;

/**
 * OKX order-book checksum: `bid1px:bid1sz:ask1px:ask1sz:bid2px:…` over the top 25 levels of
 * each side (a shorter side is simply skipped), using the exact strings received, CRC32 as a
 * signed 32-bit int. Doc example: bids [3366.1,7],[3366,6], asks [3366.8,9],[3368,8] →
 * `3366.1:7:3366.8:9:3366:6:3368:8`. Real check: the 2022 books-l2-tbt snapshot in
 * data/real/okx (asks 0.0005×305, 0.001×550, no bids) has checksum 971343753.
 */
export function okxChecksum(bids: readonly (readonly [string, string])[], asks: readonly (readonly [string, string])[]): number {
  return crc32(okxChecksumString(bids, asks)) | 0;
}

/** The string OKX's checksum is computed over (interleaved top-25 levels). */
export function okxChecksumString(bids: readonly (readonly [string, string])[], asks: readonly (readonly [string, string])[]): string {
  const parts: string[] = [];
  for (let i = 0; i < CHECKSUM_DEPTH; i++) {
    const b = bids[i];
    const a = asks[i];
    if (b) parts.push(b[0], b[1]);
    if (a) parts.push(a[0], a[1]);
  }
  return parts.join(':');
}

type Entry = [price: number, px: string, sz: string];

/** One side kept sorted best first, with the strings as received. */
class StrSide {
  readonly levels: Entry[] = [];
  constructor(private readonly isBid: boolean) {}

  set(px: string, sz: string): void {
    const p = Number(px);
    const i = this.find(p);
    const found = i < this.levels.length && this.levels[i]![0] === p;
    if (Number(sz) === 0) {
      if (found) this.levels.splice(i, 1);
    } else if (found) {
      this.levels[i] = [p, px, sz];
    } else {
      this.levels.splice(i, 0, [p, px, sz]);
    }
  }

  top(n: number): [string, string][] {
    return this.levels.slice(0, n).map(([, px, sz]) => [px, sz]);
  }

  /** First index whose price is not better than p. */
  private find(p: number): number {
    let lo = 0;
    let hi = this.levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const q = this.levels[mid]![0];
      if (this.isBid ? q > p : q < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The session's string copy of each OKX book, to verify every message's checksum. A message
 * without a checksum (older captures) is applied and trusted.
 */
export class OkxChecksumVerifier implements BookVerifier<StreamControl> {
  private readonly books = new Map<string, { bids: StrSide; asks: StrSide }>();

  check(ev: BookSnapshot | BookDelta, control: StreamControl | undefined): string | undefined {
    const raw = control?.kind === 'data' ? control.book : undefined;
    if (!raw || raw.instrument !== ev.instrument) return undefined;
    let book = this.books.get(ev.instrument);
    if (raw.snapshot || !book) {
      book = { bids: new StrSide(true), asks: new StrSide(false) };
      this.books.set(ev.instrument, book);
    }
    apply(book.bids, raw.bids);
    apply(book.asks, raw.asks);
    if (raw.checksum === undefined) return undefined;
    const ours = okxChecksum(book.bids.top(CHECKSUM_DEPTH), book.asks.top(CHECKSUM_DEPTH));
    return ours === raw.checksum ? undefined : `checksum mismatch on ${ev.instrument}: venue ${raw.checksum}, ours ${ours}`;
  }

  forget(instrument?: string): void {
    if (instrument === undefined) this.books.clear();
    else this.books.delete(instrument);
  }
}

function apply(side: StrSide, levels: readonly StrLevel[]): void {
  for (const l of levels) side.set(l[0], l[1]);
}
