import { Decoder } from '@msgpack/msgpack';
import { z } from 'zod';
import { TOKEN_RE } from '@volstream/events';
import type { LiveSurface, MetricsBody, SmileBody } from '../api/schemas.ts';
import { EXPIRY_RE } from '../api/schemas.ts';

// Websocket protocol, version 2, at `/ws`. Frames are JSON text by default; with
// `/ws?format=msgpack` every server frame is a binary msgpack map of the same shape (client
// frames may be JSON text or msgpack binary either way). With API_KEYS set, the key goes in
// `?api_key=` (browsers cannot set headers on a websocket) or an Authorization/X-API-Key header.
//
// client -> server
//   {"op":"subscribe","channel":"surface","underlying":"BTC","venue"?:"deribit","quotes"?:true|false|"otm"}
//   {"op":"subscribe","channel":"smile","underlying":"BTC","venue"?:"deribit","expiry":"20261127"}
//   {"op":"subscribe","channel":"metrics","underlying":"BTC","venue"?:"deribit"}
//   {"op":"unsubscribe","channel":…,"underlying":…,"venue"?:…,"expiry"?:…}   (as subscribed)
// server -> client
//   {"type":"hello","protocol":2,"channels":["surface","smile","metrics"],"format":"json","heartbeatMs":15000}
//   {"type":"subscribed"|"unsubscribed","channel":"smile","underlying":"BTC","venue":null,"expiry":"20261127"}
//   {"type":"snapshot"|"update","channel":"surface","underlying":"BTC","venue":"deribit","seq":7,"data":LiveSurface}
//   {"type":"snapshot"|"update","channel":"smile",…,"expiry":"20261127","seq":3,"data":Smile}
//   {"type":"snapshot"|"update","channel":"metrics",…,"seq":7,"data":Metrics}
//   {"type":"heartbeat","ts":1779000000000}
//   {"type":"error","message":"..."}
//
// Every snapshot/update carries the whole state of its channel, and `seq` counts the channel's
// changes (surface, metrics: the surface's changes; smile: that expiry's fit changes). A client
// that sees `seq` jump by more than one was conflated while slow and missed only intermediate
// states; to start over it subscribes again, which answers with a fresh snapshot. A subscription
// without a venue follows the gateway's default venue and says which in each message; a
// `snapshot` (not an `update`) is sent whenever the venue it serves changes.

export const PROTOCOL_VERSION = 2;
export const CHANNELS = ['surface', 'smile', 'metrics'] as const;
export type Channel = (typeof CHANNELS)[number];
export const FORMATS = ['json', 'msgpack'] as const;
export type Format = (typeof FORMATS)[number];

const token = z.string().regex(TOKEN_RE, 'must be 1-128 characters of A-Z, a-z, 0-9, _ or -');
const expiry = z.string().regex(EXPIRY_RE, 'must be YYYYMMDD, YYYY-MM-DD, an ISO UTC time or epoch milliseconds');

const expiryRule = (m: { channel: Channel; expiry?: string | undefined }, ctx: z.RefinementCtx) => {
  if (m.channel === 'smile' && m.expiry === undefined) ctx.addIssue({ code: 'custom', path: ['expiry'], message: 'required for the smile channel' });
  if (m.channel !== 'smile' && m.expiry !== undefined) ctx.addIssue({ code: 'custom', path: ['expiry'], message: `not used by the ${m.channel} channel` });
};

export const Subscribe = z.object({
  op: z.literal('subscribe'),
  channel: z.enum(CHANNELS),
  underlying: token,
  venue: token.optional(),
  /** smile channel: the expiry, as in REST URLs. */
  expiry: expiry.optional(),
  /** surface channel: each expiry's current quotes: all (true, the default), none (false), or
   *  only the out-of-the-money ones the fit draws from ("otm", half the bytes). */
  quotes: z.union([z.boolean(), z.literal('otm')]).optional(),
}).strict().superRefine(expiryRule);
export type Subscribe = z.infer<typeof Subscribe>;

export const Unsubscribe = z.object({
  op: z.literal('unsubscribe'),
  channel: z.enum(CHANNELS),
  underlying: token,
  venue: token.optional(),
  expiry: expiry.optional(),
}).strict().superRefine(expiryRule);
export type Unsubscribe = z.infer<typeof Unsubscribe>;

export const ClientMessage = z.discriminatedUnion('op', [Subscribe, Unsubscribe]);
export type ClientMessage = z.infer<typeof ClientMessage>;

type ChannelHead = { underlying: string; venue: string; seq: number };
export type DataMessage =
  | ({ type: 'snapshot' | 'update'; channel: 'surface'; data: LiveSurface } & ChannelHead)
  | ({ type: 'snapshot' | 'update'; channel: 'smile'; expiry: string; data: SmileBody } & ChannelHead)
  | ({ type: 'snapshot' | 'update'; channel: 'metrics'; data: MetricsBody } & ChannelHead);

export type ServerMessage =
  | { type: 'hello'; protocol: number; channels: readonly Channel[]; format: Format; heartbeatMs: number }
  | { type: 'subscribed' | 'unsubscribed'; channel: Channel; underlying: string; venue: string | null; expiry?: string }
  | DataMessage
  | { type: 'heartbeat'; ts: number }
  | { type: 'error'; message: string };

const decoder = new Decoder();

/** Parse one client frame (JSON text, or msgpack binary); the error text is what the client is told. */
export function parseClientMessage(frame: string | Uint8Array): { ok: true; msg: ClientMessage } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = typeof frame === 'string' ? JSON.parse(frame) : decoder.decode(frame);
  } catch {
    return { ok: false, message: typeof frame === 'string' ? 'not JSON' : 'not msgpack' };
  }
  const r = ClientMessage.safeParse(raw);
  if (r.success) return { ok: true, msg: r.data };
  return { ok: false, message: r.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ') };
}
