import type { OptimizerSettings } from '../../src/app/run-optimizer.js';
import { thresholdPolicy } from '../../src/billing/index.js';
import { CONFIG_DEFAULTS } from '../../src/config/defaults.js';

/** The concurrency every entry point passes to `runOptimizer` unless configured otherwise. */
export const DEFAULT_CONCURRENCY = {
  regionConcurrency: CONFIG_DEFAULTS.regionConcurrency,
  modifyConcurrency: CONFIG_DEFAULTS.modifyConcurrency,
} as const;

/** A run's settings as the tests mostly want them: apply (not dry run), the contract's thresholds, a 60-minute assumed timeout. */
export const optimizerSettings = (
  asOf: Date,
  account: string,
  overrides: Partial<OptimizerSettings> = {},
): OptimizerSettings => ({
  asOf,
  dryRun: false,
  forceMonthEnd: false,
  thresholds: thresholdPolicy(),
  assumedTimeoutMinutes: 60,
  ...DEFAULT_CONCURRENCY,
  account,
  ...overrides,
});
