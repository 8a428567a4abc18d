import { elapsedHoursInMonth, hoursInMonthUtc, nextMonthStartUtc } from './month.js';

/**
 * Where a WorkSpace's projected hours come from (the daily report's
 * `projection_basis`):
 * - `month_to_date`: this month's billable hours per elapsed hour, carried to month end;
 * - `previous_month`: early in the month, last month's rate instead;
 * - `none`: early in the month with no usable history: no projection at all.
 */
export const ProjectionBasis = {
  MONTH_TO_DATE: 'month_to_date',
  PREVIOUS_MONTH: 'previous_month',
  NONE: 'none',
} as const;
export type ProjectionBasis = (typeof ProjectionBasis)[keyof typeof ProjectionBasis];

/**
 * Below one week of elapsed hours (168 h: a quarter of February, 23 % of a
 * 31-day month) the month-to-date rate is not extrapolated. Usage follows the
 * working week: from a Monday morning or a weekend, a few hours become a
 * whole month of use or none (3 hours at 02:17 on the 1st projected every
 * hour of the month). A week is the shortest span that holds one of each day.
 */
export const MIN_ELAPSED_HOURS_TO_EXTRAPOLATE = 168;

/** Billable hours over elapsed hours of a period: a usage rate, kept as two integers (exact). */
export interface UsageSpan {
  readonly billableHours: number;
  readonly elapsedHours: number;
}

/** The usage rate a projection carries forward, and where it comes from. */
export type UsageRate =
  | (UsageSpan & {
      readonly basis: typeof ProjectionBasis.MONTH_TO_DATE | typeof ProjectionBasis.PREVIOUS_MONTH;
    })
  | { readonly basis: typeof ProjectionBasis.NONE };

/** A span long enough to carry forward, with hours it could have billed. */
function usable(span: UsageSpan | undefined): span is UsageSpan {
  return (
    span !== undefined &&
    Number.isInteger(span.billableHours) &&
    Number.isInteger(span.elapsedHours) &&
    span.billableHours >= 0 &&
    span.elapsedHours >= MIN_ELAPSED_HOURS_TO_EXTRAPOLATE
  );
}

/**
 * The rate to project `hours` (billed by `asOf`) with: this month's once a week
 * of it has elapsed; before that the previous month's (its hours and the hours
 * elapsed when they were measured), if it spans a week; else none.
 * @example usageRate(3, new Date('2026-12-01T02:17:00Z')).basis // 'none'
 */
export function usageRate(hours: number, asOf: Date, previousMonth?: UsageSpan): UsageRate {
  const thisMonth = { billableHours: hours, elapsedHours: elapsedHoursInMonth(asOf) };
  if (usable(thisMonth)) return { basis: ProjectionBasis.MONTH_TO_DATE, ...thisMonth };
  if (usable(previousMonth))
    return {
      basis: ProjectionBasis.PREVIOUS_MONTH,
      // A stored figure above its own elapsed hours is impossible; read it as "every hour".
      billableHours: Math.min(previousMonth.billableHours, previousMonth.elapsedHours),
      elapsedHours: previousMonth.elapsedHours,
    };
  return { basis: ProjectionBasis.NONE };
}

/** `ceil(rate x hours)` in integers: exact, no float drift in the ceiling. */
function atRate(rate: UsageSpan, hours: number): number {
  return Math.ceil((rate.billableHours * hours) / rate.elapsedHours);
}

/**
 * Billable hours projected to the end of `asOf`'s month: the hours billed so
 * far plus the rest of the month at `rate`, in whole hours. With the
 * month-to-date rate this is `ceil(H x M / E)`. Never below `H`, never above
 * `H` + the hours left (so never above the month); `undefined` without a rate.
 * @example projectedBillableHours(100, new Date('2026-11-15T12:00:00Z'), usageRate(100, new Date('2026-11-15T12:00:00Z'))) // 207
 */
export function projectedBillableHours(hours: number, asOf: Date, rate: UsageRate): number | undefined {
  if (rate.basis === ProjectionBasis.NONE) return undefined;
  const left = Math.max(0, hoursInMonthUtc(asOf) - elapsedHoursInMonth(asOf));
  return hours + Math.min(left, atRate(rate, left));
}

/**
 * The same rate over the hours of next month: `ceil(rate x M')`, at most `M'`;
 * `undefined` without a rate.
 * @example nextMonthProjectedHours(new Date('2026-11-30T23:00:00Z'), usageRate(40, new Date('2026-11-30T23:00:00Z'))) // ceil(40 x 744 / 719) = 42
 */
export function nextMonthProjectedHours(asOf: Date, rate: UsageRate): number | undefined {
  if (rate.basis === ProjectionBasis.NONE) return undefined;
  const nextMonthHours = hoursInMonthUtc(nextMonthStartUtc(asOf));
  return Math.min(nextMonthHours, atRate(rate, nextMonthHours));
}
