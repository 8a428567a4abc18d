import type { Money } from '../billing/index.js';

/**
 * One daily report row as read back from its CSV: what the monthly summary is
 * built from, so a summary rebuilt from stored reports equals the one the
 * month-end run wrote. Reports from before the cost columns read as unpriced.
 */
export interface ReportRow {
  readonly workspaceId: string;
  readonly account: string;
  readonly region: string;
  readonly directoryId: string;
  readonly userName: string;
  readonly computeType: string;
  readonly runningMode: string;
  readonly newRunningMode: string;
  readonly billableHours: number | undefined;
  readonly thresholdHours: number | undefined;
  readonly thresholdSource: string;
  readonly action: string;
  readonly reason: string;
  readonly outcome: string;
  readonly asOf: string;
  /** Empty when the WorkSpace had no price. */
  readonly currency: string;
  readonly costToDate: Money | undefined;
  readonly projectedCurrentMode: Money | undefined;
  readonly projectedOtherMode: Money | undefined;
  readonly estimatedMonthlySavings: Money | undefined;
  /** This month's saving of the row's conversion (0 without one); reports from before the split derive it. */
  readonly savingsThisMonth: Money | undefined;
  /** Its saving per month from next month on (the run-rate). */
  readonly savingsPerMonthFromNextMonth: Money | undefined;
  /** `P`; `undefined` without a projection. */
  readonly projectedHours: number | undefined;
  /** `month_to_date`, `previous_month`, `none`; empty in reports from before it (and without a price). */
  readonly projectionBasis: string;
  /** An `AttentionReason`, or empty. */
  readonly attention: string;
  /** The AWS error, the state or the extra cost behind `attention`. */
  readonly attentionDetail: string;
}
