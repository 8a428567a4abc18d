import { Action, Reason, RunningMode } from './modes.js';

/** The tag key that exempts a WorkSpace from conversion, compared ignoring case. */
export const EXEMPT_TAG_KEY = 'Skip_Convert';

export type Tags = Readonly<Record<string, string>>;

/** The decision table's result: each action carries only the reasons it can have. */
export type Decision =
  | {
      readonly action: typeof Action.SKIP;
      readonly reason:
        typeof Reason.TAGS_UNAVAILABLE | typeof Reason.EXEMPT_TAG | typeof Reason.UNSUPPORTED_MODE;
    }
  | { readonly action: typeof Action.ERROR; readonly reason: typeof Reason.METRICS_UNAVAILABLE }
  | { readonly action: typeof Action.TO_ALWAYS_ON; readonly reason: typeof Reason.OVER_THRESHOLD }
  | {
      readonly action: typeof Action.TO_AUTO_STOP;
      readonly reason: typeof Reason.UNDER_THRESHOLD_AT_MONTH_END;
    }
  | {
      readonly action: typeof Action.NONE;
      readonly reason:
        | typeof Reason.UNDER_THRESHOLD
        | typeof Reason.OVER_THRESHOLD
        | typeof Reason.NOT_MONTH_END
        | typeof Reason.CONVERTED_THIS_MONTH;
    };

export interface DecisionInput {
  readonly runningMode: string;
  /** `undefined` when the tags could not be read (after retries). */
  readonly tags: Tags | undefined;
  /** `H`; `undefined` when usage could not be read (after retries). */
  readonly billableHours: number | undefined;
  readonly thresholdHours: number;
  readonly monthEnd: boolean;
  /**
   * wco already switched this WorkSpace in `T`'s month (the conversion ledger
   * says so): it is not switched again, in either direction, until next month.
   */
  readonly convertedThisMonth?: boolean;
}

/** Rule 1: any tag key equal to `Skip_Convert` ignoring case, whatever its value. */
export function hasExemptTag(tags: Tags): boolean {
  const wanted = EXEMPT_TAG_KEY.toLowerCase();
  return Object.keys(tags).some((key) => key.toLowerCase() === wanted);
}

/**
 * The contract's decision table: the first rule that matches wins. "Across
 * runs" adds one rule after rule 3: a conversion of a WorkSpace that wco
 * already switched this month becomes `NONE` (`CONVERTED_THIS_MONTH`), so wco
 * changes a WorkSpace's mode at most once per month.
 * @example
 * decide({ runningMode: 'AUTO_STOP', tags: {}, billableHours: 90, thresholdHours: 85, monthEnd: false })
 * // { action: 'TO_ALWAYS_ON', reason: 'OVER_THRESHOLD' }
 */
export function decide(input: DecisionInput): Decision {
  const { runningMode, tags, billableHours: hours, thresholdHours, monthEnd } = input;
  if (tags === undefined) return { action: Action.SKIP, reason: Reason.TAGS_UNAVAILABLE };
  if (hasExemptTag(tags)) return { action: Action.SKIP, reason: Reason.EXEMPT_TAG };
  if (runningMode !== RunningMode.AUTO_STOP && runningMode !== RunningMode.ALWAYS_ON) {
    return { action: Action.SKIP, reason: Reason.UNSUPPORTED_MODE };
  }
  if (hours === undefined) return { action: Action.ERROR, reason: Reason.METRICS_UNAVAILABLE };
  const decision = decideByUsage(runningMode, hours > thresholdHours, monthEnd);
  if (input.convertedThisMonth === true && decision.action !== Action.NONE)
    return { action: Action.NONE, reason: Reason.CONVERTED_THIS_MONTH };
  return decision;
}

// Rules 4-8: what the month's usage says for a convertible mode.
function decideByUsage(runningMode: string, over: boolean, monthEnd: boolean): Decision {
  if (runningMode === RunningMode.AUTO_STOP) {
    return over
      ? { action: Action.TO_ALWAYS_ON, reason: Reason.OVER_THRESHOLD }
      : { action: Action.NONE, reason: Reason.UNDER_THRESHOLD };
  }
  if (over) return { action: Action.NONE, reason: Reason.OVER_THRESHOLD };
  return monthEnd
    ? { action: Action.TO_AUTO_STOP, reason: Reason.UNDER_THRESHOLD_AT_MONTH_END }
    : { action: Action.NONE, reason: Reason.NOT_MONTH_END };
}
