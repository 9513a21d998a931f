import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '@volstream/runtime';
import type { StreamHub } from './hub.ts';

export type WsServerOptions = {
  path?: string;
  /** Protocol ping (and app heartbeat) interval; a client that missed the last pong is dropped. */
  pingMs: number;
  /** How often conflated updates are flushed and slow clients checked. */
  tickMs?: number;
  log?: Logger;
};

export type WsServer = { close(): void; readonly connections: number };

/**
 * Serve the hub over `ws` on the node HTTP server's upgrade event: one socket per client, frames
 * handed to the hub as text, protocol pings for dead peers, and the hub's timers.
 */
export function attachWebSocket(server: Server, hub: StreamHub, opts: WsServerOptions): WsServer {
  const path = opts.path ?? '/ws';
  // Client frames are small subscribe/unsubscribe requests; no compression, as updates are
  // sent to many clients and deflate per socket would cost more CPU than the bytes it saves.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    const handle = hub.connect({
      send: (data) => { if (ws.readyState === WebSocket.OPEN) ws.send(data); },
      get bufferedAmount() { return ws.bufferedAmount; },
      terminate: () => ws.terminate(),
    });
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      handle.onMessage(buf.toString('utf8'));
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
