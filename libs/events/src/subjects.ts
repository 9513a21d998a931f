import { TOKEN_RE } from './common.ts';
import { InvalidTokenError } from './errors.ts';

/** Pipeline stages, one JetStream stream each; the stage is the subject's first token. */
export const STAGES = ['md', 'book', 'vol', 'surface'] as const;
export type Stage = (typeof STAGES)[number];

/** Topic tokens for events that are not about one instrument. Venue instrument names never
 * start with `_`, so these cannot collide with them. */
export const TOPIC = {
  index: '_idx',
  forward: '_fwd',
  status: '_status',
  smile: '_smile',
  surface: '_surface',
} as const;

/** Expiry token for events that belong to no expiry (index, venue-wide status). */
export const NO_EXPIRY = '_';
/** Underlying token for venue-wide events. */
export const NO_UNDERLYING = '_';
/** Venue token of the composite (all venues) surface. */
export const COMPOSITE_VENUE = 'composite';

function token(name: string, value: string): string {
  if (!TOKEN_RE.test(value)) throw new InvalidTokenError(`invalid subject token for ${name}: ${JSON.stringify(value)}`);
  return value;
}

/** `YYYYMMDD` of an expiry in UTC: expiries sort as strings and read at a glance. */
export function expiryToken(expiryTs: number | undefined): string {
  if (expiryTs === undefined) return NO_EXPIRY;
  const d = new Date(expiryTs);
  if (Number.isNaN(d.getTime())) throw new InvalidTokenError(`invalid expiry timestamp: ${expiryTs}`);
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

export type SubjectParts = { venue: string; underlying?: string; expiryTs?: number; topic: string };

/** `<stage>.<venue>.<underlying>.<expiry>.<topic>`: one wildcard filter selects a share of the
 * work by venue, underlying or expiry (nats-server 2.9 allows one filter per consumer). */
export function subject(stage: Stage, p: SubjectParts): string {
  return `${stage}.${token('venue', p.venue)}.${token('underlying', p.underlying ?? NO_UNDERLYING)}.${expiryToken(p.expiryTs)}.${token('topic', p.topic)}`;
}

export type ShareFilter = { venue?: string; underlying?: string; expiry?: string };

/** Wildcard filter for a worker's share of a stage, e.g. `vol.deribit.BTC.>`. */
export function filter(stage: Stage, share: ShareFilter = {}): string {
  const parts: string[] = [stage];
  const tokens = [share.venue, share.underlying, share.expiry];
  // Trailing unspecified tokens collapse into `>`; inner ones become `*`.
  let last = -1;
  tokens.forEach((t, i) => { if (t !== undefined) last = i; });
  for (let i = 0; i <= last; i++) {
    const t = tokens[i];
    parts.push(t === undefined ? '*' : token(['venue', 'underlying', 'expiry'][i]!, t));
  }
  parts.push('>');
  return parts.join('.');
}

/** Parse a share spec `venue[.underlying[.expiry]]` (as in the SHARE env var); `*` skips a token. */
export function parseShare(spec: string | undefined): ShareFilter {
  if (!spec || spec === '>' ) return {};
  const [venue, underlying, expiry] = spec.split('.').map((s) => (s === '*' || s === '' ? undefined : s));
  return { venue, underlying, expiry };
}

/** Dead-letter subject for input a stage could not use (bad frames, undecodable messages). */
export function rejectedSubject(stage: Stage | 'connector', venue: string): string {
  return `rejected.${token('stage', stage)}.${token('venue', venue)}`;
}

export const subjects = { subject, filter, expiryToken, rejectedSubject, parseShare };
