import type { NatsConnection } from '@nats-io/transport-node';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { Decoder, Encoder } from '@msgpack/msgpack';

export const CHECKPOINT_BUCKET = 'volstream-checkpoints';

export type Checkpoint = { seq: number; state: unknown };

/** A worker's state at an input stream sequence, kept in a JetStream object store (chunked, so
 * states of many MB are fine) and so shared by any replica that takes the worker's share over. */
export class CheckpointStore {
  private readonly enc = new Encoder({ ignoreUndefined: true });
  private readonly dec = new Decoder();
  private constructor(private readonly os: ObjectStore) {}

  static async open(nc: NatsConnection, replicas = 1): Promise<CheckpointStore> {
    const os = await new Objm(nc).create(CHECKPOINT_BUCKET, { replicas, storage: 'file' as never });
    return new CheckpointStore(os);
  }

  async load(key: string): Promise<Checkpoint | undefined> {
    const bytes = await this.os.getBlob(key);
    if (!bytes) return undefined;
    const cp = this.dec.decode(bytes) as Checkpoint;
    return typeof cp?.seq === 'number' ? cp : undefined;
  }

  async save(key: string, cp: Checkpoint): Promise<void> {
    await this.os.putBlob({ name: key }, this.enc.encode(cp));
  }

  async delete(key: string): Promise<void> {
    await this.os.delete(key).catch(() => undefined);
  }
}
