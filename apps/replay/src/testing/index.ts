export { syntheticVolPoints, trueSmile, type SyntheticVolOptions } from './synthetic-vol.ts';
