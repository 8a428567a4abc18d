import { z } from 'zod';
import type { UnusedSettings } from '../billing/index.js';
import { parseS3Location } from '../shared/s3-location.js';
import type { AccountSelection } from './account-selection.js';
import { accountSelection } from './account-selection.js';
import { bucketNameSetting } from './bucket-name-setting.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import {
  accountsSetting,
  booleanSetting,
  ConfigError,
  hoursSetting,
  parseSettings,
  externalIdSetting,
  organizationParentSetting,
  nonNegativeIntegerSetting,
  positiveIntegerSetting,
  regionsSetting,
  removalActionSetting,
  roleNameSetting,
  tagColumnsSetting,
  thresholdOverridesListSetting,
  timeoutMinutesSetting,
  unusedMonthsSetting,
} from './settings.js';

/** The optimizer's settings in AWS, from the Lambda environment. */
export interface OptimizerConfig {
  /** `REPORT_BUCKET`: where the CSV reports go. */
  readonly reportBucket: string;
  /** `REGIONS`, else the Lambda's own `AWS_REGION`. */
  readonly regions: readonly string[];
  /** `AWS_REGION`, the Lambda's region: where the bucket and the event bus are. Else the first of `regions`. */
  readonly homeRegion: string;
  /** `DRY_RUN`: decide and report, change nothing. On unless explicitly `false`. */
  readonly dryRun: boolean;
  /** `THRESHOLDS`: per compute type break-even overrides, `STANDARD=85,POWER=90`. */
  readonly thresholdOverrides: Readonly<Record<string, number>>;
  /** `DEFAULT_THRESHOLD`: hours for compute types in no table. */
  readonly defaultThreshold: number;
  /** `ASSUMED_TIMEOUT_MINUTES`: the idle timeout AlwaysOn WorkSpaces are evaluated with. */
  readonly assumedTimeoutMinutes: number;
  /** `FORCE_END_OF_MONTH`: evaluate as if `T` were the month's last day. */
  readonly forceEndOfMonth: boolean;
  /** `EVENT_BUS_NAME`: where mode-changed and run-completed events go. */
  readonly eventBusName: string;
  /** `REGION_CONCURRENCY`: regions read at once. */
  readonly regionConcurrency: number;
  /** `MODIFY_CONCURRENCY`: tag confirmations and mode changes in flight at once. */
  readonly modifyConcurrency: number;
  /** `SHARDS_PER_TASK`: the sharded deployment's directories per shard task (the map's item batch). */
  readonly shardsPerTask: number;
  /** `SHARD_TASK_CONCURRENCY`: the sharded deployment's shard tasks at once (the map's concurrency). */
  readonly shardTaskConcurrency: number;
  /** `PRICE_FILE`: the operator's price file, `s3://bucket/key` only (a Lambda has no operator files on disk). */
  readonly priceFile: string | undefined;
  /** `PRICE_LIST`: ask the AWS Price List for what the file does not price, cached per month in the report bucket. */
  readonly priceList: boolean;
  /**
   * The accounts to optimize: `ACCOUNTS`, or `ORGANIZATION` / `ORGANIZATION_UNIT`
   * less `EXCLUDE_ACCOUNTS`, through `MEMBER_ROLE_NAME` with `EXTERNAL_ID`;
   * without them, the Lambda's own account.
   */
  readonly accounts: AccountSelection;
  /** `TAG_COLUMNS`: tag keys that get a column each in the daily report, `CostCenter,Department`. */
  readonly tagColumns: readonly string[];
  /**
   * The unused review: `UNUSED_MONTHS`, `TERMINATE_UNUSED` (off by default,
   * and nothing is removed while `DRY_RUN` is on), `UNUSED_ACTION`,
   * `MAX_REMOVALS_PER_RUN`.
   */
  readonly unused: UnusedSettings;
}

// EventBridge bus names: letters, digits and . - _ /, up to 256 characters.
const eventBusNameSetting = z
  .string()
  .trim()
  .regex(/^[\w.\-/]{1,256}$/, 'must be an EventBridge bus name like default');

const regionSetting = regionsSetting
  .refine((regions) => regions.length === 1, 'must be one AWS region name like us-east-1')
  .transform((regions) => regions[0]!);

// In Lambda only S3 makes sense: a local path would have to be bundled into the deployment package.
const priceFileSetting = z
  .string()
  .trim()
  .refine((location) => {
    const s3 = parseS3Location(location);
    return s3 !== undefined && bucketNameSetting.safeParse(s3.bucket).success;
  }, 'must be an S3 location s3://bucket/key (the Lambda reads the price file from S3 only)');

const required = (message: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? message : undefined) });

