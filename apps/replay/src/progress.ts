/** Where the replay is, for the progress line (all times in ms). */
export type ProgressState = {
  /** Messages read so far and the number the stream held for the filter when the run began. */
  read: number;
  total: number;
  /** Event time of the first input and of the latest one. */
  firstTs: number | undefined;
  lastTs: number | undefined;
  /** End of the range asked for. */
  toTs: number;
  elapsedMs: number;
  fits: number;
};

/**
 * Share done, 0..1: by messages read, or by event time towards `to` when the range ends before
 * the stream does (whichever is further along), so a replay that stops at `to` still reaches 100%.
 */
export function fractionDone(p: ProgressState): number {
  const byCount = p.total > 0 ? p.read / p.total : 0;
  let byTime = 0;
  if (p.firstTs !== undefined && p.lastTs !== undefined && p.toTs > p.firstTs) byTime = (p.lastTs - p.firstTs) / (p.toTs - p.firstTs);
  return Math.min(1, Math.max(0, byCount, byTime));
}

/** `1:02:03` / `2:03` */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** `950`, `12.3k`, `4.56M` */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (Math.abs(n) >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** Rates of a run: input events per wall second and market seconds replayed per wall second. */
export function rates(p: Pick<ProgressState, 'read' | 'firstTs' | 'lastTs' | 'elapsedMs'>): { eventsPerS: number; marketX: number } {
  const s = p.elapsedMs / 1000;
  if (s <= 0) return { eventsPerS: 0, marketX: 0 };
  const market = p.firstTs !== undefined && p.lastTs !== undefined ? (p.lastTs - p.firstTs) / 1000 : 0;
  return { eventsPerS: p.read / s, marketX: market / s };
}

/**
 * One progress line:
 * `[##########----------]  50.0%  2026-05-17 06:40:00  12.3k ev/s  85x market  fits 1.2k  left 0:42`
 */
export function formatProgress(p: ProgressState, width = 20): string {
  const f = fractionDone(p);
  const filled = Math.round(f * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const { eventsPerS, marketX } = rates(p);
  const at = p.lastTs !== undefined ? new Date(p.lastTs).toISOString().slice(0, 19).replace('T', ' ') : '-'.repeat(19);
  const left = f > 0 ? formatDuration((p.elapsedMs * (1 - f)) / f) : '--:--';
  return `${bar} ${(f * 100).toFixed(1).padStart(5)}%  ${at}  ${formatCount(eventsPerS)} ev/s  ${marketX >= 10 ? marketX.toFixed(0) : marketX.toFixed(1)}x market  fits ${formatCount(p.fits)}  left ${left}`;
}
