import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '@volstream/runtime';
import { authenticate, type ApiKeys, type RateLimiter } from '../auth.ts';
import type { StreamHub } from './hub.ts';
import { FORMATS, type Format } from './protocol.ts';

export type WsServerOptions = {
  path?: string;
  /** Protocol ping (and app heartbeat) interval; a client that missed the last pong is dropped. */
  pingMs: number;
  /** How often conflated updates are flushed and slow clients checked. */
  tickMs?: number;
  /** When set, the upgrade needs one of these keys (`?api_key=`, Authorization or X-API-Key). */
  apiKeys?: ApiKeys | undefined;
  /** Each upgrade takes a token of the key's (or address's) bucket, like an HTTP request. */
  limiter?: RateLimiter;
  log?: Logger;
};

export type WsServer = { close(): void; readonly connections: number; readonly refused: Record<string, number> };

/** Refuse an upgrade with a plain HTTP answer (the socket is not a websocket yet). */
function refuse(socket: Duplex, status: string, body: string, headers: Record<string, string> = {}): void {
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`);
}

/**
 * Serve the hub over `ws` on the node HTTP server's upgrade event: key and rate checks, the
 * frame format (`?format=json|msgpack`), one socket per client, frames handed to the hub,
 * protocol pings for dead peers, and the hub's timers.
 */
export function attachWebSocket(server: Server, hub: StreamHub, opts: WsServerOptions): WsServer {
  const path = opts.path ?? '/ws';
  // Client frames are small subscribe/unsubscribe requests; no compression, as updates are
  // sent to many clients and deflate per socket would cost more CPU than the bytes it saves.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  const refused: Record<string, number> = { unauthorized: 0, rate_limited: 0, bad_request: 0 };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const format = url.searchParams.get('format') ?? 'json';
    if (!FORMATS.includes(format as Format)) {
      refused.bad_request!++;
      return refuse(socket, '400 Bad Request', JSON.stringify({ error: 'bad_request', message: `format: must be ${FORMATS.join(' or ')}`, issues: [{ param: 'format', message: `must be ${FORMATS.join(' or ')}` }] }));
    }
    let client = `addr:${req.socket.remoteAddress ?? 'unknown'}`;
    if (opts.apiKeys) {
      const header = (name: string) => { const v = req.headers[name]; return Array.isArray(v) ? v[0] : v; };
      const r = authenticate(opts.apiKeys, { authorization: header('authorization'), xApiKey: header('x-api-key'), query: url.searchParams.get('api_key') });
      if (!r.ok) {
        refused.unauthorized!++;
        return refuse(socket, '401 Unauthorized', JSON.stringify({ error: 'unauthorized', message: r.reason === 'missing' ? 'an API key is required: ?api_key=<key>' : 'unknown API key' }), { 'WWW-Authenticate': 'Bearer realm="volstream"' });
      }
      client = `key:${r.name}`;
    }
    const d = opts.limiter?.take(client);
    if (d && !d.ok) {
      refused.rate_limited!++;
      const secs = Math.max(1, Math.ceil(d.retryAfterMs / 1_000));
      return refuse(socket, '429 Too Many Requests', JSON.stringify({ error: 'rate_limited', message: `retry in ${secs} s` }), { 'Retry-After': String(secs) });
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, format));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket, _req: IncomingMessage, format: Format) => {
    alive.set(ws, true);
    const handle = hub.connect({
      send: (data) => { if (ws.readyState === WebSocket.OPEN) ws.send(data); },
      get bufferedAmount() { return ws.bufferedAmount; },
      terminate: () => ws.terminate(),
    }, format);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      handle.onMessage(isBinary ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : buf.toString('utf8'));
    });
    ws.on('close', () => handle.onClose());
    ws.on('error', (err) => opts.log?.debug('websocket error', { err: err.message }));
  });

  const tick = setInterval(() => hub.tick(), opts.tickMs ?? 100);
  const ping = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
    hub.heartbeat();
  }, opts.pingMs);

  return {
    refused,
    get connections() { return wss.clients.size; },
    close() {
      clearInterval(tick);
      clearInterval(ping);
      server.off('upgrade', onUpgrade);
      hub.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
