/** A checkpointed state that is not a snapshot of this core (another app's, or a newer format). */
export class CheckpointStateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CheckpointStateError';
  }
}
