import { z } from 'zod';
import { TOKEN_RE } from '@volstream/events';
import type { LiveSurface } from '../api/schemas.ts';

// Websocket protocol, version 1. JSON text frames both ways.
//
// client -> server
//   {"op":"subscribe","channel":"surface","underlying":"BTC","venue"?:"deribit","quotes"?:true}
//   {"op":"unsubscribe","channel":"surface","underlying":"BTC","venue"?:"deribit"}
// server -> client
//   {"type":"hello","protocol":1,"channels":["surface"],"heartbeatMs":15000}
//   {"type":"subscribed"|"unsubscribed","channel":"surface","underlying":"BTC","venue":null}
//   {"type":"snapshot"|"update","channel":"surface","underlying":"BTC","venue":"deribit","seq":7,"data":LiveSurface}
//   {"type":"heartbeat","ts":1779000000000}
//   {"type":"error","message":"..."}
//
// Every snapshot/update carries the whole state of its channel, so a client that sees `seq`
// jump by more than one (it was conflated while slow) has only missed intermediate states. A
// subscription without a venue follows the store's default venue and says which one in each
// message; a `snapshot` (not an `update`) is sent whenever the venue it serves changes.

export const PROTOCOL_VERSION = 1;
export const CHANNELS = ['surface'] as const;

const token = z.string().regex(TOKEN_RE, 'must be 1-128 characters of A-Z, a-z, 0-9, _ or -');

export const Subscribe = z.object({
  op: z.literal('subscribe'),
  channel: z.enum(CHANNELS),
  underlying: token,
  venue: token.optional(),
  /** Include each expiry's current quotes (default true). */
  quotes: z.boolean().optional(),
});
export type Subscribe = z.infer<typeof Subscribe>;

export const Unsubscribe = z.object({
  op: z.literal('unsubscribe'),
  channel: z.enum(CHANNELS),
  underlying: token,
  venue: token.optional(),
});
export type Unsubscribe = z.infer<typeof Unsubscribe>;

export const ClientMessage = z.discriminatedUnion('op', [Subscribe, Unsubscribe]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type Channel = (typeof CHANNELS)[number];

export type ServerMessage =
  | { type: 'hello'; protocol: number; channels: readonly Channel[]; heartbeatMs: number }
  | { type: 'subscribed' | 'unsubscribed'; channel: Channel; underlying: string; venue: string | null }
  | { type: 'snapshot' | 'update'; channel: 'surface'; underlying: string; venue: string; seq: number; data: LiveSurface }
  | { type: 'heartbeat'; ts: number }
  | { type: 'error'; message: string };

/** Parse one client frame; the error text is what the client is told. */
export function parseClientMessage(text: string): { ok: true; msg: ClientMessage } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: 'not JSON' };
  }
  const r = ClientMessage.safeParse(raw);
  if (r.success) return { ok: true, msg: r.data };
  return { ok: false, message: r.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ') };
}
