import { fileURLToPath } from 'node:url';
import type { RemovalAction } from '../billing/index.js';
import { DEFAULT_FALLBACK_THRESHOLD, MAX_REMOVALS_DEFAULT, UNUSED_MONTHS_DEFAULT } from '../billing/index.js';

/** The illustrative sample prices shipped with wco (data/sample-prices.csv), from src/config or dist/config. */
export const SAMPLE_PRICE_FILE = fileURLToPath(new URL('../../data/sample-prices.csv', import.meta.url));

/**
 * Every default of wco's settings, the Lambda environment's and the CLI
 * flags' alike: the one place they are written (help texts quote them from here).
 */
export const CONFIG_DEFAULTS = Object.freeze({
  dryRun: true,
  thresholdOverrides: Object.freeze({}) as Readonly<Record<string, number>>,
  defaultThreshold: DEFAULT_FALLBACK_THRESHOLD,
  assumedTimeoutMinutes: 60,
  forceEndOfMonth: false,
  eventBusName: 'default',
  regionConcurrency: 4,
  modifyConcurrency: 8,
  /** Sharded deployment: directories (shards) one task runs, and tasks the state machine runs at once. */
  shardsPerTask: 1,
  shardTaskConcurrency: 40,
  priceList: false,
  /** The unused review (docs/unused.md): months without a connection, and removal, off unless asked for twice. */
  unusedMonths: UNUSED_MONTHS_DEFAULT,
  terminateUnused: false,
  unusedAction: 'TERMINATE' as RemovalAction,
  maxRemovalsPerRun: MAX_REMOVALS_DEFAULT,
  /** The role wco assumes in each member account (deploy/member-role.yaml's default name). */
  memberRoleName: 'wco-member',
  /** No tag gets a column of its own unless asked (`--tag-columns`, `TAG_COLUMNS`). */
  tagColumns: Object.freeze([]) as readonly string[],
  /** Where S3 buckets are opened when neither `AWS_REGION` nor `AWS_DEFAULT_REGION` is set. */
  homeRegion: 'us-east-1',
  /** The local folder of `wco run --demo` and `wco audit`. */
  outDir: './out',
  /** The simulated fleet of `wco run --demo`. */
  seed: 42,
  /** WorkSpaces of the simulated fleet replayed by `wco replay --demo` (the demo's size). */
  demoCount: 200,
  /** The UTC hour of a replay's daily runs: the deployed schedule's (`cron(0 23 * * ? *)`). */
  replayHourUtc: 23,
  /** The demo's prices when `--prices` names none. */
  demoPriceFile: SAMPLE_PRICE_FILE,
});
