/** A JSON-RPC error answered by a venue (e.g. Deribit 10028 too_many_requests). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly method?: string,
    readonly data?: unknown,
    options?: ErrorOptions,
  ) {
    super(`${method ?? 'request'}: ${code} ${message}`, options);
    this.name = 'RpcError';
  }

  /** Channels a subscribe refused as invalid (-32602 with `data.channels`), if it says which. */
  get invalidChannels(): string[] | undefined {
    const chans = (this.data as { channels?: unknown } | undefined)?.channels;
    return this.code === RPC_INVALID_PARAMS && Array.isArray(chans) && chans.every((c) => typeof c === 'string') ? chans : undefined;
  }

  /** Deribit's rate-limit error: the session is terminated by the venue and we must back off. */
  get isRateLimit(): boolean {
    return this.code === RPC_TOO_MANY_REQUESTS;
  }
}

/** JSON-RPC "Invalid params". */
export const RPC_INVALID_PARAMS = -32602;

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
