import { z } from 'zod';
import { KNOWN_COMPUTE_TYPES } from '../billing/index.js';
import type { AccountSelection } from './account-selection.js';
import { accountSelection } from './account-selection.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import { regionFromEnv } from './home-region.js';
import {
  accountsSetting,
  externalIdSetting,
  hoursSetting,
  nonNegativeIntegerSetting,
  organizationParentSetting,
  parseSettings,
  regionsSetting,
  roleNameSetting,
  thresholdOverridesSetting,
  timeoutMinutesSetting,
  unknownComputeTypes,
  UsageError,
} from './settings.js';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The options `wco run` and `wco replay` share, as commander hands them over: which fleet, how it is decided, its prices. */
export interface RawFleetFlags {
  readonly demo?: boolean | undefined;
  readonly out?: string | undefined;
  readonly bucket?: string | undefined;
  readonly regions?: string | undefined;
  readonly threshold: readonly string[];
  readonly defaultThreshold?: string | undefined;
  readonly assumedTimeout?: string | undefined;
  readonly seed?: string | undefined;
  readonly prices?: string | undefined;
  readonly priceList?: boolean | undefined;
  readonly verbose?: boolean | undefined;
  readonly accounts?: string | undefined;
  readonly organization?: boolean | undefined;
  readonly organizationUnit?: string | undefined;
  readonly excludeAccounts?: string | undefined;
  readonly memberRole?: string | undefined;
  readonly externalId?: string | undefined;
}

/** Their validation, for a command's `z.object({ ...fleetFlagsShape, ... })`. */
export const fleetFlagsShape = {
  '--threshold': thresholdOverridesSetting,
  '--default-threshold': hoursSetting.default(CONFIG_DEFAULTS.defaultThreshold),
  '--assumed-timeout': timeoutMinutesSetting.default(CONFIG_DEFAULTS.assumedTimeoutMinutes),
  '--seed': nonNegativeIntegerSetting.optional(),
  '--regions': regionsSetting.optional(),
  '--bucket': z.string().regex(BUCKET, 'must be an S3 bucket name').optional(),
  '--accounts': accountsSetting.optional(),
  '--organization-unit': organizationParentSetting.optional(),
  '--exclude-accounts': accountsSetting.optional(),
  '--member-role': roleNameSetting.default(CONFIG_DEFAULTS.memberRoleName),
  // The secret is better kept off the command line (ps, shell history): EXTERNAL_ID in the environment.
  '--external-id': externalIdSetting.optional(),
  EXTERNAL_ID: externalIdSetting.optional(),
};

/** The raw values under the names `fleetFlagsShape` validates (`EXTERNAL_ID` from `env`, not for the demo). */
export function fleetFlagValues(raw: RawFleetFlags, env: Readonly<Record<string, string | undefined>>) {
  return {
    '--threshold': raw.threshold,
    '--default-threshold': raw.defaultThreshold,
    '--assumed-timeout': raw.assumedTimeout,
    '--seed': raw.seed,
    '--regions': raw.regions,
    '--bucket': raw.bucket,
    '--accounts': raw.accounts,
    '--organization-unit': raw.organizationUnit,
    '--exclude-accounts': raw.excludeAccounts,
    '--member-role': raw.memberRole,
    '--external-id': raw.externalId,
    EXTERNAL_ID: raw.demo || !env.EXTERNAL_ID?.trim() ? undefined : env.EXTERNAL_ID,
  };
}

/** The accounts the flags select (`--accounts`, `--organization`, ...); the credentials' own without them. */
export function accountSelectionOf(
  raw: RawFleetFlags,
  flags: z.output<z.ZodObject<typeof fleetFlagsShape>>,
): AccountSelection {
  return accountSelection(
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
  );
}

/** How the fleet is decided and priced, from the validated shared flags. */
export interface EvaluationFlags {
  readonly thresholdOverrides: Readonly<Record<string, number>>;
  readonly defaultThreshold: number;
  readonly assumedTimeoutMinutes: number;
  /** `--prices`, or the sample prices for the demo. */
  readonly priceFile: string | undefined;
  readonly priceList: boolean;
  readonly verbose: boolean;
  /** Things worth saying that do not stop the command (an override for a compute type WorkSpaces does not have). */
  readonly warnings: readonly string[];
}

export function evaluationFlags(
  raw: RawFleetFlags,
  flags: z.output<z.ZodObject<typeof fleetFlagsShape>>,
  demo: boolean,
): EvaluationFlags {
  const warnings = unknownComputeTypes(flags['--threshold']).map(
    (type) =>
      `--threshold: ${type} is not a WorkSpaces compute type wco knows (${KNOWN_COMPUTE_TYPES.join(', ')}); kept, it applies to WorkSpaces of exactly that type`,
  );
  return {
    thresholdOverrides: flags['--threshold'],
    defaultThreshold: flags['--default-threshold'],
    assumedTimeoutMinutes: flags['--assumed-timeout'],
    priceFile: raw.prices ?? (demo ? CONFIG_DEFAULTS.demoPriceFile : undefined),
    priceList: raw.priceList ?? CONFIG_DEFAULTS.priceList,
    verbose: raw.verbose ?? false,
    warnings: Object.freeze(warnings),
  };
}

/** The flags that choose other accounts than the credentials' own, and whether each is given. */
const ACCOUNT_FLAGS: readonly (readonly [string, (raw: RawFleetFlags) => boolean])[] = [
  ['--accounts', (given) => given.accounts !== undefined],
  ['--organization', (given) => given.organization === true],
  ['--organization-unit', (given) => given.organizationUnit !== undefined],
  ['--exclude-accounts', (given) => given.excludeAccounts !== undefined],
  ['--member-role', (given) => given.memberRole !== undefined],
  ['--external-id', (given) => given.externalId !== undefined],
];

/** The account flags given, by name. */
export function givenAccountFlags(raw: RawFleetFlags): string[] {
  return ACCOUNT_FLAGS.filter(([, isGiven]) => isGiven(raw)).map(([flag]) => flag);
}

/**
 * With `--demo`, refuses the options that only mean something for a real
 * fleet: the shared ones, and the command's own `extra` ones.
 * @throws UsageError naming every such option given.
 */
export function refuseAwsOnlyWithDemo<Raw extends RawFleetFlags>(
  raw: Raw,
  what: string,
  extra: readonly (readonly [string, (raw: Raw) => boolean])[] = [],
): void {
  const awsOnly: readonly (readonly [string, (raw: Raw) => boolean])[] = [
    ['--bucket', (given) => given.bucket !== undefined],
    ['--regions', (given) => given.regions !== undefined],
    ...extra,
    ['--price-list', (given) => given.priceList === true],
    ...ACCOUNT_FLAGS,
  ];
  const given = awsOnly.filter(([, isGiven]) => isGiven(raw)).map(([flag]) => flag);
  if (given.length > 0)
    throw new UsageError(
      `--demo ${what} the simulated fleet: ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} for AWS runs only, drop ${given.length > 1 ? 'them' : 'it'}`,
    );
}

/**
 * `--regions`, else the SDK's `AWS_REGION` (or `AWS_DEFAULT_REGION`).
 * @throws UsageError without either; ConfigError naming `AWS_REGION` when it is not a region list.
 */
export function awsRegions(
  regions: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): readonly string[] {
  if (regions !== undefined) return regions;
  const envRegion = regionFromEnv(env);
  if (!envRegion?.trim()) throw new UsageError('set --regions or AWS_REGION');
  return parseSettings(z.object({ AWS_REGION: regionsSetting }), { AWS_REGION: envRegion })['AWS_REGION'];
}
