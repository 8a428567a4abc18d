import { z } from 'zod';
import { CONFIG_DEFAULTS } from './defaults.js';
import { regionFromEnv } from './home-region.js';
import {
  hoursSetting,
  instantSetting,
  nonNegativeIntegerSetting,
  parseSettings,
  regionsSetting,
  thresholdOverridesSetting,
  timeoutMinutesSetting,
  UsageError,
} from './settings.js';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const runFlagsSchema = z.object({
  '--as-of': instantSetting.optional(),
  '--threshold': thresholdOverridesSetting,
  '--default-threshold': hoursSetting.default(CONFIG_DEFAULTS.defaultThreshold),
  '--assumed-timeout': timeoutMinutesSetting.default(CONFIG_DEFAULTS.assumedTimeoutMinutes),
  '--seed': nonNegativeIntegerSetting.optional(),
  '--regions': regionsSetting.optional(),
  '--bucket': z.string().regex(BUCKET, 'must be an S3 bucket name').optional(),
  '--event-bus': z.string().min(1).default(CONFIG_DEFAULTS.eventBusName),
});

/** `wco run`'s options as commander hands them over. */
export interface RawRunFlags {
  readonly demo?: boolean | undefined;
  readonly out?: string | undefined;
  readonly bucket?: string | undefined;
  readonly regions?: string | undefined;
  readonly asOf?: string | undefined;
  readonly apply?: boolean | undefined;
  readonly endOfMonth?: boolean | undefined;
  readonly threshold: readonly string[];
  readonly defaultThreshold?: string | undefined;
  readonly assumedTimeout?: string | undefined;
  readonly seed?: string | undefined;
  readonly eventBus?: string | undefined;
  readonly verbose?: boolean | undefined;
  readonly prices?: string | undefined;
  readonly priceList?: boolean | undefined;
}

/** Where `wco run` reads its fleet and writes its reports; `outDir` is not checked yet. */
export type RunFlagsTarget =
  | { readonly kind: 'demo'; readonly seed: number; readonly outDir: string }
  | {
      readonly kind: 'aws';
      readonly regions: readonly string[];
      readonly bucket: string | undefined;
      readonly outDir: string | undefined;
      readonly eventBusName: string;
    };

/** `wco run`'s settings: the CLI's counterpart of the Lambda's `OptimizerConfig`. */
export interface RunFlags {
  readonly target: RunFlagsTarget;
  /** `--as-of`; `undefined`: now. */
  readonly asOf: Date | undefined;
  /** Without `--apply`: decide and report, change nothing. */
  readonly dryRun: boolean;
  readonly forceEndOfMonth: boolean;
  readonly thresholdOverrides: Readonly<Record<string, number>>;
  readonly defaultThreshold: number;
  readonly assumedTimeoutMinutes: number;
  readonly regionConcurrency: number;
  readonly modifyConcurrency: number;
  /** `--prices`, or the sample prices for the demo. */
  readonly priceFile: string | undefined;
  readonly priceList: boolean;
  readonly verbose: boolean;
}

/**
 * Validates `wco run`'s flags once, as `loadOptimizerConfig` does the Lambda
 * environment; defaults come from `CONFIG_DEFAULTS`. An AWS run without
 * `--regions` takes `AWS_REGION` (or `AWS_DEFAULT_REGION`) from `env`.
 * @throws ConfigError naming every bad flag, or UsageError for flags that do not go together.
 */
export function loadRunFlags(raw: RawRunFlags, env: Readonly<Record<string, string | undefined>>): RunFlags {
  const flags = parseSettings(runFlagsSchema, {
    '--as-of': raw.asOf,
    '--threshold': raw.threshold,
    '--default-threshold': raw.defaultThreshold,
    '--assumed-timeout': raw.assumedTimeout,
    '--seed': raw.seed,
    '--regions': raw.regions,
    '--bucket': raw.bucket,
    '--event-bus': raw.eventBus,
  });
  const target = targetOf(raw, flags, env);
  if (raw.priceList && target.kind === 'demo')
    throw new UsageError('--price-list asks AWS: it is for AWS runs, not --demo');
  return Object.freeze({
    target,
    asOf: flags['--as-of'],
    dryRun: !raw.apply,
    forceEndOfMonth: raw.endOfMonth ?? CONFIG_DEFAULTS.forceEndOfMonth,
    thresholdOverrides: flags['--threshold'],
    defaultThreshold: flags['--default-threshold'],
    assumedTimeoutMinutes: flags['--assumed-timeout'],
    regionConcurrency: CONFIG_DEFAULTS.regionConcurrency,
    modifyConcurrency: CONFIG_DEFAULTS.modifyConcurrency,
    priceFile: raw.prices ?? (target.kind === 'demo' ? CONFIG_DEFAULTS.demoPriceFile : undefined),
    priceList: raw.priceList ?? CONFIG_DEFAULTS.priceList,
    verbose: raw.verbose ?? false,
  });
}

function targetOf(
  raw: RawRunFlags,
  flags: z.output<typeof runFlagsSchema>,
  env: Readonly<Record<string, string | undefined>>,
): RunFlagsTarget {
  if (raw.demo) {
    if (flags['--bucket'] || flags['--regions'])
      throw new UsageError('--demo runs on the simulated fleet: drop --bucket and --regions');
    return {
      kind: 'demo',
      seed: flags['--seed'] ?? CONFIG_DEFAULTS.seed,
      outDir: raw.out ?? CONFIG_DEFAULTS.outDir,
    };
  }
  if (flags['--seed'] !== undefined) throw new UsageError('--seed only applies to --demo');
  const envRegion = regionFromEnv(env);
  if (flags['--regions'] === undefined && !envRegion?.trim())
    throw new UsageError('set --regions or AWS_REGION');
  const regions =
    flags['--regions'] ??
    parseSettings(z.object({ AWS_REGION: regionsSetting }), { AWS_REGION: envRegion })['AWS_REGION'];
  if (flags['--bucket'] && raw.out) throw new UsageError('give either --bucket or --out, not both');
  if (!flags['--bucket'] && !raw.out)
    throw new UsageError('an AWS run needs --bucket <name> or --out <folder> for its reports');
  return {
    kind: 'aws',
    regions,
    bucket: flags['--bucket'],
    outDir: raw.out,
    eventBusName: flags['--event-bus'],
  };
}
