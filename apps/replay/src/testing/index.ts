export { syntheticVolPoints, trueSmile, seededRandom, type SyntheticVolOptions } from './synthetic-vol.ts';
