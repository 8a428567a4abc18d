import type { Interval } from '../billing/index.js';
import type { SeededRandom } from './seeded-random.js';
import type { RandomArchetype } from './usage-archetype.js';
import { UsageArchetype } from './usage-archetype.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const EVENING_MINUTE = 18 * 60;

/** A user's lasting habits: drawn once per WorkSpace, the same every month. */
interface Habits {
  readonly startMinute: number;
  readonly dayMinutes: number;
  readonly lunchBreak: boolean;
  readonly lateEvenings: boolean;
  readonly absenceRate: number;
  readonly partTimeMornings: boolean;
  readonly partTimeWeekdays: readonly number[];
  readonly shortSessionsPerDay: number;
  readonly nightStartMinute: number;
  readonly nightMinutes: number;
}

/** One day's sessions, as minute offsets from that day's 00:00 UTC (they may run past midnight). */
type MinuteSpan = readonly [start: number, end: number];

/**
 * A month of sessions for one user of `archetype`, from the previous month's
 * last evening (where some users' sessions, and so their idle tails, run into
 * this month) to the end of the month. `habits` is the WorkSpace's own stream;
 * `days` is its stream for this month, so a month's usage is the same whatever
 * day it is looked at from.
 * @returns sorted, non-overlapping sessions
 */
export function archetypeMonthSessions(
  archetype: RandomArchetype,
  habits: SeededRandom,
  days: SeededRandom,
  monthStart: number,
  nextMonthStart: number,
): Interval[] {
  const user = drawHabits(habits);
  const burstWeeks = new Set(days.sample([0, 1, 2, 3, 4], days.int(1, 3)));
  const sessions: Interval[] = [];
  const previousEvening = monthStart - DAY_MS;
  for (let day = previousEvening; day < nextMonthStart; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    const isPreviousMonth = day < monthStart;
    const week = Math.floor((day - monthStart) / (7 * DAY_MS));
    let spans = daySpans(archetype, user, days, weekday, burstWeeks.has(week));
    if (isPreviousMonth) {
      spans = spans.filter(([, end]) => end > EVENING_MINUTE);
      if (user.lateEvenings && archetype !== UsageArchetype.UNUSED) spans.push(lateEvening(days, 1260, 1380));
    }
    for (const [start, end] of spans)
      if (end > start) sessions.push({ start: day + start * MINUTE_MS, end: day + end * MINUTE_MS });
  }
  return normalizeSessions(sessions);
}

/** Sorts sessions and merges the ones that overlap or touch. */
export function normalizeSessions(sessions: readonly Interval[]): Interval[] {
  const sorted = sessions.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const session of sorted) {
    const last = merged.at(-1);
    if (last && session.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, session.end) };
    else merged.push(session);
  }
  return merged;
}

function drawHabits(random: SeededRandom): Habits {
  return {
    startMinute: random.int(450, 570),
    dayMinutes: random.int(420, 570),
    lunchBreak: random.chance(0.5),
    lateEvenings: random.chance(0.3),
    absenceRate: random.int(3, 12) / 100,
    partTimeMornings: random.chance(0.4),
    partTimeWeekdays: random.sample([1, 2, 3, 4, 5], random.int(2, 3)),
    shortSessionsPerDay: random.int(6, 14),
    nightStartMinute: random.int(1290, 1350),
    nightMinutes: random.int(450, 510),
  };
}

function daySpans(
  archetype: RandomArchetype,
  user: Habits,
  random: SeededRandom,
  weekday: number,
  burstWeek: boolean,
): MinuteSpan[] {
  const workday = weekday >= 1 && weekday <= 5;
  switch (archetype) {
    case UsageArchetype.UNUSED:
      return [];
    case UsageArchetype.FULL_TIME:
      return workday && !random.chance(user.absenceRate) ? officeDay(user, random) : [];
    case UsageArchetype.PART_TIME:
      return partTimeDay(user, random, weekday);
    case UsageArchetype.BURSTY:
      return burstyDay(random, weekday, burstWeek);
    case UsageArchetype.NIGHT_SHIFT: {
      // Shifts start Sunday to Thursday evening and end the next morning.
      if (weekday > 4 || random.chance(user.absenceRate)) return [];
      const start = user.nightStartMinute + random.int(-15, 15);
      return [[start, start + user.nightMinutes + random.int(-20, 20)]];
    }
    case UsageArchetype.SHORT_SESSIONS:
      return workday && !random.chance(user.absenceRate) ? shortSessionsDay(user, random) : [];
  }
}

function officeDay(user: Habits, random: SeededRandom): MinuteSpan[] {
  const start = user.startMinute + random.int(-20, 20);
  const end = start + user.dayMinutes + random.int(-30, 30);
  const spans: MinuteSpan[] = [];
  if (user.lunchBreak && random.chance(0.8)) {
    const lunch = 720 + random.int(-30, 30);
    spans.push([start, lunch], [lunch + random.int(30, 60), end]);
  } else {
    spans.push([start, end]);
  }
  if (user.lateEvenings && random.chance(0.15)) spans.push(lateEvening(random, 1200, 1260));
  return spans;
}

function partTimeDay(user: Habits, random: SeededRandom, weekday: number): MinuteSpan[] {
  if (weekday < 1 || weekday > 5 || random.chance(user.absenceRate)) return [];
  if (user.partTimeMornings) {
    const start = random.int(480, 540);
    return [[start, start + random.int(180, 270)]];
  }
  if (!user.partTimeWeekdays.includes(weekday)) return [];
  const start = random.int(510, 600);
  return [[start, start + random.int(240, 330)]];
}

function burstyDay(random: SeededRandom, weekday: number, burstWeek: boolean): MinuteSpan[] {
  const workday = weekday >= 1 && weekday <= 5;
  if (burstWeek && (workday || random.chance(0.6))) {
    const start = random.int(450, 540);
    const end = start + random.int(600, 780);
    const pause = random.int(720, 840);
    return [
      [start, pause],
      [pause + random.int(10, 45), end],
    ];
  }
  if (workday && random.chance(0.03)) {
    const start = random.int(540, 960);
    return [[start, start + random.int(30, 90)]];
  }
  return [];
}

function shortSessionsDay(user: Habits, random: SeededRandom): MinuteSpan[] {
  const count = Math.max(1, user.shortSessionsPerDay + random.int(-3, 3));
  const starts = Array.from({ length: count }, () => random.int(480, 1080)).sort((a, b) => a - b);
  return starts.map((start, i) => {
    const next = starts[i + 1] ?? Number.POSITIVE_INFINITY;
    return [start, Math.min(start + random.int(2, 20), next - 1)] as const;
  });
}

function lateEvening(random: SeededRandom, earliestStart: number, latestStart: number): MinuteSpan {
  const start = random.int(earliestStart, latestStart);
  return [start, Math.min(start + random.int(45, 150), 1435)];
}
