export { syntheticVolPoints, trueSmile, type SyntheticVolOptions } from './synthetic-vol.ts';
export { syntheticMdEvents, type SyntheticMdOptions } from './synthetic-md.ts';
export { runLiveStages } from './live-stages.ts';
