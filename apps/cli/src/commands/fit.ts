import { readFile } from 'node:fs/promises';
import { parseArgs, promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import {
  buildExpiries,
  fitSurface,
  fixedTenors,
  getFitter,
  latestPerSymbol,
  listFitters,
  parseChainLines,
  smileMetrics,
  volIndex30d,
  DEFAULT_TENOR_DAYS,
} from '@volstream/svi';

/** Where the command writes (same shape as ../io.ts `Io`). */
type Io = { stdout: (s: string) => void; stderr: (s: string) => void };

export const FIT_HELP = `Usage: volstream fit --input FILE [--underlying BTC] [--fitter NAME] [--help]

Fits one option-chain snapshot and prints the surface as JSON on stdout.

Input (plain or .gz), format detected from the first line:
  - Tardis options_chain CSV (exchange,symbol,timestamp,…; times in µs, IVs in percent);
    the latest row per symbol is the snapshot
  - Deribit public/get_order_book results, one JSON object per line

Implied vols are recomputed from the bid/ask coin prices (Black-76 on each row's
underlying_price; the file's IVs are not used). One quote per strike: the OTM side.

Options:
  -i, --input FILE       chain file (.csv, .jsonl, optionally .gz)
  -u, --underlying COIN  e.g. BTC (default: the most common in the file)
  -f, --fitter NAME      name or name@version (default: svi-qe). Known: ${listFitters().map((f) => f.id).join(', ')}
  -h, --help             this text

Output: { underlying, ts, fitter: {name, version}, expiries: [{ expiry, expiryTs, t, forward,
params {a,b,rho,m,sigma}, atmVol, rr25, bf25, rr10, bf10, rmse, maxError, inSpread, minG, points,
dropped }], rejected: [{ expiry, expiryTs, t, reason }], tenors: { "7": {...} | null, … }, index30d }
Vols (atmVol, rr*, bf*, tenors) are fractions; rmse/maxError are vol points (vega-weighted RMSE);
index30d is in vol points like DVOL. Rows that cannot be used are counted by reason on stderr.
Exit codes: 0 surface printed, 1 unreadable/malformed input or nothing fitted, 2 usage error.`;

const gunzipAsync = promisify(gunzip);

async function readChainText(path: string): Promise<string> {
  const buf = await readFile(path);
  // gzip magic 1f 8b, whatever the file is called
  const raw = buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b ? await gunzipAsync(buf) : buf;
  return raw.toString('utf8');
}

const iso = (ms: number) => new Date(ms).toISOString();
const counts = (m: Record<string, number>) => Object.entries(m).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(' ');

/** `volstream fit`: returns the exit code; never calls process.exit. */
export async function fitCommand(argv: string[], io: Io): Promise<number> {
  let values: { input?: string; underlying?: string; fitter?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        input: { type: 'string', short: 'i' },
        underlying: { type: 'string', short: 'u' },
        fitter: { type: 'string', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr(`volstream fit: ${err instanceof Error ? err.message : String(err)}\n(see volstream fit --help)`);
    return 2;
  }
  if (values.help) {
    io.stdout(FIT_HELP);
    return 0;
  }
  if (!values.input) {
    io.stderr('volstream fit: --input FILE is required\n(see volstream fit --help)');
    return 2;
  }
  const fitter = getFitter(values.fitter ?? 'svi-qe');
  if (!fitter.ok) {
    io.stderr(`volstream fit: ${fitter.reason}`);
    return 2;
  }
  let text: string;
  try {
    text = await readChainText(values.input);
  } catch (err) {
    io.stderr(`volstream fit: cannot read ${values.input}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const parsed = parseChainLines(text.split(/\r?\n/));
  if (!parsed.ok) {
    io.stderr(`volstream fit: ${values.input}: ${parsed.error}`);
    return 1;
  }
  const snapshot = latestPerSymbol(parsed.rows);
  const underlying = values.underlying?.toUpperCase();
  const built = buildExpiries({ rows: snapshot, ivSource: 'recompute', ...(underlying ? { underlying } : {}) });
  const rowDrops: Record<string, number> = { ...parsed.skipped, ...built.dropped };
  const superseded = parsed.rows.length - snapshot.length;
  if (superseded > 0) rowDrops['superseded_by_later_row'] = superseded;
  io.stderr(`volstream fit: ${parsed.format}, ${parsed.rows.length} rows, ${snapshot.length} instruments, ${built.expiries.length} expiries`);
  if (Object.keys(rowDrops).length > 0) io.stderr(`rows not used: ${counts(rowDrops)}`);
  if (built.expiries.length === 0) {
    io.stderr(`volstream fit: no usable ${underlying ?? ''} option rows in ${values.input}`.replace('  ', ' '));
    return 1;
  }

  const surface = fitSurface({ expiries: built.expiries, fitter: fitter.fitter });
  const expiries = [];
  const rejected = [];
  for (const e of surface.expiries) {
    if (!e.ok) {
      rejected.push({ expiry: iso(e.expiryTs), expiryTs: e.expiryTs, t: e.t, reason: e.reason });
      io.stderr(`expiry ${iso(e.expiryTs)} not fitted: ${e.reason}`);
      continue;
    }
    const m = smileMetrics(e.params, e.t);
    const d = e.diagnostics;
    if (Object.keys(d.dropped).length > 0) io.stderr(`expiry ${iso(e.expiryTs)} quotes not fitted: ${counts(d.dropped)}`);
    expiries.push({
      expiry: iso(e.expiryTs),
      expiryTs: e.expiryTs,
      t: e.t,
      forward: e.forward,
      params: { a: e.params.a, b: e.params.b, rho: e.params.rho, m: e.params.m, sigma: e.params.sigma },
      atmVol: m.atmVol,
      rr25: m.rr25,
      bf25: m.bf25,
      rr10: m.rr10,
      bf10: m.bf10,
      rmse: d.rmse,
      maxError: d.maxError,
      inSpread: d.inSpread,
      minG: d.minG,
      points: d.used,
      dropped: d.dropped,
    });
  }
  if (expiries.length === 0) {
    io.stderr('volstream fit: no expiry could be fitted');
    return 1;
  }
  const slices = surface.expiries.flatMap((e) => (e.ok ? [{ t: e.t, params: e.params }] : []));
  const tenorPoints = fixedTenors({ slices, days: DEFAULT_TENOR_DAYS });
  const tenors = Object.fromEntries(
    DEFAULT_TENOR_DAYS.map((days, i) => {
      const p = tenorPoints[i];
      return [String(days), p ? { atmVol: p.atmVol, rr25: p.rr25, bf25: p.bf25, rr10: p.rr10, bf10: p.bf10 } : null];
    }),
  );
  const index = volIndex30d({ slices });
  io.stdout(
    JSON.stringify(
      {
        underlying: built.underlying,
        ts: built.snapshotTs,
        fitter: surface.fitter,
        expiries,
        rejected,
        tenors,
        index30d: index ? index.value : null,
      },
      null,
      2,
    ),
  );
  return 0;
}
