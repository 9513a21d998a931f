/**
 * JSON-RPC 2.0 envelope as Deribit API v2 sends it (EXCHANGES.md §1.1): responses carry `usIn`,
 * `usOut`, `usDiff` (µs) and `testnet: false`; notifications are
 * `{"jsonrpc":"2.0","method":"subscription","params":{"channel","data"}}`.
 */

export type RpcError = { code: number; message: string; data?: unknown };

/** A method handler's outcome: never thrown (STYLE.md habit 8). */
export type RpcOutcome = { ok: true; result: unknown } | { ok: false; error: RpcError };

export const ok = (result: unknown): RpcOutcome => ({ ok: true, result });
export const fail = (error: RpcError): RpcOutcome => ({ ok: false, error });

/** Error codes. JSON-RPC standard codes plus Deribit's own (docs "Error codes"; real frames cited). */
export const errors = {
  parse: (): RpcError => ({ code: -32700, message: 'Parse error' }),
  invalidRequest: (): RpcError => ({ code: -32600, message: 'Invalid Request' }),
  methodNotFound: (method: string): RpcError => ({ code: -32601, message: 'Method not found', data: { method } }),
  /** shape seen on the real venue: {"code":-32602,"message":"Invalid params","data":{"reason":"value must be a list","param":"channels"}} (ccxt#6931) */
  invalidParams: (param: string, reason: string, extra?: Record<string, unknown>): RpcError => ({
    code: -32602,
    message: 'Invalid params',
    data: { param, reason, ...extra },
  }),
  /** rate-limit overflow (EXCHANGES.md §1.11) */
  tooManyRequests: (): RpcError => ({ code: 10028, message: 'too_many_requests' }),
  /** private methods without `public/auth` */
  unauthorized: (): RpcError => ({ code: 13009, message: 'unauthorized' }),
  /** `.raw` channels need an authorised connection (EXCHANGES.md §1.3) */
  rawNotAvailable: (channels: string[]): RpcError => ({
    code: 13778,
    message: 'raw_subscriptions_not_available_for_unauthorized',
    data: { channels },
  }),
};

/** Microsecond wall clock for usIn/usOut; adapter-side only. */
export function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

export type RpcId = string | number | null;

export function responseFrame({ id, outcome, usIn, usOut }: { id: RpcId; outcome: RpcOutcome; usIn: number; usOut: number }): string {
  const body: Record<string, unknown> = { jsonrpc: '2.0' };
  if (id !== null) body.id = id;
  if (outcome.ok) body.result = outcome.result;
  else body.error = outcome.error;
  body.usIn = usIn;
  body.usOut = usOut;
  body.usDiff = usOut - usIn;
  body.testnet = false;
  return JSON.stringify(body);
}

export function notificationFrame(channel: string, data: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });
}

export const HEARTBEAT_FRAME = JSON.stringify({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'heartbeat' } });
export const TEST_REQUEST_FRAME = JSON.stringify({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } });
