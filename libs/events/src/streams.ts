import type { Stage } from './subjects.ts';

/** One JetStream stream per stage plus a dead-letter stream. Names and subjects live here only. */
export const STREAM_NAMES = {
  md: 'VS_MD',
  book: 'VS_BOOK',
  vol: 'VS_VOL',
  surface: 'VS_SURFACE',
  rejected: 'VS_REJECTED',
} as const satisfies Record<Stage | 'rejected', string>;

export type StreamLimits = {
  /** Keep messages this long (ms). */
  maxAgeMs: number;
  /** Keep at most this many bytes (oldest dropped first). */
  maxBytes: number;
  /** Window in which a repeated Nats-Msg-Id is dropped (ms). */
  duplicateWindowMs: number;
  /** Replicas in a JetStream cluster (1 on a single server). */
  replicas: number;
};

/** Sums to 15.25 GB: JetStream reserves max_bytes against the server's max_file (nats.conf: 20G).
 * At the simulated venue's default rate MD grows ~18 MB/min (8 GB: ~7 h) and VOL ~40 MB/min;
 * `<STAGE>_MAX_GB` and `STREAM_MAX_AGE_H` change them (volstream start / streams). */
export const DEFAULT_LIMITS: Record<Stage | 'rejected', StreamLimits> = {
  md: { maxAgeMs: 24 * 3600_000, maxBytes: 8e9, duplicateWindowMs: 120_000, replicas: 1 },
  book: { maxAgeMs: 24 * 3600_000, maxBytes: 2e9, duplicateWindowMs: 120_000, replicas: 1 },
  vol: { maxAgeMs: 24 * 3600_000, maxBytes: 4e9, duplicateWindowMs: 120_000, replicas: 1 },
  surface: { maxAgeMs: 7 * 24 * 3600_000, maxBytes: 1e9, duplicateWindowMs: 120_000, replicas: 1 },
  rejected: { maxAgeMs: 7 * 24 * 3600_000, maxBytes: 2.5e8, duplicateWindowMs: 120_000, replicas: 1 },
};

const NS_PER_MS = 1_000_000;

/** JetStream stream configuration (wire field names, durations in ns) for one stage. */
export function streamConfig(stage: Stage | 'rejected', limits: StreamLimits = DEFAULT_LIMITS[stage]) {
  return {
    name: STREAM_NAMES[stage],
    subjects: [`${stage}.>`],
    retention: 'limits',
    storage: 'file',
    discard: 'old',
    max_age: limits.maxAgeMs * NS_PER_MS,
    max_bytes: limits.maxBytes,
    duplicate_window: limits.duplicateWindowMs * NS_PER_MS,
    num_replicas: limits.replicas,
    allow_direct: true,
  } as const;
}

export const ALL_STREAMS = ['md', 'book', 'vol', 'surface', 'rejected'] as const;
