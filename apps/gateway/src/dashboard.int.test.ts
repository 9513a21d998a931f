import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Surface } from '@volstream/events';
import { Publisher, connectNats, createLogger, ensureStreams, type NatsConnection } from '@volstream/runtime';
import { startNatsServer, type NatsServer } from '@volstream/runtime/testing';
import { parseGatewayConfig } from './config.ts';
import { startGateway, type Gateway } from './server.ts';
import { MANY_DAYS, exampleQuotes, exampleSurface } from './testing/fixtures.ts';

// The dashboard in real headless Chromium (Debian's, driven by playwright-core), against a real
// gateway on a real nats-server: one browser for the whole file.

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const log = createLogger('dashboard-test', 'warn');

type Rgb = [number, number, number];
const BLUE: Rgb = [0x25, 0x63, 0xeb];
const GREEN: Rgb = [0x05, 0x96, 0x69];
const RED: Rgb = [0xdc, 0x26, 0x26];
const GREY: Rgb = [0x9c, 0xa3, 0xaf];

/** Pixels of a canvas close to each colour. */
function countColours(page: Page, selector: string, colours: Rgb[]): Promise<number[]> {
  return page.$eval(selector, (c, cols) => {
    const cv = c as HTMLCanvasElement;
    const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
    const n = cols.map(() => 0);
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3]! < 200) continue;
      cols.forEach(([r, g, b], j) => { if (Math.abs(d[i]! - r) < 30 && Math.abs(d[i + 1]! - g) < 30 && Math.abs(d[i + 2]! - b) < 30) n[j]!++; });
    }
    return n;
  }, colours);
}

const canvasImage = (page: Page, selector: string) => page.$eval(selector, (c) => (c as HTMLCanvasElement).toDataURL());

