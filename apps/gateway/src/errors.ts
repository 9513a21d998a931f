// The gateway's named errors (STYLE habit 13). Route handlers throw them; the app's single
// `onError` turns them into the JSON error body with the right status, so a handler never
// builds an error response by hand.

export type ParamIssue = { param: string; message: string };

/** Request parameters (path, query) that are malformed or out of range: HTTP 400. */
export class ParamError extends Error {
  readonly issues: readonly ParamIssue[];
  constructor(param: string | readonly ParamIssue[], message?: string, options?: ErrorOptions) {
    const issues = typeof param === 'string' ? [{ param, message: message ?? 'invalid' }] : param;
    super(issues.map((i) => `${i.param}: ${i.message}`).join('; '), options);
    this.name = 'ParamError';
    this.issues = issues;
  }
}

/** A well-formed request for something the gateway does not hold: HTTP 404. */
export class NotFoundError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** A backing service (NATS, for history) cannot answer now: HTTP 503. */
export class UnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnavailableError';
  }
}
