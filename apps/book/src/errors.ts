/** A checkpoint whose state this build cannot restore (the worker then fails loudly). */
export class CheckpointStateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CheckpointStateError';
  }
}
