import type { Interval } from '../../billing/index.js';
import { monthOf, monthStartUtc, nextMonthStartUtc } from '../../billing/index.js';

const HOUR_MS = 3_600_000;

/** When the replayed optimizer runs: daily at a whole UTC hour (the deployed schedule is 23:00), or every hour. */
export type ReplaySchedule =
  { readonly kind: 'daily'; readonly hourUtc: number } | { readonly kind: 'hourly' };

/** Whole billing months, from the 1st of the first to the 1st after the last. */
export interface ReplayPeriod extends Interval {
  /** 00:00 UTC on the 1st of each month, ascending. */
  readonly months: readonly Date[];
  /** `YYYY-MM` of the first and of the last month. */
  readonly from: string;
  readonly to: string;
}

/** The months from `first`'s to `last`'s, both included. */
export function replayPeriod(first: Date, last: Date): ReplayPeriod {
  const months: Date[] = [];
  for (let month = monthStartUtc(first); month <= last; month = nextMonthStartUtc(month)) months.push(month);
  if (months.length === 0) throw new RangeError('a replay needs at least one month');
  const start = months[0]!.getTime();
  const end = nextMonthStartUtc(months.at(-1)!).getTime();
  return { start, end, months, from: monthOf(months[0]!), to: monthOf(months.at(-1)!) };
}

/**
 * Every run time of `schedule` in `period`, ascending. Runs are on whole hours,
 * so hourly usage samples show exactly the hours before each run.
 * @example runTimes(replayPeriod(nov, nov), { kind: 'daily', hourUtc: 23 }) // Nov 1 23:00 ... Nov 30 23:00
 */
export function runTimes(period: Interval, schedule: ReplaySchedule): Date[] {
  const times: Date[] = [];
  if (schedule.kind === 'hourly') {
    for (let t = period.start; t < period.end; t += HOUR_MS) times.push(new Date(t));
    return times;
  }
  if (!Number.isInteger(schedule.hourUtc) || schedule.hourUtc < 0 || schedule.hourUtc > 23)
    throw new RangeError(`the daily run hour must be 0 to 23, got ${schedule.hourUtc}`);
  for (let day = period.start; day < period.end; day += 24 * HOUR_MS)
    times.push(new Date(day + schedule.hourUtc * HOUR_MS));
  return times;
}

/** `daily at 23:00 UTC` or `hourly`. */
export function describeSchedule(schedule: ReplaySchedule): string {
  return schedule.kind === 'hourly'
    ? 'hourly'
    : `daily at ${String(schedule.hourUtc).padStart(2, '0')}:00 UTC`;
}
