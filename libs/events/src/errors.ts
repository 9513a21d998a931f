/** A subject token or stream name that NATS would misread (dots, wildcards, spaces). */
export class InvalidTokenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidTokenError';
  }
}

export type DecodeErrorKind = 'malformed_bytes' | 'schema' | 'unsupported_version';

/** Bytes that are not a valid event. Returned (never thrown) by `decode`. */
export class DecodeError extends Error {
  constructor(
    readonly kind: DecodeErrorKind,
    message: string,
    readonly issues: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DecodeError';
  }
}
