import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Level } from '@volstream/events';
import { ModelDriver, type ModelOptions, type ModelStep } from './model.ts';

/** One frame an emulator wants delivered to the subscribers of `channel`. */
export type Outgoing = {
  channel: string;
  frame: string;
  /** A book message of this instrument (subject to skip/reorder faults). */
  book?: string;
};

export type Client = {
  readonly id: number;
  readonly path: string;
  readonly ws: WebSocket;
  readonly channels: Set<string>;
  /** Free-form per-connection state of the protocol (Deribit heartbeat interval...). */
  state: Record<string, unknown>;
};

/** What a failed subscription should look like to the client. */
export type SubscribeFailure = 'error' | 'rateLimit';

/** The venue-specific half of an emulator: its wire protocol, books and listings. */
export interface EmulatedProtocol {
  readonly venue: string;
  /** A text message from a client (subscribe, ping, JSON-RPC request...). */
  onMessage(c: Client, text: string, io: EmulatorIO): void;
  /** Book frames for the listed options that changed in a model step. */
  onStep(step: ModelStep, io: EmulatorIO): Outgoing[];
  /** Periodic pushes (tickers, summaries, index). */
  onTick(now: number, io: EmulatorIO): Outgoing[];
  /** Periodic per-connection duties (Deribit heartbeats). */
  onClientTick?(c: Client, now: number, io: EmulatorIO): void;
  /** REST GET (instrument lists); undefined = 404. */
  http(path: string, query: URLSearchParams): string | undefined;
  /** The venue's current book of an instrument, in the units its frames carry (what a client should hold). */
  trueBook(instrument: string): { bids: Level[]; asks: Level[] } | undefined;
  /** Frames announcing that an option was listed or delisted. */
  onListing(name: string, listed: boolean, now: number): Outgoing[];
  /** Event-side instrument name of a model option (what md events call it). */
  instrumentOf(modelName: string): string;
}

/** Helpers the emulator gives its protocol. */
export type EmulatorIO = {
  /** Send a control/answer frame to one client (suppressed while silent). */
  reply(c: Client, frame: string | object): void;
  /** Send data frames for a channel to one client right away (the snapshot after a subscribe). */
  push(c: Client, out: Outgoing[]): void;
  /** The next injected subscription failure, if any (consumed). */
  takeSubscribeFailure(): SubscribeFailure | undefined;
  /** Whether the next book message of `instrument` must be corrupted (consumed; OKX checksum fault). */
  takeCorrupt(instrument: string): boolean;
  model: ModelDriver;
  now(): number;
  closeClient(c: Client, code: number, reason: string): void;
};

export type EmulatorOptions = ModelOptions & {
  /** Model step period (ms). */
  stepMs?: number;
  /** Ticker / summary / index push period (ms). */
  tickMs?: number;
};

export type EmulatorRequest = { at: number; client: number; text: string };

/**
 * A local venue for tests: the simulator's model drives the market, a protocol module speaks
 * one venue's websocket and REST dialect, and faults are injected on demand. The emulator
 * serves the true book per instrument (`trueBook`) so a test can compare what the connector
 * rebuilt with what the venue holds.
 */
export class Emulator {
  readonly model: ModelDriver;
  /** Every websocket connection attempt (accepted or refused): time and path. */
  readonly attempts: { at: number; path: string; refused: boolean }[] = [];
  readonly requests: EmulatorRequest[] = [];
  readonly sent = { frames: 0, bytes: 0 };
  private readonly clients = new Set<Client>();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private nextClient = 1;
  private stepTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private port = 0;
  // Faults
  private silent = false;
  private refuse: { n: number; path: string | undefined } = { n: 0, path: undefined };
  private skip: { instrument: string | undefined } | undefined;
  private reorder: { instrument: string | undefined; held?: Outgoing } | undefined;
  private corrupt: { instrument: string | undefined } | undefined;
  private duplicate = 0;
  private readonly stalled = new Set<string>();
  private readonly subscribeFailures: SubscribeFailure[] = [];
  /** What faults hit, for tests to wait on. */
  readonly injected = { skipped: [] as string[], reordered: [] as string[], corrupted: [] as string[], duplicated: 0 };

