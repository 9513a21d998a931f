/** Channel → subscribers bookkeeping; fan-out serialises each notification once. */
import { notificationFrame } from './protocol/rpc.ts';
import type { Notification } from './model/types.ts';

export type Subscriber = { send(frame: Buffer): void };

export class SubscriptionHub<S extends Subscriber> {
  private readonly byChannel = new Map<string, Set<S>>();

  add(channel: string, s: S): void {
    let set = this.byChannel.get(channel);
    if (!set) this.byChannel.set(channel, (set = new Set()));
    set.add(s);
  }

  /** true when `s` was subscribed */
  remove(channel: string, s: S): boolean {
    const set = this.byChannel.get(channel);
    if (!set?.delete(s)) return false;
    if (set.size === 0) this.byChannel.delete(channel);
    return true;
  }

  /** Number of channels with at least one subscriber. */
  get channelCount(): number {
    return this.byChannel.size;
  }

  /**
   * Deliver notifications to their subscribers: one JSON.stringify and one Buffer per
   * notification, whatever the number of subscribers; nothing for channels nobody wants.
   * @returns frames and bytes handed to sockets
   */
  publish(notifications: readonly Notification[]): { frames: number; bytes: number } {
    let frames = 0;
    let bytes = 0;
    for (const n of notifications) {
      const set = this.byChannel.get(n.channel);
      if (!set) continue;
      const frame = Buffer.from(notificationFrame(n.channel, n.data));
      for (const s of set) s.send(frame);
      frames += set.size;
      bytes += frame.length * set.size;
    }
    return { frames, bytes };
  }
}
