import { parseArgs } from 'node:util';
import { z } from 'zod';
import { jetstreamManager } from '@nats-io/jetstream';
import { ALL_STREAMS, STREAM_NAMES } from '@volstream/events';
import { connectNats, ensureStreams, env, parseEnv, streamLimitsFromEnv } from '@volstream/runtime';
import type { Io } from '../io.ts';

export const STREAMS_HELP = `Usage: volstream streams

Creates or updates the JetStream streams (idempotent) and prints each one's message count,
bytes and sequence range, and its consumers with their pending counts.

Environment: NATS_URL (nats://127.0.0.1:4222); retention, applied to existing streams too:
MD_MAX_GB, BOOK_MAX_GB, VOL_MAX_GB, SURFACE_MAX_GB (defaults 8, 2, 4, 1) and STREAM_MAX_AGE_H
(md, book, vol; default 24).`;

export async function streamsCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) { io.stdout(STREAMS_HELP); return 0; }
  const cfg = parseEnv(z.object({ NATS_URL: env.url('nats://127.0.0.1:4222', ['nats', 'tls']) }), process.env);
  const nc = await connectNats({ url: cfg.NATS_URL, name: 'volstream-streams', reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStreams(jsm, streamLimitsFromEnv(process.env));
    for (const s of ALL_STREAMS) {
      const info = await jsm.streams.info(STREAM_NAMES[s]);
      io.stdout(`${info.config.name.padEnd(12)} ${String(info.state.messages).padStart(10)} msgs ${String(info.state.bytes).padStart(12)} bytes  seq ${info.state.first_seq}..${info.state.last_seq}`);
      for await (const c of jsm.consumers.list(info.config.name)) {
        io.stdout(`  consumer ${c.name.padEnd(24)} pending ${c.num_pending}  ack pending ${c.num_ack_pending}`);
      }
    }
  } finally {
    await nc.close();
  }
  return 0;
}
