import * as svi from '@volstream/svi';
import { fitSmile, type FitDiagnostics, type SmileQuote, type SviRaw } from '@volstream/svi';

/** One expiry to fit: quotes with k = ln(K/F) at `forward`, t in years at the fit time. */
export type FitExpiryInput = { expiryTs: number; t: number; forward: number; quotes: readonly SmileQuote[] };

/** A fitter's answer for one expiry (the shape of @volstream/svi's SurfaceExpiryFit). */
export type FitExpiryResult =
  | {
      ok: true; expiryTs: number; t: number; forward: number; params: SviRaw; diagnostics: FitDiagnostics;
      /** 'refit' when the slice was refitted under the previous one to remove calendar arbitrage */
      calendar?: { action: string; deficit: number };
    }
  | { ok: false; expiryTs: number; t: number; forward: number; reason: string };

/**
 * What the surface stage needs of a fitter: @volstream/svi's `SmileFitter` (name, version,
 * fitSurface with calendar repair across the given expiries), narrowed to the fields used here.
 * `previous` gives warm starts: the last good fit of each expiry.
 */
export type SurfaceFitter = {
  name: string;
  version: string;
  fitSurface(input: { expiries: readonly FitExpiryInput[] }, previous?: { expiries: readonly FitExpiryResult[] }, options?: { clock?: () => number }): { expiries: FitExpiryResult[] };
};

export type FitterLookup = { ok: true; fitter: SurfaceFitter } | { ok: false; reason: string };

// @volstream/svi is being extended (fitter registry, fixed tenors, 30-day index). Until its
// index exports them, they are looked up on the module namespace (undefined when missing) and
// a per-slice `fitSmile` fitter stands in. Delete this bridge once they are exported.
type SviNext = {
  getFitter?: (id: string) => FitterLookup;
  listFitters?: () => { id: string }[];
  fixedTenors?: (a: { slices: readonly { t: number; params: SviRaw }[]; days?: readonly number[] }) => ({ days: number; atmVol: number; rr25: number; bf25: number } | null)[];
  volIndex30d?: (a: { slices: readonly { t: number; params: SviRaw }[] }) => { value: number } | null;
};
const next = svi as unknown as SviNext;

/** Per-slice raw SVI with fitSmile (Zeliade quasi-explicit); no calendar repair across expiries. */
const perSliceSviQe: SurfaceFitter = {
  name: 'svi-qe',
  version: '0-slices',
  fitSurface(input, previous, options) {
    const warm = new Map<number, SviRaw>();
    for (const e of previous?.expiries ?? []) if (e.ok) warm.set(e.expiryTs, e.params);
    return {
      expiries: input.expiries.map((e): FitExpiryResult => {
        const prev = warm.get(e.expiryTs);
        const r = fitSmile({ quotes: e.quotes, t: e.t, ...(prev ? { previous: prev } : {}), ...(options?.clock ? { clock: options.clock } : {}) });
        const base = { expiryTs: e.expiryTs, t: e.t, forward: e.forward };
        return r.ok ? { ok: true, ...base, params: r.params, diagnostics: r.diagnostics } : { ok: false, ...base, reason: r.reason };
      }),
    };
  },
};

/** Ids of the fitters FITTER may name (`name` or `name@version`). */
export function knownFitters(): string[] {
  return next.listFitters ? next.listFitters().map((f) => f.id) : [`${perSliceSviQe.name}@${perSliceSviQe.version}`];
}

/** The fitter named `id` (`svi-qe`, `svi-qe@1`, ...), or why there is none. */
export function getSurfaceFitter(id: string): FitterLookup {
  if (next.getFitter) return next.getFitter(id);
  const [name, version] = id.split('@');
  if (name === perSliceSviQe.name && (version === undefined || version === perSliceSviQe.version)) return { ok: true, fitter: perSliceSviQe };
  return { ok: false, reason: `unknown fitter "${id}" (known: ${knownFitters().join(', ')})` };
}

/** Fixed-tenor metrics from libs/svi when it offers them (else undefined: the field is omitted). */
export const fixedTenors = next.fixedTenors;
/** 30-day model-free index from libs/svi when it offers it. */
export const volIndex30d = next.volIndex30d;
