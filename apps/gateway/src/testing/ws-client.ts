import { decode } from '@msgpack/msgpack';
import { WebSocket } from 'ws';

/** A websocket test client that records server messages (JSON text or msgpack binary) and waits for the one it needs. */
export class TestClient {
  readonly messages: any[] = [];
  /** Frames that arrived as binary (msgpack). */
  binaryFrames = 0;
  private waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.binaryFrames++;
      const m = isBinary ? decode(data as Buffer) as any : JSON.parse(String(data));
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
    });
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    const ws = new WebSocket(url, { headers });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new TestClient(ws);
  }

  send(msg: object): void {
    this.ws.send(JSON.stringify(msg));
  }

  /** The first message (already received or coming) that matches, or a timeout error. */
  next(match: (m: any) => boolean, timeoutMs = 10_000): Promise<any> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms; got types ${this.messages.map((m) => m.type).join(',')}`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => { clearTimeout(t); resolve(m); } });
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
