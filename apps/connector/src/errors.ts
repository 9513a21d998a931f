/** A JSON-RPC error answered by a venue (e.g. Deribit 10028 too_many_requests). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly method?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RpcError';
  }

  /** Deribit's rate-limit error: the session is terminated by the venue and we must back off. */
  get isRateLimit(): boolean {
    return this.code === RPC_TOO_MANY_REQUESTS;
  }
}

/** Deribit `too_many_requests` (docs articles/rate-limits.md). */
export const RPC_TOO_MANY_REQUESTS = 10028;

/** A request that got no answer in time (the session is then considered unhealthy). */
export class RequestTimeoutError extends Error {
  constructor(readonly method: string, readonly timeoutMs: number, options?: ErrorOptions) {
    super(`${method}: no answer within ${timeoutMs} ms`, options);
    this.name = 'RequestTimeoutError';
  }
}

/** The websocket closed while a request was waiting for its answer. */
export class SessionClosedError extends Error {
  constructor(message = 'websocket session closed', options?: ErrorOptions) {
    super(message, options);
    this.name = 'SessionClosedError';
  }
}
