import { jetstreamManager } from '@nats-io/jetstream';
import { STREAM_NAMES } from '@volstream/events';
import type { NatsConnection } from '@volstream/runtime';
import { waitFor } from '@volstream/runtime/testing';
import { parseBookConfig, startBook } from '@volstream/book';
import { parseVolConfig, startVol } from '@volstream/vol';
import { parseSurfaceConfig, startSurface } from '@volstream/surface';

/**
 * Run the live book, vol and surface workers one after another over the market data already
 * stored, each over the whole output of the one before, then stop them: the "live" history a
 * replay is compared with. `env` configures them as their environment would.
 */
export async function runLiveStages({ nc, env, timeoutMs = 120_000 }: { nc: NatsConnection; env: Record<string, string>; timeoutMs?: number }): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const last = async (s: 'md' | 'book' | 'vol') => (await jsm.streams.info(STREAM_NAMES[s])).state.last_seq;
  const book = await startBook(parseBookConfig(env));
  const mds = await last('md');
  await waitFor('book', () => book.stats.lastSeq >= mds, { timeoutMs });
  await book.stop();
  const vol = await startVol(parseVolConfig(env));
  const books = await last('book');
  await waitFor('vol', () => vol.worker.stats.lastSeq >= books, { timeoutMs });
  await vol.stop();
  const surface = await startSurface(parseSurfaceConfig(env));
  const vols = await last('vol');
  await waitFor('surface', () => surface.worker.stats.lastSeq >= vols, { timeoutMs });
  await surface.stop();
}
