import { jetstreamManager } from '@nats-io/jetstream';
import { AnyEvent, MdEvent, STREAM_NAMES, type Level } from '@volstream/events';
import { connectNats, runCore } from '@volstream/runtime';
import { createBookCore, type BookCoreState } from '@volstream/book';
import type { Emulator } from './emulators/server.ts';

/** Messages a stream holds now. */
export async function streamCount(url: string, stream: string): Promise<number> {
  const nc = await connectNats({ url, name: 'counter', reconnect: false });
  try {
    return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until the MD stream stops growing for `quietMs` (what was sent is stored). */
export async function settle(url: string, quietMs = 300, ms = 10_000): Promise<void> {
  let last = -1;
  let since = Date.now();
  const until = Date.now() + ms;
  for (;;) {
    const n = await streamCount(url, STREAM_NAMES.md);
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
    if (Date.now() > until) throw new Error('MD stream never settled');
    await sleep(60);
  }
}

export type BookComparison = { instrument: string; inSync: boolean; equal: boolean; ours?: { bids: Level[]; asks: Level[] }; truth?: { bids: Level[]; asks: Level[] } };

/**
 * Run the book stage's core over the MD stream and compare every listed book with the
 * emulator's true book (the venue's units; `depth` levels per side when the feed is a partial
 * book). A book the core does not hold in sync counts as unequal.
 */
export function compareBooks(md: AnyEvent[], emulator: Emulator, venue: string, depth = Infinity): BookComparison[] {
  const core = createBookCore();
  runCore(core, md.filter((e): e is MdEvent => e.type !== 'rejected' && MdEvent.safeParse(e).success));
  const state = core.snapshot() as BookCoreState;
  return emulator.listedInstruments().map((instrument) => {
    const b = state.books.find((x) => x.venue === venue && x.instrument === instrument);
    const truth = emulator.trueBook(instrument);
    if (!b || !truth) return { instrument, inSync: false, equal: false };
    const ours = { bids: b.bids.slice(0, depth), asks: b.asks.slice(0, depth) };
    const t = { bids: truth.bids.slice(0, depth), asks: truth.asks.slice(0, depth) };
    return { instrument, inSync: b.inSync, equal: b.inSync && JSON.stringify(ours) === JSON.stringify(t), ours, truth: t };
  });
}

/** Ids repeated in a stream: JetStream's duplicate window must have dropped every repeat. */
export function repeatedIds(events: readonly AnyEvent[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of events) {
    if (seen.has(e.id)) out.push(e.id);
    seen.add(e.id);
  }
  return out;
}