  private constructor(private readonly opts: EmulatorOptions, private readonly proto: EmulatedProtocol, model: ModelDriver) {
    this.model = model;
    this.io.model = model;
    this.server = createServer((req, res) => this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    this.server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const refused = this.refuse.n > 0 && (this.refuse.path === undefined || this.refuse.path === path);
      this.attempts.push({ at: Date.now(), path, refused });
      if (refused) {
        this.refuse.n--;
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, path));
    });
  }

  static async start(protocol: (model: ModelDriver) => EmulatedProtocol, opts: EmulatorOptions = {}): Promise<Emulator> {
    const model = new ModelDriver(opts, Date.now());
    const e = new Emulator(opts, protocol(model), model);
    await new Promise<void>((resolve) => e.server.listen(0, '127.0.0.1', () => resolve()));
    e.port = (e.server.address() as AddressInfo).port;
    e.schedule();
    return e;
  }

  get venue(): string {
    return this.proto.venue;
  }

  /** `ws://127.0.0.1:<port><path>` */
  wsUrl(path: string): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get connections(): number {
    return this.nextClient - 1;
  }

  get open(): number {
    return this.clients.size;
  }

  /** Event-side name of a model option on this venue (what md events call it). */
  instrumentOf(modelName: string): string {
    return this.proto.instrumentOf(modelName);
  }

  /** Event-side names of the listed options. */
  listedInstruments(): string[] {
    return this.model.listedOptions().map((o) => this.proto.instrumentOf(o.name));
  }

  trueBook(instrument: string): { bids: Level[]; asks: Level[] } | undefined {
    return this.proto.trueBook(instrument);
  }

  // -------------------------------------------------------------------------------------------
  // Faults

  /** Drop every client (on `path`, or all) without a close handshake (a network failure). */
  drop(path?: string): void {
    for (const c of this.clients) if (path === undefined || c.path === path) c.ws.terminate();
  }

  /** Stop (or resume) sending anything, heartbeats and pongs included, and ignore requests. */
  setSilent(on: boolean): void {
    this.silent = on;
  }

  /** Refuse the next `n` connection attempts (on `path`, or any) with HTTP 503. */
  refuseConnections(n: number, path?: string): void {
    this.refuse = { n, path };
  }

  /** Do not send the next book message (of `instrument`, or of any listed option): a sequence gap. */
  skipNextBook(instrument?: string): void {
    this.skip = { instrument };
  }

  /** Hold the next book message and send it after the following one of the same instrument. */
  reorderNextBook(instrument?: string): void {
    this.reorder = { instrument };
  }

  /** Corrupt the next book message (a level changed, the checksum left true): OKX checksum fault. */
  corruptNextBook(instrument?: string): void {
    this.corrupt = { instrument };
  }

  /** Send each of the next `n` data frames twice. */
  duplicateNext(n: number): void {
    this.duplicate += n;
  }

  /** Stop (or resume) one channel's frames while the others go on. */
  stall(channel: string, on = true): void {
    if (on) this.stalled.add(channel);
    else this.stalled.delete(channel);
  }

  /** Answer the next subscribe request(s) with an error or a rate-limit answer. */
  failNextSubscribe(kind: SubscribeFailure, n = 1): void {
    for (let i = 0; i < n; i++) this.subscribeFailures.push(kind);
  }

  /** Send a raw text frame to every client (malformed JSON, unknown shapes, huge frames). */
  sendRaw(text: string): void {
    for (const c of this.clients) this.write(c, text);
  }

  /** List a new option now (announced on the venue's listing channel if it has one). */
  list(modelName: string): void {
    this.model.listed.add(modelName);
    this.fanOut(this.proto.onListing(modelName, true, Date.now()));
  }

  /** Delist an option (settled / expired). */
  delist(modelName: string): void {
    this.model.listed.delete(modelName);
    this.fanOut(this.proto.onListing(modelName, false, Date.now()));
  }

  /**
   * Freeze the books (no model steps) while tickers, index and heartbeats go on, so what was
   * sent settles and books can be compared without any channel looking stale.
   */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  async close(): Promise<void> {
    clearTimeout(this.stepTimer);
    clearTimeout(this.tickTimer);
    this.stepTimer = undefined;
    this.tickTimer = undefined;
    for (const c of this.clients) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------

  private schedule(): void {
    const stepMs = this.opts.stepMs ?? 100;
    const tickMs = this.opts.tickMs ?? 200;
    const step = () => {
      if (!this.paused) this.fanOut(this.proto.onStep(this.model.step(Date.now()), this.io));
      this.stepTimer = setTimeout(step, stepMs);
    };
    const tick = () => {
      this.fanOut(this.proto.onTick(Date.now(), this.io));
      if (this.proto.onClientTick) for (const c of this.clients) this.proto.onClientTick(c, Date.now(), this.io);
      this.tickTimer = setTimeout(tick, tickMs);
    };
    this.stepTimer = setTimeout(step, stepMs);
    this.tickTimer = setTimeout(tick, tickMs);
  }

  private readonly io: EmulatorIO = {
    reply: (c, frame) => this.write(c, typeof frame === 'string' ? frame : JSON.stringify(frame)),
    push: (c, out) => {
      for (const o of out) if (!this.stalled.has(o.channel)) this.write(c, o.frame);
    },
    takeSubscribeFailure: () => this.subscribeFailures.shift(),
    takeCorrupt: (instrument) => {
      if (!this.corrupt || (this.corrupt.instrument !== undefined && this.corrupt.instrument !== instrument)) return false;
      this.corrupt = undefined;
      this.injected.corrupted.push(instrument);
      return true;
    },
    model: undefined as unknown as ModelDriver,
    now: () => Date.now(),
    closeClient: (c, code, reason) => c.ws.close(code, reason),
  };

  private onConnection(ws: WebSocket, path: string): void {
    const c: Client = { id: this.nextClient++, path, ws, channels: new Set(), state: {} };
    this.clients.add(c);
    ws.on('close', () => this.clients.delete(c));
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      if (this.silent) return;
      const text = String(data);
      this.requests.push({ at: Date.now(), client: c.id, text });
      this.proto.onMessage(c, text, this.io);
    });
  }

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = this.silent ? undefined : this.proto.http(url.pathname, url.searchParams);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  }

  /** Deliver data frames to their subscribers, applying the injected faults in order. */
  private fanOut(out: Outgoing[]): void {
    for (const o of out) {
      if (this.stalled.has(o.channel)) continue;
      if (o.book !== undefined && this.skip && (this.skip.instrument === undefined || this.skip.instrument === o.book)) {
        this.skip = undefined;
        this.injected.skipped.push(o.book);
        continue;
      }
      if (o.book !== undefined && this.reorder) {
        const r = this.reorder;
        if (!r.held && (r.instrument === undefined || r.instrument === o.book)) {
          r.held = o;
          continue;
        }
        if (r.held && r.held.book === o.book) {
          this.reorder = undefined;
          this.injected.reordered.push(o.book);
          this.deliver(o);
          this.deliver(r.held);
          continue;
        }
      }
      this.deliver(o);
    }
  }

  private deliver(o: Outgoing): void {
    const twice = this.duplicate > 0;
    if (twice) {
      this.duplicate--;
      this.injected.duplicated++;
    }
    for (const c of this.clients) {
      if (!c.channels.has(o.channel)) continue;
      this.write(c, o.frame);
      if (twice) this.write(c, o.frame);
    }
  }

  private write(c: Client, frame: string): void {
    if (this.silent || c.ws.readyState !== c.ws.OPEN) return;
    this.sent.frames++;
    this.sent.bytes += frame.length;
    c.ws.send(frame);
  }
}
