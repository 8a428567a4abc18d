import { CONFIG_DEFAULTS } from '../../src/config/defaults.js';

/** The concurrency every entry point passes to `runOptimizer` unless configured otherwise. */
export const DEFAULT_CONCURRENCY = {
  regionConcurrency: CONFIG_DEFAULTS.regionConcurrency,
  modifyConcurrency: CONFIG_DEFAULTS.modifyConcurrency,
} as const;
