import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_NAMES, type AnyEvent } from '@volstream/events';
import { createLogger } from '@volstream/runtime';
import { readEvents, startNatsServer, waitFor, type NatsServer } from '@volstream/runtime/testing';
import { parseConnectorConfig } from './config.ts';
import { startConnector, type ConnectorHandle } from './connector.ts';
import { VENUE_NAMES, type VenueName } from './exchanges/names.ts';
import { readRecording } from './recording/read.ts';
import { createMapperContext, mapRecordedFrame } from './recording/replay.ts';
import type { RecordedFrame } from './recording/recorder.ts';
import { binanceProtocol, BINANCE_DEPTH } from './testing/emulators/binance.ts';
import { bybitProtocol } from './testing/emulators/bybit.ts';
import { deribitProtocol } from './testing/emulators/deribit.ts';
import { okxProtocol } from './testing/emulators/okx.ts';
import { Emulator } from './testing/emulators/server.ts';
import { FAST } from './testing/fault-suite.ts';
import { compareBooks } from './testing/harness.ts';

const log = createLogger('venues-test', 'error');

describe('VENUES=deribit,okx,bybit,binance in one connector process, recording every frame', () => {
  let nats: NatsServer;
  let connector: ConnectorHandle;
  let dir: string;
  const emu = {} as Record<VenueName, Emulator>;

  beforeAll(async () => {
    nats = await startNatsServer();
    dir = mkdtempSync(join(tmpdir(), 'volstream-record-'));
    const opts = { underlyings: ['BTC' as const], listedPerUnderlying: 2 };
    emu.deribit = await Emulator.start(deribitProtocol, opts);
    emu.okx = await Emulator.start(okxProtocol, opts);
    emu.bybit = await Emulator.start(bybitProtocol, opts);
    emu.binance = await Emulator.start(binanceProtocol, opts);
    connector = await startConnector(parseConnectorConfig({
      NATS_URL: nats.url, VENUES: VENUE_NAMES.join(','), ...FAST, RECORD_DIR: dir, RECORD_ROTATE_MB: '0.002',
      DERIBIT_WS_URL: emu.deribit.wsUrl('/ws/api/v2'), DERIBIT_CURRENCIES: 'BTC', DERIBIT_SILENCE_MS: '2000',
      OKX_WS_URL: emu.okx.wsUrl('/ws/v5/public'), OKX_INST_FAMILIES: 'BTC-USD', OKX_PING_MS: '500',
      BYBIT_WS_URL: emu.bybit.wsUrl('/v5/public/option'), BYBIT_REST_URL: emu.bybit.httpUrl, BYBIT_BASE_COINS: 'BTC', BYBIT_PING_MS: '500',
      BINANCE_WS_URL: emu.binance.wsUrl('/public/stream'), BINANCE_MARKET_WS_URL: emu.binance.wsUrl('/market/stream'), BINANCE_REST_URL: emu.binance.httpUrl,
      BINANCE_UNDERLYINGS: 'BTCUSDT', BINANCE_SILENCE_MS: '2000',
    }), { log });
  });
  afterAll(async () => {
    await connector?.stop();
    for (const e of Object.values(emu)) await e.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every venue\'s books end up equal to its venue\'s, side by side on one MD stream', async () => {
    for (const e of Object.values(emu)) e.pause();
    await waitFor('all venues\' books', async () => {
      const md = await readEvents(nats.url, STREAM_NAMES.md);
      return VENUE_NAMES.every((v) => compareBooks(md, emu[v], v, v === 'binance' ? BINANCE_DEPTH : Infinity).every((c) => c.equal));
    }, { timeoutMs: 15_000 });
    const md = await readEvents(nats.url, STREAM_NAMES.md);
    for (const v of VENUE_NAMES) expect(md.some((e) => e.venue === v && e.type === 'md.ticker'), v).toBe(true);
    for (const e of Object.values(emu)) e.resume();
  });

  it('the recording maps, through mapRecordedFrame, to exactly the events published live (same ids)', async () => {
    // A second of frames: the recorder sync-flushes every second, so 2 KB files rotate.
    await new Promise((r) => setTimeout(r, 1_200));
    await connector.stop(); // closes the recording: every file complete
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(1); // rotated at 2 KB
    expect(files.every((f) => f.endsWith('.jsonl.gz'))).toBe(true);
    const frames: RecordedFrame[] = [];
    for (const f of files) for await (const r of readRecording(join(dir, f))) frames.push(r);
    expect(new Set(frames.map((f) => f.venue))).toEqual(new Set(VENUE_NAMES));

    const ctx = Object.fromEntries(VENUE_NAMES.map((v) => [v, createMapperContext(v)]));
    const imported = new Map<string, AnyEvent>();
    // As JetStream's duplicate window does, the first event with an id is the one kept.
    for (const f of frames) for (const ev of mapRecordedFrame(f, ctx[f.venue]!).events) if (!imported.has(ev.id)) imported.set(ev.id, ev);

    const live = (await readEvents(nats.url, STREAM_NAMES.md)).filter((e) => !(e.type === 'status' && e.kind.startsWith('feed_')));
    const missing = live.filter((e) => !imported.has(e.id));
    expect(missing.map((e) => e.id)).toEqual([]);
    for (const e of live) expect(imported.get(e.id)).toEqual(e);
    expect(imported.size).toBe(live.length);
  });
});
