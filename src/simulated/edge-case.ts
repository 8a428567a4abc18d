import { RunningMode } from '../billing/index.js';
import type { SimulatedFaults } from './simulated-faults.js';
import type { RandomArchetype } from './usage-archetype.js';
import { UsageArchetype } from './usage-archetype.js';

/** The contract's edge cases; every generated fleet holds one WorkSpace for each. */
export const EdgeCase = {
  EXEMPT_TAG_EMPTY_VALUE: 'EXEMPT_TAG_EMPTY_VALUE',
  EXEMPT_TAG_LOWER_CASE: 'EXEMPT_TAG_LOWER_CASE',
  EXEMPT_TAG_UPPER_CASE: 'EXEMPT_TAG_UPPER_CASE',
  MANUAL_MODE: 'MANUAL_MODE',
  STATE_PENDING: 'STATE_PENDING',
  STATE_REBOOTING: 'STATE_REBOOTING',
  STATE_ERROR: 'STATE_ERROR',
  STATE_UPDATING: 'STATE_UPDATING',
  AT_THRESHOLD: 'AT_THRESHOLD',
  ONE_ABOVE_THRESHOLD: 'ONE_ABOVE_THRESHOLD',
  AT_THRESHOLD_LONG_TIMEOUT: 'AT_THRESHOLD_LONG_TIMEOUT',
  ONE_ABOVE_THRESHOLD_LONG_TIMEOUT: 'ONE_ABOVE_THRESHOLD_LONG_TIMEOUT',
  ALWAYS_ON_AT_THRESHOLD: 'ALWAYS_ON_AT_THRESHOLD',
  ALWAYS_ON_ONE_ABOVE_THRESHOLD: 'ALWAYS_ON_ONE_ABOVE_THRESHOLD',
  AUTO_STOP_WITHOUT_TIMEOUT: 'AUTO_STOP_WITHOUT_TIMEOUT',
  UNKNOWN_COMPUTE_TYPE: 'UNKNOWN_COMPUTE_TYPE',
  EMPTY_COMPUTE_TYPE: 'EMPTY_COMPUTE_TYPE',
  USER_NAME_COMMA: 'USER_NAME_COMMA',
  USER_NAME_QUOTE: 'USER_NAME_QUOTE',
  USER_NAME_NEWLINE: 'USER_NAME_NEWLINE',
  USER_NAME_NON_ASCII: 'USER_NAME_NON_ASCII',
  TAGS_UNREADABLE: 'TAGS_UNREADABLE',
  USAGE_UNREADABLE: 'USAGE_UNREADABLE',
  MODIFY_FAILS: 'MODIFY_FAILS',
} as const;
export type EdgeCase = (typeof EdgeCase)[keyof typeof EdgeCase];

/**
 * Usage of an edge-case WorkSpace: a random archetype, or sessions billing
 * exactly the compute type's threshold plus `hoursOverThreshold` (negative:
 * under it) at the as-of time, for the WorkSpace's idle timeout (60 minutes for
 * AlwaysOn, the contract's default assumed timeout).
 */
export type EdgeCaseUsage =
  | { readonly archetype: RandomArchetype }
  | { readonly archetype: typeof UsageArchetype.TARGETED; readonly hoursOverThreshold: number };

export interface EdgeCaseSpec {
  readonly edgeCase: EdgeCase;
  readonly runningMode: string;
  readonly autoStopTimeoutMinutes?: number | undefined;
  readonly computeType: string;
  readonly state?: string;
  readonly userName?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly usage: EdgeCaseUsage;
  /** `{account}`, `{region}` and `{workspaceId}` are filled in. */
  readonly faults?: SimulatedFaults;
}

const { AUTO_STOP, ALWAYS_ON, MANUAL } = RunningMode;
/** Clearly over the threshold at month end: without the edge case, these WorkSpaces would be converted. */
const HEAVY = { archetype: UsageArchetype.TARGETED, hoursOverThreshold: 40 } as const;
const LIGHT = { archetype: UsageArchetype.TARGETED, hoursOverThreshold: -60 } as const;
const exactly = (hoursOverThreshold: number) =>
  ({ archetype: UsageArchetype.TARGETED, hoursOverThreshold }) as const;

// What the SDK's exceptions say in these situations; `{...}` is filled in per WorkSpace.
const TAGS_DENIED =
  'AccessDeniedException: User: arn:aws:sts::{account}:assumed-role/wco-optimizer/wco is not authorized to ' +
  'perform: workspaces:DescribeTags on resource: arn:aws:workspaces:{region}:{account}:workspace/{workspaceId} ' +
  'because no identity-based policy allows the workspaces:DescribeTags action';
const METRICS_THROTTLED =
  'ThrottlingException: Rate exceeded (GetMetricData UserConnected for {workspaceId}, gave up after 3 attempts)';
const MODIFY_DENIED =
  'AccessDeniedException: User: arn:aws:sts::{account}:assumed-role/wco-optimizer/wco is not authorized to ' +
  'perform: workspaces:ModifyWorkspaceProperties on resource: ' +
  'arn:aws:workspaces:{region}:{account}:workspace/{workspaceId} with an explicit deny in a service control policy';

