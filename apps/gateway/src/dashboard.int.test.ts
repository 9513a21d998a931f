import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Publisher, connectNats, createLogger, ensureStreams, type NatsConnection } from '@volstream/runtime';
import { startNatsServer, type NatsServer } from '@volstream/runtime/testing';
import { parseGatewayConfig } from './config.ts';
import { startGateway, type Gateway } from './server.ts';
import { BASE_TS, exampleQuotes, exampleSurface } from './testing/fixtures.ts';

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const log = createLogger('dashboard-test', 'warn');

describe('dashboard page in headless Chromium', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let pub: Publisher;
  let gateway: Gateway;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const publish = async (...surfaces: ReturnType<typeof exampleSurface>[]) => {
    // Quotes first, as in the pipeline: a surface is fitted from the vol points before it, and
    // the live payload carries the quotes as of the surface.
    for (const s of surfaces) {
      for (const p of exampleQuotes(s, { strikes: 25, seed: s.ts })) await pub.publish('vol', p);
      await pub.flush();
      await pub.publish('surface', s);
    }
    await pub.flush();
  };
  const start = (port = 0) => startGateway(parseGatewayConfig({ NATS_URL: nats.url, PORT: String(port), HOST: '127.0.0.1', WS_PING_MS: '2000' }), { log });
  const atmCells = () => page.$$eval('#expiries tbody td.atm', (tds) => tds.map((td) => td.textContent));

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats({ url: nats.url, name: 'dashboard-test' });
    await ensureStreams(await jetstreamManager(nc));
    pub = new Publisher(jetstream(nc));
    await publish(exampleSurface({ ts: BASE_TS, id: 'S:btc:1' }), exampleSurface({ underlying: 'ETH', ts: BASE_TS, id: 'S:eth:1', atm: 0.65 }));
    gateway = await start();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await nc?.close();
    await nats?.stop();
  });

  it('draws the smiles, updates live, and reconnects after a gateway restart', async () => {
    await page.goto(gateway.url);
    await page.waitForSelector('#conn.pill-live');
    // A table row and a chart per expiry.
    await page.waitForFunction(() => document.querySelectorAll('#expiries tbody tr').length === 6);
    await page.waitForFunction(() => document.querySelectorAll('#charts .chart canvas').length === 6);
    expect(await page.$eval('#underlying', (s) => (s as HTMLSelectElement).value)).toBe('BTC');
    expect(await page.$$eval('#underlying option', (os) => os.map((o) => o.textContent))).toEqual(['BTC', 'ETH']);

    // The fit curve is drawn: the first chart's canvas holds plenty of the fit's blue.
    const bluePixels = await page.$eval('#charts .chart canvas', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - 0x25) < 40 && Math.abs(d[i + 1]! - 0x63) < 40 && d[i + 2]! > 0xc0) n++;
      return n;
    });
    expect(bluePixels).toBeGreaterThan(200);
    const before = await atmCells();
    expect(before[0]).toMatch(/^\d+\.\d%$/);

    // A live update changes the table.
    await publish(exampleSurface({ ts: BASE_TS + 1_000, id: 'S:btc:2', atm: 0.6 }));
    await page.waitForFunction((old) => document.querySelector('#expiries tbody td.atm')?.textContent !== old, before[0]);
    const after = await atmCells();
    expect(after).toHaveLength(6);
    expect(after[5]).not.toBe(before[5]);
    expect(await page.$eval('#meta', (m) => m.textContent)).toContain('seq 2');

    await page.waitForTimeout(1_300); // let the change highlight fade for the screenshot
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: true });
    expect(errors).toEqual([]);

    // Switching the underlying resubscribes.
    await page.selectOption('#underlying', 'ETH');
    await page.waitForFunction(() => location.hash === '#ETH' && document.querySelector('#summary')?.textContent?.includes('deribit'));
    await page.waitForFunction(() => document.querySelectorAll('#expiries tbody tr').length === 6);
    expect((await atmCells())[5]).not.toBe(after[5]);
    await page.selectOption('#underlying', 'BTC');
    await page.waitForFunction((v) => document.querySelectorAll('#expiries tbody td.atm')[5]?.textContent === v, after[5]);

    // Gateway restart on the same port: the page reconnects and follows the new process.
    const port = gateway.port;
    await gateway.stop();
    await page.waitForSelector('#conn.pill-wait');
    gateway = await start(port);
    await page.waitForSelector('#conn.pill-live', { timeout: 20_000 });
    await publish(exampleSurface({ ts: BASE_TS + 2_000, id: 'S:btc:3', atm: 0.45 }));
    await page.waitForFunction((v) => {
      const cells = document.querySelectorAll('#expiries tbody td.atm');
      return cells.length === 6 && cells[5]?.textContent !== v;
    }, after[5]);
    // The only errors allowed are the browser's own reports of the refused reconnect attempts.
    expect(errors.filter((e) => !/WebSocket connection to|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });
});
