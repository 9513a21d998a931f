import { WebSocketServer, type WebSocket } from 'ws';
import { waitFor } from '@volstream/runtime/testing';

/** What a scripted channel can do when a client subscribes to it. */
export type ChannelScript = (p: { channel: string; send: (frame: string | object) => void; subscription: number; connection: number }) => void;

export type DeribitTestServerOptions = {
  /** `public/get_instruments` answers by `<currency>:<kind>` (raw Deribit objects). */
  instruments: Record<string, unknown[]>;
  /** Called once per channel after each public/subscribe is answered. */
  onSubscribe?: ChannelScript;
  /** Answer a request with a JSON-RPC error instead (n = how many times this method was called). */
  failRequest?: (p: { method: string; params: Record<string, unknown>; n: number }) => { code: number; message: string } | undefined;
};

export type RecordedRequest = { method: string; params: Record<string, unknown>; connection: number };

export type DeribitTestServer = {
  /** `ws://127.0.0.1:<port>/ws/api/v2` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Connections accepted so far / open now. */
  readonly connections: number;
  readonly open: number;
  /** Send a frame to every open client. */
  send(frame: string | object): void;
  /** Drop every client without a close handshake (a network failure). */
  drop(): void;
  waitFor(cond: () => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
};

/**
 * A small local Deribit for tests: answers public/set_heartbeat, public/test, public/get_instruments,
 * public/subscribe and public/unsubscribe like the venue (JSON-RPC 2.0 envelope with usIn/usOut),
 * records every request, and lets the test script what each channel sends.
 */
export async function startDeribitTestServer(opts: DeribitTestServerOptions): Promise<DeribitTestServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws/api/v2' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as { port: number };
  const requests: RecordedRequest[] = [];
  const calls = new Map<string, number>();
  const subscriptions = new Map<string, number>();
  const clients = new Set<WebSocket>();
  let connections = 0;

  wss.on('connection', (ws) => {
    const connection = ++connections;
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => undefined);
    const send = (frame: string | object) => {
      if (ws.readyState === ws.OPEN) ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    };
    ws.on('message', (data) => {
      let req: { id?: number; method?: string; params?: Record<string, unknown> };
      try {
        req = JSON.parse(String(data));
      } catch {
        return;
      }
      const method = req.method ?? '';
      const params = req.params ?? {};
      requests.push({ method, params, connection });
      const n = (calls.get(method) ?? 0) + 1;
      calls.set(method, n);
      const usIn = Date.now() * 1000;
      const answer = (body: object) => send({ jsonrpc: '2.0', id: req.id, ...body, usIn, usOut: usIn + 150, usDiff: 150, testnet: false });
      const err = opts.failRequest?.({ method, params, n });
      if (err) return answer({ error: err });
      switch (method) {
        case 'public/set_heartbeat':
          return answer({ result: 'ok' });
        case 'public/test':
          return answer({ result: { version: '1.2.26' } });
        case 'public/get_instruments':
          return answer({ result: opts.instruments[`${String(params.currency)}:${String(params.kind)}`] ?? [] });
        case 'public/unsubscribe':
          return answer({ result: params.channels ?? [] });
        case 'public/subscribe': {
          const channels = (params.channels ?? []) as string[];
          answer({ result: channels });
          for (const channel of channels) {
            const subscription = (subscriptions.get(channel) ?? 0) + 1;
            subscriptions.set(channel, subscription);
            opts.onSubscribe?.({ channel, send, subscription, connection });
          }
          return;
        }
        default:
          return answer({ error: { code: -32601, message: 'Method not found' } });
      }
    });
  });

  return {
    url: `ws://127.0.0.1:${port}/ws/api/v2`,
    requests,
    get connections() { return connections; },
    get open() { return clients.size; },
    send(frame) {
      for (const ws of clients) ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    drop() {
      for (const ws of clients) ws.terminate();
    },
    async waitFor(cond, ms = 15_000) {
      await waitFor('the test venue', cond, { timeoutMs: ms, everyMs: 20 });
    },
    close() {
      for (const ws of clients) ws.terminate();
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
