import type { Interval } from '../billing/index.js';
import { elapsedHoursInMonth, monthStartUtc } from '../billing/index.js';
import type { SeededRandom } from './seeded-random.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WORKDAY_START_HOUR = 9;
const LONGEST_WORKDAY_HOURS = 10;

/**
 * Office-hours sessions that bill exactly `min(hours, elapsed hours)` at
 * `asOf` for an idle timeout of `idleTimeoutMinutes` (a multiple of 60), on
 * the contract's rules: one session per weekday starting at 09:00, a session
 * of `n` clock hours billing `n + timeout/60` hours. When the weekdays before
 * `asOf` cannot hold the hours (early in the month, or a very long timeout),
 * one continuous session from the start of the month is used instead, which can
 * bill any number of hours up to every hour elapsed. Every session ends before
 * `asOf`, idle tail included, except when every elapsed hour must be billed.
 *
 * With `random`, session starts and ends move within their clock hours, which
 * leaves the billed hours unchanged.
 * @example
 * sessionsForBillableHours(85, 60, new Date('2026-11-30T23:00:00Z')) // 17 weekdays of 09:00-13:00
 */
export function sessionsForBillableHours(
  hours: number,
  idleTimeoutMinutes: number,
  asOf: Date,
  random?: SeededRandom,
): Interval[] {
  if (!Number.isInteger(hours) || hours < 0)
    throw new RangeError(`hours must be a non-negative integer, got ${hours}`);
  if (!Number.isInteger(idleTimeoutMinutes) || idleTimeoutMinutes <= 0 || idleTimeoutMinutes % 60 !== 0)
    throw new RangeError(`idleTimeoutMinutes must be a positive multiple of 60, got ${idleTimeoutMinutes}`);
  const target = Math.min(hours, elapsedHoursInMonth(asOf));
  if (target === 0) return [];
  return (
    workdaySessions(target, idleTimeoutMinutes / 60, asOf, random) ??
    continuousSession(target, idleTimeoutMinutes, asOf)
  );
}

function workdaySessions(
  target: number,
  tailHours: number,
  asOf: Date,
  random: SeededRandom | undefined,
): Interval[] | undefined {
  // Beyond this the idle tails of consecutive days would overlap and bill the same hours twice.
  if (WORKDAY_START_HOUR + LONGEST_WORKDAY_HOURS + tailHours > 24 + WORKDAY_START_HOUR) return undefined;
  const monthStart = monthStartUtc(asOf).getTime();
  const days: number[] = [];
  for (let day = monthStart; ; day += DAY_MS) {
    const latestBilledEnd = day + (WORKDAY_START_HOUR + LONGEST_WORKDAY_HOURS + tailHours) * HOUR_MS;
    if (latestBilledEnd > asOf.getTime()) break;
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  // As few days as hold the hours at about 8 connected hours a day, as long as each gets one.
  const count = Math.ceil(target / (8 + tailHours));
  if (count > days.length || count * (1 + tailHours) > target) return undefined;
  const connected = target - count * tailHours;
  const sessions: Interval[] = [];
  for (let i = 0; i < count; i++) {
    const day = days[Math.floor((i * days.length) / count)] as number;
    const length = Math.floor(connected / count) + (i < connected % count ? 1 : 0);
    const blockStart = day + WORKDAY_START_HOUR * HOUR_MS;
    const blockEnd = blockStart + length * HOUR_MS;
    // Any start in the first clock hour and any end in the last one bill the same hours.
    const lateStart = random ? random.int(0, 11) * 5 : 0;
    const earlyEnd = random ? random.int(0, length > 1 ? 11 : 11 - lateStart / 5) * 5 : 0;
    sessions.push({ start: blockStart + lateStart * MINUTE_MS, end: blockEnd - earlyEnd * MINUTE_MS });
  }
  return sessions;
}

// Connected from the month start (or, for fewer hours than the idle tail, until
// shortly before it) so that the running time covers exactly the first `target` hours.
function continuousSession(target: number, idleTimeoutMinutes: number, asOf: Date): Interval[] {
  const monthStart = monthStartUtc(asOf).getTime();
  const end = monthStart + target * HOUR_MS - idleTimeoutMinutes * MINUTE_MS;
  const start = end > monthStart ? monthStart : end - HOUR_MS;
  return [{ start, end }];
}