describe('dashboard page in headless Chromium', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let pub: Publisher;
  let gateway: Gateway;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  // Fits a few minutes old, so the page's default history range (the last 6 h) holds them.
  const T0 = Math.floor(Date.now() / 1_000) * 1_000 - 600_000;
  let fit = 0;

  /** Quotes first, as in the pipeline (the live payload carries the quotes as of the surface). */
  const publish = async (...surfaces: Surface[]) => {
    for (const s of surfaces) {
      for (const p of exampleQuotes(s, { strikes: s.underlying === 'BTC' ? 100 : 25, seed: s.ts % 1_000_003, flawed: true })) await pub.publish('vol', p);
      await pub.flush();
      await pub.publish('surface', s);
    }
    await pub.flush();
  };
  const btc = (atm: number, venue = 'deribit') => {
    fit++;
    return exampleSurface({ underlying: 'BTC', venue, ts: T0 + 300_000 + fit * 1_000, atm, days: MANY_DAYS, id: `S:btc:${venue}:${fit}` });
  };
  const start = (port = 0) => startGateway(parseGatewayConfig({ NATS_URL: nats.url, PORT: String(port), HOST: '127.0.0.1', WS_PING_MS: '2000', PIPELINE_POLL_MS: '250', RATE_LIMIT_RPS: '0' }), { log });
  const atmCells = () => page.$$eval('#expiries tbody td.atm', (tds) => tds.map((td) => td.textContent));
  const firstSmile = '#charts .chart canvas';

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats({ url: nats.url, name: 'dashboard-test' });
    const jsm = await jetstreamManager(nc);
    await ensureStreams(jsm);
    pub = new Publisher(jetstream(nc));
    // History: a surface every 5 s for the 5 minutes before the live ones.
    for (let i = 0; i < 60; i++) {
      await pub.publish('surface', exampleSurface({ underlying: 'BTC', ts: T0 + i * 5_000, atm: 0.5 + 0.03 * Math.sin(i / 8), days: MANY_DAYS, id: `H:${i}` }));
    }
    await publish(btc(0.52, 'okx'), btc(0.5), exampleSurface({ underlying: 'ETH', ts: T0 + 300_000, id: 'S:eth:1', atm: 0.65 }));
    // A pipeline consumer that is behind, for the diagnostics panel.
    await jsm.consumers.add('VS_VOL', { durable_name: 'surface_all', ack_policy: AckPolicy.Explicit, filter_subject: 'vol.>' });
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

  it('draws smiles, term structure, wings, surface, history and diagnostics, and updates them live', async () => {
    await page.goto(gateway.url);
    await page.waitForSelector('#conn.pill-live');
    await page.waitForFunction(() => document.querySelectorAll('#expiries tbody tr').length === 13);
    await page.waitForFunction(() => document.querySelectorAll('#charts .chart').length === 13);
    expect(await page.$eval('#underlying', (s) => (s as HTMLSelectElement).value)).toBe('BTC');
    expect(await page.$$eval('#underlying option', (os) => os.map((o) => o.textContent))).toEqual(['BTC', 'ETH']);
    expect(await page.$$eval('#venue option', (os) => os.map((o) => o.textContent))).toEqual(['auto (deribit)', 'deribit', 'okx']);
    expect(await page.$eval('#meta', (m) => m.textContent)).toContain('deribit');

    // The first smile: the fit curve (blue), bid (green) and ask (red) markers, and grey rings for
    // the quotes left out of the fit.
    await page.waitForFunction(() => (window as any).__volstream.renders > 0);
    const [blue, green, red, grey] = await countColours(page, firstSmile, [BLUE, GREEN, RED, GREY]);
    expect(blue).toBeGreaterThan(200);
    expect(green).toBeGreaterThan(50);
    expect(red).toBeGreaterThan(50);
    expect(grey).toBeGreaterThan(10);
    expect(await page.$eval('#charts .chart .u-title', (t) => t.textContent)).toMatch(/\d+ in fit, [1-9] left out/);

    // Desk views: term structure and wings are drawn, the surface heatmap is filled.
    expect((await countColours(page, '#term canvas', [BLUE]))[0]).toBeGreaterThan(100);
    expect((await countColours(page, '#rrbf canvas', [RED]))[0]).toBeGreaterThan(100);
    const heat = await page.$eval('#heatmap canvas', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let coloured = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 200 && Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 60) coloured++;
      return coloured / (d.length / 4);
    });
    expect(heat).toBeGreaterThan(0.3);
    expect(await page.$$eval('#tenors tbody tr', (trs) => trs.map((tr) => tr.firstElementChild?.textContent))).toEqual(['30 d']);
    // History from the stored surfaces (60 points) is on the chart.
    await page.waitForFunction(() => document.querySelector('#history canvas') !== null);
    await expect.poll(async () => (await countColours(page, '#history canvas', [BLUE]))[0], { timeout: 10_000 }).toBeGreaterThan(100);

    // Diagnostics: fit checks, quotes left out by reason, the lagging consumer, status polling.
    expect(await page.$eval('#diag-fit', (d) => d.textContent)).toMatch(/Butterfly arbitrage.*none/);
    expect(await page.$eval('#diag-quotes', (d) => d.textContent)).toMatch(/vol_cliff 13/);
    await page.waitForFunction(() => document.querySelector('#lag tbody')?.textContent?.includes('surface_all'), undefined, { timeout: 15_000 });

    // A live update changes the table and what the smile chart shows.
    const before = await atmCells();
    const img = await canvasImage(page, firstSmile);
    await publish(btc(0.6));
    await page.waitForFunction((old) => document.querySelector('#expiries tbody td.atm')?.textContent !== old, before[0]);
    const after = await atmCells();
    expect(after).toHaveLength(13);
    expect(after[12]).not.toBe(before[12]);
    await expect.poll(() => canvasImage(page, firstSmile)).not.toBe(img);

    // The x axis switches between log-moneyness, strike and delta, redrawing the smiles.
    for (const mode of ['strike', 'delta', 'k']) {
      const shown = await canvasImage(page, firstSmile);
      await page.click(`#xaxis button[data-x="${mode}"]`);
      expect(await page.$eval(`#xaxis button[data-x="${mode}"]`, (b) => b.getAttribute('aria-checked'))).toBe('true');
      await expect.poll(() => canvasImage(page, firstSmile)).not.toBe(shown);
    }
    await page.click('#xaxis button[data-x="delta"]');

    // A burst of full-size updates (13 expiries x 200 quotes each) does not freeze the page:
    // renders are conflated to animation frames and each stays short.
    const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
    await frame(); // the render the axis switch asked for
    const perf0 = await page.evaluate(() => ({ ...(window as any).__volstream }));
    for (let i = 0; i < 4; i++) await publish(btc(0.55 + i / 100));
    await page.waitForFunction((n) => (window as any).__volstream.updates >= n + 4, perf0.updates);
    const t = Date.now();
    await frame();
    expect(Date.now() - t).toBeLessThan(1_000);
    const perf1 = await page.evaluate(() => ({ ...(window as any).__volstream }));
    expect(perf1.renders - perf0.renders).toBeLessThanOrEqual(perf1.updates - perf0.updates);
    expect(perf1.maxMs).toBeLessThan(400);

    // Screenshots kept as test artifacts: the laptop view, and the whole page with every chart drawn.
    await page.waitForTimeout(1_300); // let the change highlight fade
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}dashboard.png` });
    for (const y of [1_000, 2_000, 3_000, 4_000]) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(150);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${ARTIFACTS}dashboard-full.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('switches underlying and venue, and reconnects after a gateway restart', async () => {
    await page.selectOption('#underlying', 'ETH');
    await page.waitForFunction(() => location.hash === '#ETH' && document.querySelectorAll('#expiries tbody tr').length === 6);
    await page.waitForFunction(() => document.querySelectorAll('#charts .chart').length === 6);
    expect(await page.$$eval('#venue option', (os) => os.map((o) => o.textContent))).toEqual(['auto (deribit)', 'deribit']);

    await page.selectOption('#underlying', 'BTC');
    await page.waitForFunction(() => document.querySelectorAll('#expiries tbody tr').length === 13);
    await page.selectOption('#venue', 'okx');
    await page.waitForFunction(() => location.hash === '#BTC@okx' && document.querySelector('#meta')?.textContent?.startsWith('okx'));
    // ATM of the okx surface (0.52 base) differs from deribit's latest.
    const okxAtm = await atmCells();
    await page.selectOption('#venue', '');
    await page.waitForFunction((v) => document.querySelector('#meta')?.textContent?.startsWith('deribit') && document.querySelector('#expiries tbody td.atm')?.textContent !== v, okxAtm[0]);
    expect(errors).toEqual([]);

    // The gateway goes away and comes back on the same port: the page reconnects and resubscribes.
    const after = await atmCells();
    const port = gateway.port;
    await gateway.stop();
    await page.waitForSelector('#conn.pill-wait');
    gateway = await start(port);
    await page.waitForSelector('#conn.pill-live', { timeout: 20_000 });
    await publish(btc(0.45));
    await page.waitForFunction((v) => {
      const cells = document.querySelectorAll('#expiries tbody td.atm');
      return cells.length === 13 && cells[12]?.textContent !== v;
    }, after[12]);
    // The only errors allowed are the browser's own reports of the refused reconnect attempts.
    expect(errors.filter((e) => !/WebSocket connection to|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });

  it('serves a browsable API page that lists every operation and tries one', async () => {
    const before = errors.length;
    await page.goto(`${gateway.url}/docs`);
    await page.waitForSelector('details.op');
    const doc = await (await fetch(`${gateway.url}/openapi.json`)).json();
    const ops = Object.values(doc.paths as Record<string, object>).reduce((n: number, item) => n + Object.keys(item).length, 0);
    expect(await page.$$eval('details.op', (ds) => ds.length)).toBe(ops);
    await page.click('#getSurface > summary');
    await page.click('#getSurface button');
    await page.waitForFunction(() => document.querySelector('#getSurface .status')?.textContent?.startsWith('200'));
    expect(await page.$eval('#getSurface pre', (p) => p.textContent)).toContain('"underlying": "BTC"');
    await page.screenshot({ path: `${ARTIFACTS}api-docs.png` });
    expect(errors.slice(before)).toEqual([]);
  });
});
