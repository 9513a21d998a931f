import { essviFitter } from './essvi-fitter.ts';
import { sviQeFitter } from './svi-qe-fitter.ts';
import type { SmileFitter } from './surface-types.ts';

const FITTERS: readonly SmileFitter[] = [sviQeFitter, essviFitter];

/** Numeric-aware version order ('10' > '9'); ties fall back to string order. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0 && Number.isFinite(d)) return d;
  }
  return a.localeCompare(b);
}

/** Every registered fitter as `{ id: 'name@version', name, version, description }`, by name then version. */
export function listFitters(): { id: string; name: string; version: string; description: string }[] {
  return FITTERS.map((f) => ({ id: `${f.name}@${f.version}`, name: f.name, version: f.version, description: f.description }))
    .sort((x, y) => x.name.localeCompare(y.name) || compareVersions(x.version, y.version));
}

/**
 * Looks a fitter up by `name@version`, or by plain `name` for its latest version
 * (emmett-style projection versions; STYLE habit 11).
 *
 * @example getFitter('svi-qe@1') // { ok: true, fitter: sviQeFitter }
 * @example getFitter('essvi')    // latest essvi
 */
export function getFitter(id: string): { ok: true; fitter: SmileFitter } | { ok: false; reason: string } {
  const [name, version] = id.split('@');
  const byName = FITTERS.filter((f) => f.name === name);
  const known = listFitters().map((f) => f.id).join(', ');
  if (byName.length === 0) return { ok: false, reason: `unknown fitter "${id}" (known: ${known})` };
  if (version === undefined) {
    const latest = byName.slice().sort((x, y) => compareVersions(y.version, x.version))[0]!;
    return { ok: true, fitter: latest };
  }
  const f = byName.find((x) => x.version === version);
  return f ? { ok: true, fitter: f } : { ok: false, reason: `unknown version "${version}" of fitter "${name}" (known: ${known})` };
}
