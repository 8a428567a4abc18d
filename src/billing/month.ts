import { UTCDate } from '@date-fns/utc';
import {
  addMonths,
  format,
  endOfMonth,
  getDaysInMonth,
  isLastDayOfMonth,
  isLeapYear,
  startOfDay,
  startOfMonth,
} from 'date-fns';

/** Billing months are calendar months in UTC; every helper here ignores the host time zone. */

const HOUR_MS = 3_600_000;

/**
 * 00:00 UTC on the 1st of `t`'s UTC month.
 * @example monthStartUtc(new Date('2026-11-20T10:00:00Z')) // 2026-11-01T00:00:00.000Z
 */
export function monthStartUtc(t: Date): Date {
  return new Date(startOfMonth(new UTCDate(t)).getTime());
}

/** 00:00 UTC on the 1st of the month before `t`'s. */
export function previousMonthStartUtc(t: Date): Date {
  return new Date(addMonths(startOfMonth(new UTCDate(t)), -1).getTime());
}

/** 00:00 UTC on the 1st of the month after `t`'s. */
export function nextMonthStartUtc(t: Date): Date {
  return new Date(addMonths(startOfMonth(new UTCDate(t)), 1).getTime());
}

/**
 * 00:00 UTC on the last day of `t`'s UTC month.
 * @example lastDayOfMonthUtc(new Date('2028-02-10T00:00:00Z')) // 2028-02-29T00:00:00.000Z
 */
export function lastDayOfMonthUtc(t: Date): Date {
  return new Date(startOfDay(endOfMonth(new UTCDate(t))).getTime());
}

/** @example daysInMonthUtc(new Date('2027-02-01T00:00:00Z')) // 28 */
export function daysInMonthUtc(t: Date): number {
  return getDaysInMonth(new UTCDate(t));
}

/** @example isLeapYearUtc(2028) // true */
export function isLeapYearUtc(year: number): boolean {
  return isLeapYear(new UTCDate(year, 0, 1));
}

/** True when `t` falls on the last UTC calendar day of its month. */
export function isLastDayOfMonthUtc(t: Date): boolean {
  return isLastDayOfMonth(new UTCDate(t));
}

/**
 * Contract: month end is `T` on the last UTC day of its month, or forced by the operator.
 * @example isMonthEnd(new Date('2026-11-30T23:00:00Z')) // true
 */
export function isMonthEnd(asOf: Date, forced = false): boolean {
  return forced || isLastDayOfMonthUtc(asOf);
}

/** `ceil((T - month start) / 1 hour)`: the upper bound of billable hours at `T`. */
export function elapsedHoursInMonth(asOf: Date): number {
  return Math.ceil((asOf.getTime() - monthStartUtc(asOf).getTime()) / HOUR_MS);
}

/** Hours in `t`'s UTC month (672, 696, 720 or 744). */
export function hoursInMonthUtc(t: Date): number {
  return daysInMonthUtc(t) * 24;
}

/**
 * `YYYY-MM` of `t` in UTC: the billing month, as report keys and caches name it.
 * @example monthOf(new Date('2026-11-30T23:00:00Z')) // '2026-11'
 */
export function monthOf(t: Date): string {
  return format(new UTCDate(t), 'yyyy-MM');
}
