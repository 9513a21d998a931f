import { createLogger } from '/work/main/libs/runtime/src/index.ts';
import { createBookCore } from '/work/main/apps/book/src/core.ts';
import { runCore } from '/work/main/libs/runtime/src/core.ts';
import { Emulator } from '/work/main/apps/connector/src/testing/emulators/server.ts';
import { okxProtocol } from '/work/main/apps/connector/src/testing/emulators/okx.ts';
import { startOkxSession } from '/work/main/apps/connector/src/exchanges/okx/session.ts';
import type { MdEvent } from '/work/main/libs/events/src/index.ts';

const emu = await Emulator.start(okxProtocol, { underlyings: ['BTC'], listedPerUnderlying: 4 });
const events: MdEvent[] = [];
const log = createLogger('t', 'info');
const s = startOkxSession({ url: emu.wsUrl('/ws/v5/public'), restUrl: undefined, families: ['BTC-USD'], booksPerConnection: 30, pingMs: 500, staleAfterMs: 2000, reconnectMinMs: 50, reconnectMaxMs: 500, requestTimeoutMs: 2000, instrumentsRefreshMs: 0 }, { sink: { push: (e) => { if (e.type !== 'rejected') events.push(e as MdEvent); else console.log('REJ', e.reason); } }, log });
await new Promise((r) => setTimeout(r, 1500));
emu.corruptNextBook();
await new Promise((r) => setTimeout(r, 1000));
emu.pause();
await new Promise((r) => setTimeout(r, 500));
console.log(JSON.stringify(s.stats));
console.log(events.map((e) => e.type).reduce((m, t) => ({ ...m, [t]: (m[t] ?? 0) + 1 }), {} as Record<string, number>));
const core = createBookCore();
runCore(core, events);
const snap = core.snapshot() as { books: { instrument: string; bids: number[][]; asks: number[][]; inSync: boolean }[] };
for (const inst of emu.listedInstruments()) {
  const b = snap.books.find((x) => x.instrument === inst);
  const t = emu.trueBook(inst)!;
  console.log(inst, b?.inSync, JSON.stringify(b?.bids) === JSON.stringify(t.bids) && JSON.stringify(b?.asks) === JSON.stringify(t.asks));
}
console.log(events.filter((e) => e.type === 'status').map((e) => (e as any).kind + ':' + (e as any).detail?.phase));
await s.stop();
await emu.close();
