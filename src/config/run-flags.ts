import { z } from 'zod';
import type { UnusedSettings } from '../billing/index.js';
import type { AccountSelection } from './account-selection.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import type { EvaluationFlags, RawFleetFlags } from './fleet-flags.js';
import {
  accountSelectionOf,
  awsRegions,
  evaluationFlags,
  fleetFlagsShape,
  fleetFlagValues,
  refuseAwsOnlyWithDemo,
} from './fleet-flags.js';
import {
  instantSetting,
  nonNegativeIntegerSetting,
  parseSettings,
  removalActionSetting,
  tagColumnsSetting,
  unusedMonthsSetting,
  UsageError,
} from './settings.js';

const runFlagsSchema = z.object({
  ...fleetFlagsShape,
  '--as-of': instantSetting.optional(),
  '--event-bus': z.string().min(1).default(CONFIG_DEFAULTS.eventBusName),
  '--tag-columns': tagColumnsSetting.default(CONFIG_DEFAULTS.tagColumns),
  '--unused-months': unusedMonthsSetting.default(CONFIG_DEFAULTS.unusedMonths),
  '--unused-action': removalActionSetting.default(CONFIG_DEFAULTS.unusedAction),
  '--max-removals': nonNegativeIntegerSetting.default(CONFIG_DEFAULTS.maxRemovalsPerRun),
});

/** `wco run`'s options as commander hands them over. */
export interface RawRunFlags extends RawFleetFlags {
  readonly asOf?: string | undefined;
  readonly apply?: boolean | undefined;
  readonly endOfMonth?: boolean | undefined;
  readonly eventBus?: string | undefined;
  readonly json?: boolean | undefined;
  readonly tagColumns?: string | undefined;
  readonly unusedMonths?: string | undefined;
  readonly terminateUnused?: boolean | undefined;
  readonly unusedAction?: string | undefined;
  readonly maxRemovals?: string | undefined;
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
      readonly accounts: AccountSelection;
    };

/** `wco run`'s settings: the CLI's counterpart of the Lambda's `OptimizerConfig`. */
export interface RunFlags extends EvaluationFlags {
  readonly target: RunFlagsTarget;
  /** `T`: `--as-of`, else now, else for the demo `demoAsOf(now)`. */
  readonly asOf: Date;
  /** Where `asOf` came from, for the summary to say (the demo's default is not today). */
  readonly asOfSource: AsOfSource;
  /** Without `--apply`: decide and report, change nothing. */
  readonly dryRun: boolean;
  readonly forceEndOfMonth: boolean;
  readonly regionConcurrency: number;
  readonly modifyConcurrency: number;
  /** `--json`: the summary as JSON on stdout instead of the text. */
  readonly json: boolean;
  /** `--tag-columns`: tag keys that get a column each in the daily report. */
  readonly tagColumns: readonly string[];
  /** `--unused-months`, `--terminate-unused` (removes only with `--apply` too), `--unused-action`, `--max-removals`. */
  readonly unused: UnusedSettings;
}

export const AsOfSource = { GIVEN: 'given', NOW: 'now', DEMO_DEFAULT: 'demo-default' } as const;
export type AsOfSource = (typeof AsOfSource)[keyof typeof AsOfSource];

/**
 * The demo's `T` when none is given: 23:00 UTC on the last day of the last
 * complete month, the month-end run of a whole month. "Now" would show nothing
 * on the 1st (no usage yet) and no AutoStop switch before the month's last day.
 * @example demoAsOf(new Date('2026-12-01T02:17:00Z')) // 2026-11-30T23:00:00.000Z
 */
export function demoAsOf(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0, 23));
}

/**
 * Validates `wco run`'s flags once, as `loadOptimizerConfig` does the Lambda
 * environment; defaults come from `CONFIG_DEFAULTS`. An AWS run without
 * `--regions` takes `AWS_REGION` (or `AWS_DEFAULT_REGION`) from `env`. `now`
 * is the wall clock: the default `T`, and the limit of `--as-of` (nothing is
 * known about the future) except for the demo, whose fleet is simulated.
 * @throws ConfigError naming every bad flag, or UsageError for flags that do not go together.
 */
export function loadRunFlags(
  raw: RawRunFlags,
  env: Readonly<Record<string, string | undefined>>,
  now: Date,
): RunFlags {
  const flags = parseSettings(runFlagsSchema, {
    ...fleetFlagValues(raw, env),
    '--as-of': raw.asOf,
    '--event-bus': raw.eventBus,
    '--tag-columns': raw.tagColumns,
    '--unused-months': raw.unusedMonths,
    '--unused-action': raw.unusedAction,
    '--max-removals': raw.maxRemovals,
  });
  const target = targetOf(raw, flags, env);
  const given = flags['--as-of'];
  if (given !== undefined && target.kind !== 'demo' && given.getTime() > now.getTime())
    throw new UsageError(
      `--as-of: ${given.toISOString()} is in the future (now ${now.toISOString()}): usage after now is not known yet`,
    );
  const asOfSource =
    given !== undefined
      ? AsOfSource.GIVEN
      : target.kind === 'demo'
        ? AsOfSource.DEMO_DEFAULT
        : AsOfSource.NOW;
  const asOf = given ?? (target.kind === 'demo' ? demoAsOf(now) : now);
  const evaluation = evaluationFlags(raw, flags, target.kind === 'demo');
  return Object.freeze({
    ...evaluation,
    warnings:
      raw.terminateUnused && !raw.apply
        ? Object.freeze([
            ...evaluation.warnings,
            '--terminate-unused without --apply removes nothing (a dry run)',
          ])
        : evaluation.warnings,
    target,
    asOf,
    asOfSource,
    dryRun: !raw.apply,
    forceEndOfMonth: raw.endOfMonth ?? CONFIG_DEFAULTS.forceEndOfMonth,
    regionConcurrency: CONFIG_DEFAULTS.regionConcurrency,
    modifyConcurrency: CONFIG_DEFAULTS.modifyConcurrency,
    json: raw.json ?? false,
    tagColumns: flags['--tag-columns'],
    unused: Object.freeze({
      months: flags['--unused-months'],
      removal: raw.terminateUnused ?? CONFIG_DEFAULTS.terminateUnused,
      action: flags['--unused-action'],
      maxPerRun: flags['--max-removals'],
    }),
  });
}

function targetOf(
  raw: RawRunFlags,
  flags: z.output<typeof runFlagsSchema>,
  env: Readonly<Record<string, string | undefined>>,
): RunFlagsTarget {
  if (raw.demo) {
    refuseAwsOnlyWithDemo(raw, 'runs on', [['--event-bus', (given) => given.eventBus !== undefined]]);
    return {
      kind: 'demo',
      seed: flags['--seed'] ?? CONFIG_DEFAULTS.seed,
      outDir: raw.out ?? CONFIG_DEFAULTS.outDir,
    };
  }
  if (flags['--seed'] !== undefined)
    throw new UsageError("--seed is the simulated fleet's: it only applies to --demo");
  const regions = awsRegions(flags['--regions'], env);
  if (flags['--bucket'] && raw.out) throw new UsageError('give either --bucket or --out, not both');
  if (!flags['--bucket'] && !raw.out)
    throw new UsageError('an AWS run needs --bucket <name> or --out <folder> for its reports');
  return {
    kind: 'aws',
    regions,
    bucket: flags['--bucket'],
    outDir: raw.out,
    eventBusName: flags['--event-bus'],
    accounts: accountSelectionOf(raw, flags),
  };
}
