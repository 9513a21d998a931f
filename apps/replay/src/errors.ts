/** Options a replay cannot run with; the message names the option and the value given. */
export class ReplayOptionsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReplayOptionsError';
  }
}
