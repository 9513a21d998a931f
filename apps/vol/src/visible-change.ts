import type { PricedQuote, Reasons } from './price-quote.ts';

/** 0.1 bp of vol: 1 bp = 0.0001 in vol (fraction), so 0.1 bp = 1e-5. */
export const MIN_VISIBLE_IV_MOVE = 1e-5;

/** The part of a published point that decides whether a new one is worth sending. */
export type Visible = Pick<PricedQuote, 'bidIv' | 'askIv' | 'midIv' | 'markIv' | 'reasons'>;

/**
 * Whether `next` differs visibly from the last published `prev`: some IV appeared, vanished or
 * moved by at least `minMove` (vol fraction), or a side's reason changed. Anything smaller is
 * noise for every consumer downstream and is not sent.
 */
export function movedVisibly(prev: Visible | undefined, next: Visible, minMove = MIN_VISIBLE_IV_MOVE): boolean {
  if (prev === undefined) return true;
  return (
    ivMoved(prev.bidIv, next.bidIv, minMove) ||
    ivMoved(prev.askIv, next.askIv, minMove) ||
    ivMoved(prev.midIv, next.midIv, minMove) ||
    ivMoved(prev.markIv, next.markIv, minMove) ||
    reasonsDiffer(prev.reasons, next.reasons)
  );
}

function ivMoved(a: number | null, b: number | null, minMove: number): boolean {
  if (a === null || b === null) return a !== b;
  return !(Math.abs(a - b) < minMove);
}

function reasonsDiffer(a: Reasons, b: Reasons): boolean {
  return a.bid !== b.bid || a.ask !== b.ask || a.mid !== b.mid || a.mark !== b.mark;
}
