import { VolEvent, parseShare } from '@volstream/events';
import { ConfigError, connectNats, createLogger, ensureStreams, jetstreamManager, runWorker, type NatsConnection, type WorkerHandle } from '@volstream/runtime';
import { getFitter } from '@volstream/svi';
import { createSurfaceCore } from './core.ts';
import type { SurfaceConfig } from './config.ts';

export { createSurfaceCore, DEFAULT_FIT_INTERVAL_MS, DEFAULT_MIN_POINTS, DEFAULT_MIN_T_MS, type SurfaceCoreOptions } from './core.ts';
export { CheckpointStateError } from './errors.ts';
export { parseSurfaceConfig, SurfaceEnv, type CompositeMode, type SurfaceConfig } from './config.ts';
export { compositePoints, COMPOSITE_MIN_VENUES, type VenueExpiry } from './composite.ts';
export type { SurfaceFitter } from './fitter.ts';
export { otmQuotes, type StoredPoint } from './quotes.ts';

export type SurfaceHandle = {
  readonly nc: NatsConnection;
  readonly worker: WorkerHandle;
  readonly done: Promise<void>;
  stop(): Promise<void>;
};

/** Run the surface stage: VOL stream (this process's SHARE of it) -> surface core -> SURFACE stream
 * (each venue's surfaces and, per COMPOSITE, the composite of each underlying). */
export async function startSurface(config: SurfaceConfig): Promise<SurfaceHandle> {
  const found = getFitter(config.FITTER);
  if (!found.ok) throw new ConfigError(`Invalid configuration:\n  FITTER: ${found.reason}`);
  const { fitter } = found;
  const log = createLogger('surface');
  const nc = await connectNats({ url: config.NATS_URL, name: 'surface' });
  await ensureStreams(await jetstreamManager(nc));
  const worker = await runWorker({
    name: 'surface',
    nc,
    input: { stage: 'vol', schema: VolEvent, share: parseShare(config.SHARE) },
    output: 'surface',
    core: (state) => createSurfaceCore({
      fitter, fitIntervalMs: config.FIT_INTERVAL_MS, minPoints: config.MIN_POINTS, clock: () => performance.now(),
      composite: config.COMPOSITE !== 'off', venueSurfaces: config.COMPOSITE !== 'only',
    }, state),
    checkpointEveryMs: config.CHECKPOINT_MS,
    log,
  });
  log.info('fitter', { fitter: `${fitter.name}@${fitter.version}`, composite: config.COMPOSITE });
  return {
    nc,
    worker,
    done: worker.done,
    async stop() {
      await worker.stop();
      await nc.close();
    },
  };
}
