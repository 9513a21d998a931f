import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Asset = { body: string; type: string };
/** URL path -> file, read once at start so serving does no disk I/O. */
export type Assets = ReadonlyMap<string, Asset>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));

/**
 * Read the page (every file of src/page: pages at `/<name>.html`, the rest under `/static/`)
 * and uPlot from node_modules, which is served from here so the page needs no CDN.
 */
export async function loadAssets(pageDir: string = PAGE_DIR): Promise<Assets> {
  const out = new Map<string, Asset>();
  for (const name of await readdir(pageDir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = await readFile(join(pageDir, name), 'utf8');
    out.set(name.endsWith('.html') ? `/${name}` : `/static/${name}`, { body, type });
  }
  const require = createRequire(import.meta.url);
  out.set('/static/uplot.iife.min.js', { body: await readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'), type: TYPES['.js']! });
  out.set('/static/uplot.min.css', { body: await readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'), type: TYPES['.css']! });
  return out;
}
