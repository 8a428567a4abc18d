// @ts-check
import { areaConfig } from './base.mjs';

/** The run loop: one process's run, the shards of the sharded deployment, and their merge. */
export default {
  ...areaConfig('run'),
  mutate: ['src/app/run-optimizer.ts', 'src/app/run-shard.ts', 'src/app/merge-run.ts'],
  thresholds: { high: 90, low: 85, break: 85 },
};
