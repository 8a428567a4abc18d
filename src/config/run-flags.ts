import { z } from 'zod';
import type { AccountSelection } from './account-selection.js';
import { accountSelection } from './account-selection.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import { regionFromEnv } from './home-region.js';
import {
  accountsSetting,
  externalIdSetting,
  hoursSetting,
  instantSetting,
  nonNegativeIntegerSetting,
  organizationParentSetting,
  parseSettings,
  regionsSetting,
  roleNameSetting,
  tagColumnsSetting,
  thresholdOverridesSetting,
  timeoutMinutesSetting,
  unknownComputeTypes,
  UsageError,
} from './settings.js';
import { KNOWN_COMPUTE_TYPES } from '../billing/index.js';

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
  '--accounts': accountsSetting.optional(),
  '--organization-unit': organizationParentSetting.optional(),
  '--exclude-accounts': accountsSetting.optional(),
  '--member-role': roleNameSetting.default(CONFIG_DEFAULTS.memberRoleName),
  // The secret is better kept off the command line (ps, shell history): EXTERNAL_ID in the environment.
  '--external-id': externalIdSetting.optional(),
  EXTERNAL_ID: externalIdSetting.optional(),
  '--tag-columns': tagColumnsSetting.default(CONFIG_DEFAULTS.tagColumns),
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
  readonly json?: boolean | undefined;
  readonly prices?: string | undefined;
  readonly priceList?: boolean | undefined;
  readonly accounts?: string | undefined;
  readonly organization?: boolean | undefined;
  readonly organizationUnit?: string | undefined;
  readonly excludeAccounts?: string | undefined;
  readonly memberRole?: string | undefined;
  readonly externalId?: string | undefined;
  readonly tagColumns?: string | undefined;
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
export interface RunFlags {
  readonly target: RunFlagsTarget;
  /** `T`: `--as-of`, else now, else for the demo `demoAsOf(now)`. */
  readonly asOf: Date;
  /** Where `asOf` came from, for the summary to say (the demo's default is not today). */
  readonly asOfSource: AsOfSource;
  /** Things worth saying that do not stop the run (an override for a compute type WorkSpaces does not have). */
  readonly warnings: readonly string[];
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
  /** `--json`: the summary as JSON on stdout instead of the text. */
  readonly json: boolean;
  /** `--tag-columns`: tag keys that get a column each in the daily report. */
  readonly tagColumns: readonly string[];
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

/** Options that only mean something for an AWS run. */
const AWS_ONLY = [
  ['--bucket', (raw: RawRunFlags) => raw.bucket !== undefined],
  ['--regions', (raw: RawRunFlags) => raw.regions !== undefined],
  ['--event-bus', (raw: RawRunFlags) => raw.eventBus !== undefined],
  ['--price-list', (raw: RawRunFlags) => raw.priceList === true],
  ['--accounts', (raw: RawRunFlags) => raw.accounts !== undefined],
  ['--organization', (raw: RawRunFlags) => raw.organization === true],
  ['--organization-unit', (raw: RawRunFlags) => raw.organizationUnit !== undefined],
  ['--exclude-accounts', (raw: RawRunFlags) => raw.excludeAccounts !== undefined],
  ['--member-role', (raw: RawRunFlags) => raw.memberRole !== undefined],
  ['--external-id', (raw: RawRunFlags) => raw.externalId !== undefined],
] as const;

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
    '--as-of': raw.asOf,
    '--threshold': raw.threshold,
    '--default-threshold': raw.defaultThreshold,
    '--assumed-timeout': raw.assumedTimeout,
    '--seed': raw.seed,
    '--regions': raw.regions,
    '--bucket': raw.bucket,
    '--event-bus': raw.eventBus,
    '--accounts': raw.accounts,
    '--organization-unit': raw.organizationUnit,
    '--exclude-accounts': raw.excludeAccounts,
    '--member-role': raw.memberRole,
    '--external-id': raw.externalId,
    EXTERNAL_ID: raw.demo || !env.EXTERNAL_ID?.trim() ? undefined : env.EXTERNAL_ID,
    '--tag-columns': raw.tagColumns,
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
  const warnings = unknownComputeTypes(flags['--threshold']).map(
    (type) =>
      `--threshold: ${type} is not a WorkSpaces compute type wco knows (${KNOWN_COMPUTE_TYPES.join(', ')}); kept, it applies to WorkSpaces of exactly that type`,
  );
  return Object.freeze({
    target,
    asOf,
    asOfSource,
    warnings: Object.freeze(warnings),
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
    json: raw.json ?? false,
    tagColumns: flags['--tag-columns'],
  });
}

function targetOf(
  raw: RawRunFlags,
  flags: z.output<typeof runFlagsSchema>,
  env: Readonly<Record<string, string | undefined>>,
): RunFlagsTarget {
  if (raw.demo) {
    const awsOnly = AWS_ONLY.filter(([, given]) => given(raw)).map(([flag]) => flag);
    if (awsOnly.length > 0)
      throw new UsageError(
        `--demo runs on the simulated fleet: ${awsOnly.join(', ')} ${awsOnly.length > 1 ? 'are' : 'is'} for AWS runs only, drop ${awsOnly.length > 1 ? 'them' : 'it'}`,
      );
    return {
      kind: 'demo',
      seed: flags['--seed'] ?? CONFIG_DEFAULTS.seed,
      outDir: raw.out ?? CONFIG_DEFAULTS.outDir,
    };
  }
  if (flags['--seed'] !== undefined)
    throw new UsageError("--seed is the simulated fleet's: it only applies to --demo");
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
    accounts: accountSelection(
      {
        accounts: flags['--accounts'],
        organization: raw.organization === true,
        parentId: flags['--organization-unit'],
        exclude: flags['--exclude-accounts'],
        memberRole: {
          roleName: flags['--member-role'],
          externalId: flags['--external-id'] ?? flags.EXTERNAL_ID,
        },
      },
      {
        accounts: '--accounts',
        organization: '--organization',
        parentId: '--organization-unit',
        exclude: '--exclude-accounts',
      },
    ),
  };
}
