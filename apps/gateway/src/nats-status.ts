import type { NatsConnection } from '@nats-io/transport-node';

export type NatsStatus = { connected: boolean; status: string };

/**
 * Track the connection's state from its status events, for /health. The client reconnects by
 * itself; this only reports whether it is connected now.
 */
export function watchNats(nc: NatsConnection): { get(): NatsStatus } {
  let current: NatsStatus = { connected: true, status: 'connected' };
  void (async () => {
    for await (const s of nc.status()) {
      switch (s.type) {
        case 'disconnect': current = { connected: false, status: 'disconnected' }; break;
        case 'reconnecting': current = { connected: false, status: 'reconnecting' }; break;
        case 'reconnect': current = { connected: true, status: 'connected' }; break;
        case 'close': current = { connected: false, status: 'closed' }; break;
        default: break;
      }
    }
  })().catch(() => undefined);
  return { get: () => (nc.isClosed() ? { connected: false, status: 'closed' } : current) };
}
