import type { Decision, Tags } from './decide.js';
import { decide } from './decide.js';
import { RunningMode } from './modes.js';
import { isMonthEnd } from './month.js';
import type { Threshold, ThresholdPolicy } from './thresholds.js';
import { resolveThreshold } from './thresholds.js';
import type { ConnectedSamples } from './usage.js';
import { billableHours, usageWindow } from './usage.js';

/** Idle timeout assumed for AutoStop WorkSpaces that report none. */
export const DEFAULT_AUTOSTOP_TIMEOUT_MINUTES = 60;

/** What the billing rules need to know about one WorkSpace. */
export interface WorkspaceFacts {
  readonly runningMode: string;
  readonly computeType: string;
  /** `RunningModeAutoStopTimeoutInMinutes` as stored on the WorkSpace, if any. */
  readonly autoStopTimeoutMinutes: number | undefined;
  /** `undefined` when the tags could not be read. */
  readonly tags: Tags | undefined;
  /** `undefined` when usage could not be read. */
  readonly usage: ConnectedSamples | undefined;
  /** Break-even hours from the WorkSpace's prices, when they are known. */
  readonly priceBreakEvenHours?: number | undefined;
  /** What the conversion ledger remembers of this WorkSpace; absent when it knows nothing. */
  readonly history?: LedgerFacts | undefined;
}

/** The conversion ledger's memory of one WorkSpace, as the rules need it. */
export interface LedgerFacts {
  /** wco switched it in `T`'s month (whatever the direction). */
  readonly convertedThisMonth: boolean;
  /** The AutoStop timeout it had when wco last switched it to AlwaysOn. */
  readonly recordedTimeoutMinutes?: number | undefined;
}

export interface EvaluationSettings {
  readonly thresholds: ThresholdPolicy;
  /** Idle timeout an AlwaysOn WorkSpace would have if it were AutoStop. */
  readonly assumedTimeoutMinutes: number;
  /** The operator forces month-end evaluation. */
  readonly forceMonthEnd: boolean;
}

export interface Evaluation {
  readonly idleTimeoutMinutes: number;
  /** `undefined` when usage could not be read. */
  readonly billableHours: number | undefined;
  readonly threshold: Threshold;
  readonly monthEnd: boolean;
  readonly decision: Decision;
}

/**
 * Contract: for AutoStop the WorkSpace's own timeout (60 when absent); for
 * AlwaysOn the first that is known of its own stored timeout (the API may keep
 * it after a switch), the timeout the ledger recorded when wco switched it to
 * AlwaysOn, and the assumed timeout; the assumed timeout for anything else. A
 * WorkSpace never looks lighter as AlwaysOn only because its timeout was forgotten.
 * @example idleTimeoutMinutes('ALWAYS_ON', undefined, 60, 480) // 480, the recorded one
 */
export function idleTimeoutMinutes(
  runningMode: string,
  autoStopTimeoutMinutes: number | undefined,
  assumedTimeoutMinutes: number,
  recordedTimeoutMinutes?: number,
): number {
  if (runningMode === RunningMode.AUTO_STOP)
    return autoStopTimeoutMinutes ?? DEFAULT_AUTOSTOP_TIMEOUT_MINUTES;
  if (runningMode === RunningMode.ALWAYS_ON)
    return autoStopTimeoutMinutes ?? recordedTimeoutMinutes ?? assumedTimeoutMinutes;
  return assumedTimeoutMinutes;
}

/**
 * Evaluates one WorkSpace at `asOf`: billable hours, threshold and decision.
 * @example
 * evaluateWorkspace(
 *   { runningMode: 'AUTO_STOP', computeType: 'STANDARD', autoStopTimeoutMinutes: 60, tags: {}, usage },
 *   { thresholds: thresholdPolicy(), assumedTimeoutMinutes: 60, forceMonthEnd: false },
 *   new Date('2026-11-20T23:00:00Z'),
 * ).decision // { action: 'NONE', reason: 'UNDER_THRESHOLD' } for light usage
 */
export function evaluateWorkspace(
  facts: WorkspaceFacts,
  settings: EvaluationSettings,
  asOf: Date,
): Evaluation {
  const timeout = idleTimeoutMinutes(
    facts.runningMode,
    facts.autoStopTimeoutMinutes,
    settings.assumedTimeoutMinutes,
    facts.history?.recordedTimeoutMinutes,
  );
  const hours =
    facts.usage === undefined ? undefined : billableHours(facts.usage, timeout, usageWindow(asOf));
  const threshold = resolveThreshold(settings.thresholds, facts.computeType, facts.priceBreakEvenHours);
  const monthEnd = isMonthEnd(asOf, settings.forceMonthEnd);
  const decision = decide({
    runningMode: facts.runningMode,
    tags: facts.tags,
    billableHours: hours,
    thresholdHours: threshold.hours,
    monthEnd,
    convertedThisMonth: facts.history?.convertedThisMonth ?? false,
  });
  return { idleTimeoutMinutes: timeout, billableHours: hours, threshold, monthEnd, decision };
}