const environmentSchema = z.object({
  REPORT_BUCKET: required('is required: the S3 bucket the reports are written to').pipe(bucketNameSetting),
  REGIONS: regionsSetting.optional(),
  AWS_REGION: regionSetting.optional(),
  DRY_RUN: booleanSetting.default(CONFIG_DEFAULTS.dryRun),
  THRESHOLDS: thresholdOverridesListSetting.default(CONFIG_DEFAULTS.thresholdOverrides),
  DEFAULT_THRESHOLD: hoursSetting.default(CONFIG_DEFAULTS.defaultThreshold),
  ASSUMED_TIMEOUT_MINUTES: timeoutMinutesSetting.default(CONFIG_DEFAULTS.assumedTimeoutMinutes),
  FORCE_END_OF_MONTH: booleanSetting.default(CONFIG_DEFAULTS.forceEndOfMonth),
  EVENT_BUS_NAME: eventBusNameSetting.default(CONFIG_DEFAULTS.eventBusName),
  REGION_CONCURRENCY: positiveIntegerSetting.default(CONFIG_DEFAULTS.regionConcurrency),
  MODIFY_CONCURRENCY: positiveIntegerSetting.default(CONFIG_DEFAULTS.modifyConcurrency),
  SHARDS_PER_TASK: positiveIntegerSetting.default(CONFIG_DEFAULTS.shardsPerTask),
  SHARD_TASK_CONCURRENCY: positiveIntegerSetting.default(CONFIG_DEFAULTS.shardTaskConcurrency),
  PRICE_FILE: priceFileSetting.optional(),
  PRICE_LIST: booleanSetting.default(CONFIG_DEFAULTS.priceList),
  ACCOUNTS: accountsSetting.optional(),
  ORGANIZATION: booleanSetting.default(false),
  ORGANIZATION_UNIT: organizationParentSetting.optional(),
  EXCLUDE_ACCOUNTS: accountsSetting.optional(),
  MEMBER_ROLE_NAME: roleNameSetting.default(CONFIG_DEFAULTS.memberRoleName),
  EXTERNAL_ID: externalIdSetting.optional(),
  TAG_COLUMNS: tagColumnsSetting.default(CONFIG_DEFAULTS.tagColumns),
  UNUSED_MONTHS: unusedMonthsSetting.default(CONFIG_DEFAULTS.unusedMonths),
  TERMINATE_UNUSED: booleanSetting.default(CONFIG_DEFAULTS.terminateUnused),
  UNUSED_ACTION: removalActionSetting.default(CONFIG_DEFAULTS.unusedAction),
  MAX_REMOVALS_PER_RUN: nonNegativeIntegerSetting.default(CONFIG_DEFAULTS.maxRemovalsPerRun),
});

/** The variables `loadOptimizerConfig` reads (`AWS_REGION` is set by Lambda itself). */
export const CONFIG_VARIABLES = Object.freeze(Object.keys(environmentSchema.shape)) as readonly string[];

/**
 * Validates the Lambda environment once. Empty variables count as unset.
 * @throws ConfigError naming every bad variable, not only the first.
 * @example loadOptimizerConfig({ REPORT_BUCKET: 'wco-reports', AWS_REGION: 'eu-west-1' }).dryRun // true
 */
export function loadOptimizerConfig(env: Readonly<Record<string, string | undefined>>): OptimizerConfig {
  const set = (name: string) => (env[name]?.trim() ? env[name] : undefined);
  const raw = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, set(name)]));
  const problems: string[] = [];
  if (raw.REGIONS === undefined && raw.AWS_REGION === undefined)
    problems.push('REGIONS: is required when AWS_REGION is not set: a comma-separated list of regions');
  let parsed: z.output<typeof environmentSchema> | undefined;
  let accounts: AccountSelection | undefined;
  try {
    parsed = parseSettings(environmentSchema, raw);
    accounts = accountSelection(
      {
        accounts: parsed.ACCOUNTS,
        organization: parsed.ORGANIZATION,
        parentId: parsed.ORGANIZATION_UNIT,
        exclude: parsed.EXCLUDE_ACCOUNTS,
        memberRole: { roleName: parsed.MEMBER_ROLE_NAME, externalId: parsed.EXTERNAL_ID },
      },
      ACCOUNT_VARIABLES,
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !parsed || !accounts) throw new ConfigError(problems.sort(byVariableOrder));
  const regions = parsed.REGIONS ?? [parsed.AWS_REGION!];
  return Object.freeze({
    reportBucket: parsed.REPORT_BUCKET,
    regions: Object.freeze([...regions]),
    homeRegion: parsed.AWS_REGION ?? regions[0]!,
    dryRun: parsed.DRY_RUN,
    thresholdOverrides: Object.freeze({ ...parsed.THRESHOLDS }),
    defaultThreshold: parsed.DEFAULT_THRESHOLD,
    assumedTimeoutMinutes: parsed.ASSUMED_TIMEOUT_MINUTES,
    forceEndOfMonth: parsed.FORCE_END_OF_MONTH,
    eventBusName: parsed.EVENT_BUS_NAME,
    regionConcurrency: parsed.REGION_CONCURRENCY,
    modifyConcurrency: parsed.MODIFY_CONCURRENCY,
    shardsPerTask: parsed.SHARDS_PER_TASK,
    shardTaskConcurrency: parsed.SHARD_TASK_CONCURRENCY,
    priceFile: parsed.PRICE_FILE,
    priceList: parsed.PRICE_LIST,
    accounts,
    tagColumns: parsed.TAG_COLUMNS,
    unused: Object.freeze({
      months: parsed.UNUSED_MONTHS,
      removal: parsed.TERMINATE_UNUSED,
      action: parsed.UNUSED_ACTION,
      maxPerRun: parsed.MAX_REMOVALS_PER_RUN,
    }),
  });
}

const ACCOUNT_VARIABLES = {
  accounts: 'ACCOUNTS',
  organization: 'ORGANIZATION',
  parentId: 'ORGANIZATION_UNIT',
  exclude: 'EXCLUDE_ACCOUNTS',
} as const;

// Problems in the order the variables are documented, whichever check found them.
function byVariableOrder(a: string, b: string): number {
  const rank = (problem: string) => CONFIG_VARIABLES.indexOf(problem.slice(0, problem.indexOf(':')));
  return rank(a) - rank(b);
}