/** One WorkSpace per edge case, in this order. */
// prettier-ignore
export const EDGE_CASE_SPECS: readonly EdgeCaseSpec[] = [
  { edgeCase: EdgeCase.EXEMPT_TAG_EMPTY_VALUE, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 60, computeType: 'STANDARD', tags: { Skip_Convert: '', Department: 'Finance' }, usage: HEAVY },
  { edgeCase: EdgeCase.EXEMPT_TAG_LOWER_CASE, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 120, computeType: 'PERFORMANCE', tags: { skip_convert: 'true' }, usage: HEAVY },
  { edgeCase: EdgeCase.EXEMPT_TAG_UPPER_CASE, runningMode: ALWAYS_ON, computeType: 'POWER', tags: { SKIP_CONVERT: 'approved by finance until 2027-03', CostCenter: '3100' }, usage: LIGHT },
  { edgeCase: EdgeCase.MANUAL_MODE, runningMode: MANUAL, computeType: 'STANDARD', tags: { Environment: 'prod' }, usage: { archetype: UsageArchetype.FULL_TIME } },
  { edgeCase: EdgeCase.STATE_PENDING, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 60, computeType: 'STANDARD', state: 'PENDING', usage: HEAVY },
  { edgeCase: EdgeCase.STATE_REBOOTING, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 60, computeType: 'VALUE', state: 'REBOOTING', usage: HEAVY },
  { edgeCase: EdgeCase.STATE_ERROR, runningMode: ALWAYS_ON, computeType: 'PERFORMANCE', state: 'ERROR', usage: LIGHT },
  { edgeCase: EdgeCase.STATE_UPDATING, runningMode: ALWAYS_ON, computeType: 'POWERPRO', state: 'UPDATING', usage: LIGHT },
  { edgeCase: EdgeCase.AT_THRESHOLD, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 60, computeType: 'STANDARD', usage: exactly(0) },
  { edgeCase: EdgeCase.ONE_ABOVE_THRESHOLD, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 60, computeType: 'STANDARD', usage: exactly(1) },
  { edgeCase: EdgeCase.AT_THRESHOLD_LONG_TIMEOUT, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 180, computeType: 'POWER', usage: exactly(0) },
  { edgeCase: EdgeCase.ONE_ABOVE_THRESHOLD_LONG_TIMEOUT, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 120, computeType: 'VALUE', usage: exactly(1) },
  { edgeCase: EdgeCase.ALWAYS_ON_AT_THRESHOLD, runningMode: ALWAYS_ON, computeType: 'PERFORMANCE', usage: exactly(0) },
  { edgeCase: EdgeCase.ALWAYS_ON_ONE_ABOVE_THRESHOLD, runningMode: ALWAYS_ON, computeType: 'PERFORMANCE', usage: exactly(1) },
  { edgeCase: EdgeCase.AUTO_STOP_WITHOUT_TIMEOUT, runningMode: AUTO_STOP, computeType: 'STANDARD', usage: exactly(1) },
  { edgeCase: EdgeCase.UNKNOWN_COMPUTE_TYPE, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 60, computeType: 'GRAPHICS_G7_2XLARGE', usage: exactly(1) },
  { edgeCase: EdgeCase.EMPTY_COMPUTE_TYPE, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 60, computeType: '', usage: exactly(0) },
  { edgeCase: EdgeCase.USER_NAME_COMMA, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 60, computeType: 'STANDARD', userName: 'Müller, Jürgen', usage: { archetype: UsageArchetype.FULL_TIME } },
  { edgeCase: EdgeCase.USER_NAME_QUOTE, runningMode: ALWAYS_ON, computeType: 'PERFORMANCE', userName: 'O"Brien', usage: { archetype: UsageArchetype.PART_TIME } },
  { edgeCase: EdgeCase.USER_NAME_NEWLINE, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 120, computeType: 'VALUE', userName: 'line\nbreak', usage: { archetype: UsageArchetype.SHORT_SESSIONS } },
  { edgeCase: EdgeCase.USER_NAME_NON_ASCII, runningMode: ALWAYS_ON, computeType: 'STANDARD', userName: '山田太郎', usage: { archetype: UsageArchetype.UNUSED } },
  { edgeCase: EdgeCase.TAGS_UNREADABLE, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 60, computeType: 'STANDARD', usage: HEAVY, faults: { tags: TAGS_DENIED } },
  { edgeCase: EdgeCase.USAGE_UNREADABLE, runningMode: ALWAYS_ON, computeType: 'POWER', usage: LIGHT, faults: { usage: METRICS_THROTTLED } },
  { edgeCase: EdgeCase.MODIFY_FAILS, runningMode: AUTO_STOP, autoStopTimeoutMinutes: 60, computeType: 'PERFORMANCE', usage: HEAVY, faults: { modify: MODIFY_DENIED } },
];
