import type { Interval } from '../billing/index.js';
import { daysInMonthUtc, monthStartUtc, nextMonthStartUtc } from '../billing/index.js';
import { normalizeSessions } from './archetype-sessions.js';
import type { ExtraWorkspaceKey, SimulatedFleetOptions } from './generate-simulated-fleet.js';
import { DEFAULT_SIMULATED_COUNT, generateFleetWithExtras } from './generate-simulated-fleet.js';
import { EDGE_CASE_SPECS } from './edge-case.js';
import { hashText, SeededRandom } from './seeded-random.js';
import type { SimulatedWorkspace } from './simulated-workspace.js';
import { UsageArchetype } from './usage-archetype.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const JOINER_STREAM = hashText('joiner');
const LEAVER_STREAM = hashText('leaver');
const SEASON_STREAM = hashText('season');
/** Joiner indexes are `month key x this + ordinal`: room for any month's joiners. */
const JOINERS_PER_MONTH_LIMIT = 1_000_000;

/** One account (`account`): a replay reads one account's fleet. */
export interface SimulatedHistoryOptions extends Omit<SimulatedFleetOptions, 'asOf' | 'accounts'> {
  /** Any instant of the first month and of the last. */
  readonly from: Date;
  readonly to: Date;
  /**
   * Joiners, leavers and seasons (default true). Without them the same
   * WorkSpaces are there every month and only their usage changes, month by
   * month exactly as `generateSimulatedFleet` generates it.
   */
  readonly lifecycle?: boolean;
}

/** One WorkSpace of the simulated fleet over several months. */
export interface SimulatedHistoryWorkspace extends SimulatedWorkspace {
  /** When it existed, when it was created or removed during the period; absent: the whole period. */
  readonly existence?: Interval;
}

/**
 * How a month of the year changes the fleet: hiring (joiners, as a share of
 * the ordinary WorkSpaces), leaving (the chance each WorkSpace is removed),
 * holidays (the chance a user takes one, and how long) and peaks (the chance a
 * user works evenings in the month's last ten days: quarter-end and year-end
 * closes). Northern-hemisphere office habits; made up, but shaped like real ones.
 */
interface Season {
  readonly joiners: number;
  readonly leavers: number;
  readonly holiday: number;
  readonly holidayDays: readonly [number, number];
  readonly peak: number;
}

// prettier-ignore
const SEASONS: readonly Season[] = [
  /* Jan */ { joiners: 0.04, leavers: 0.02, holiday: 0.15, holidayDays: [3, 7], peak: 0.05 },
  /* Feb */ { joiners: 0.02, leavers: 0.015, holiday: 0.2, holidayDays: [5, 9], peak: 0.05 },
  /* Mar */ { joiners: 0.02, leavers: 0.015, holiday: 0.1, holidayDays: [3, 7], peak: 0.35 },
  /* Apr */ { joiners: 0.02, leavers: 0.015, holiday: 0.25, holidayDays: [4, 9], peak: 0.05 },
  /* May */ { joiners: 0.02, leavers: 0.015, holiday: 0.15, holidayDays: [3, 7], peak: 0.05 },
  /* Jun */ { joiners: 0.02, leavers: 0.03, holiday: 0.2, holidayDays: [5, 10], peak: 0.35 },
  /* Jul */ { joiners: 0.02, leavers: 0.02, holiday: 0.45, holidayDays: [10, 18], peak: 0.02 },
  /* Aug */ { joiners: 0.01, leavers: 0.02, holiday: 0.55, holidayDays: [10, 21], peak: 0.02 },
  /* Sep */ { joiners: 0.05, leavers: 0.015, holiday: 0.1, holidayDays: [3, 7], peak: 0.35 },
  /* Oct */ { joiners: 0.02, leavers: 0.015, holiday: 0.2, holidayDays: [4, 9], peak: 0.05 },
  /* Nov */ { joiners: 0.02, leavers: 0.015, holiday: 0.1, holidayDays: [3, 7], peak: 0.1 },
  /* Dec */ { joiners: 0.01, leavers: 0.03, holiday: 0.6, holidayDays: [6, 12], peak: 0.2 },
];

/** Archetypes whose users take holidays and work late in peaks (not the unused, not the edge cases' exact hours). */
const SEASONAL = new Set<string>([
  UsageArchetype.FULL_TIME,
  UsageArchetype.PART_TIME,
  UsageArchetype.BURSTY,
  UsageArchetype.NIGHT_SHIFT,
  UsageArchetype.SHORT_SESSIONS,
]);

/**
 * The simulated fleet over the months from `from`'s to `to`'s: the fleet of
 * `generateSimulatedFleet` (its edge cases included) at the start, then month
 * by month new joiners (created on a weekday morning, any mode), leavers
 * (removed on a weekday evening; edge cases never leave) and seasons (summer
 * and year-end holidays, quarter-end evening peaks). Each user keeps their
 * habits; each month's usage is generated for that month. Deterministic for
 * the options. The sessions run from the evening before the first month (idle
 * tails into it) to the end of the last; a WorkSpace has none outside its existence.
 */
export function generateSimulatedHistory(options: SimulatedHistoryOptions): SimulatedHistoryWorkspace[] {
  const { from, to, lifecycle = true, ...fleetOptions } = options;
  const months: Date[] = [];
  for (let month = monthStartUtc(from); month <= to; month = nextMonthStartUtc(month)) months.push(month);
  if (months.length === 0) throw new RangeError('from must not be after to');
  const periodStart = months[0]!.getTime();

  const joiners: { key: ExtraWorkspaceKey; createdAt: number }[] = [];
  const generated = new Map<
    string,
    { first: SimulatedWorkspace; monthly: SimulatedWorkspace[]; createdAt?: number }
  >();
  const ordinaryCount =
    (fleetOptions.count ?? DEFAULT_SIMULATED_COUNT) -
    (fleetOptions.edgeCases === false ? 0 : EDGE_CASE_SPECS.length);
  for (const month of months) {
    const asOf = new Date(nextMonthStartUtc(month).getTime() - MINUTE_MS);
    if (lifecycle) joiners.push(...joinersOf(fleetOptions.seed, month, ordinaryCount));
    // As of the month's last minute: every session of the month is there, and the edge cases bill their exact hours at its end.
    const { fleet, extras } = generateFleetWithExtras(
      { ...fleetOptions, asOf },
      joiners.map((joiner) => joiner.key),
    );
    const record = (simulated: SimulatedWorkspace, createdAt?: number) => {
      const known = generated.get(simulated.workspace.workspaceId);
      if (known) known.monthly.push(simulated);
      else
        generated.set(simulated.workspace.workspaceId, { first: simulated, monthly: [simulated], createdAt });
    };
    fleet.forEach((simulated) => record(simulated));
    extras.forEach((simulated, index) => record(simulated, joiners[index]!.createdAt));
  }

  return [...generated.values()].map(({ first, monthly, createdAt }) => {
    const id = first.workspace.workspaceId;
    const removedAt =
      lifecycle && first.edgeCase === undefined
        ? removal(fleetOptions.seed, id, months, createdAt)
        : undefined;
    const existence =
      createdAt === undefined && removedAt === undefined
        ? undefined
        : {
            start: createdAt ?? periodStart - DAY_MS,
            end: removedAt ?? nextMonthStartUtc(months.at(-1)!).getTime(),
          };
    // Month i of `monthly` is the month the WorkSpace was first generated for, plus i.
    const offset = months.length - monthly.length;
    let sessions: Interval[] = [];
    monthly.forEach((simulated, index) => {
      const month = months[offset + index]!;
      const own =
        index === 0 && offset === 0
          ? simulated.sessions
          : clip(simulated.sessions, month.getTime(), nextMonthStartUtc(month).getTime());
      const seasonal =
        lifecycle && SEASONAL.has(simulated.archetype) ? withSeason(own, fleetOptions.seed, id, month) : own;
      sessions = sessions.concat(seasonal);
    });
    if (existence !== undefined) sessions = clip(sessions, existence.start, existence.end);
    return {
      ...first,
      sessions: normalizeSessions(sessions),
      ...(existence === undefined ? {} : { existence }),
    };
  });
}

/** The month's new joiners: a share of the ordinary fleet by the season, created on weekday mornings. */
function joinersOf(
  seed: number,
  month: Date,
  ordinaryCount: number,
): { key: ExtraWorkspaceKey; createdAt: number }[] {
  const key = monthKey(month);
  const share =
    (SEASONS[month.getUTCMonth()]!.joiners * new SeededRandom(seed, JOINER_STREAM, key).int(50, 150)) / 100;
  return Array.from({ length: Math.round(ordinaryCount * share) }, (_, ordinal) => {
    const index = key * JOINERS_PER_MONTH_LIMIT + ordinal;
    const random = new SeededRandom(seed, JOINER_STREAM, index, hashText('created'));
    return { key: { stream: JOINER_STREAM, index }, createdAt: weekdayAt(random, month, 7 * 60, 10 * 60) };
  });
}

/** `YYYY x 12 + month index`: a month's key in seed streams. */
function monthKey(month: Date): number {
  return month.getUTCFullYear() * 12 + month.getUTCMonth();
}

/** When the WorkSpace is removed, if it is during the period: a weekday evening of the month it leaves in. */
function removal(
  seed: number,
  workspaceId: string,
  months: readonly Date[],
  createdAt: number | undefined,
): number | undefined {
  for (const month of months) {
    if (createdAt !== undefined && nextMonthStartUtc(month).getTime() <= createdAt) continue;
    const random = new SeededRandom(seed, LEAVER_STREAM, hashText(workspaceId), monthKey(month));
    if (!random.chance(SEASONS[month.getUTCMonth()]!.leavers)) continue;
    const at = weekdayAt(random, month, 17 * 60, 20 * 60);
    if (createdAt === undefined || at > createdAt + 7 * DAY_MS) return at;
  }
  return undefined;
}

/** A random weekday of `month` at a random minute of the day between the two given. */
function weekdayAt(random: SeededRandom, month: Date, earliestMinute: number, latestMinute: number): number {
  const weekdays: number[] = [];
  for (let day = 0; day < daysInMonthUtc(month); day += 1) {
    const start = month.getTime() + day * DAY_MS;
    const weekday = new Date(start).getUTCDay();
    if (weekday !== 0 && weekday !== 6) weekdays.push(start);
  }
  return random.pick(weekdays) + random.int(earliestMinute, latestMinute) * MINUTE_MS;
}

/** A month's holiday (no session) and peak (evening work in its last ten days), drawn per user and month. */
function withSeason(
  sessions: readonly Interval[],
  seed: number,
  workspaceId: string,
  month: Date,
): Interval[] {
  const season = SEASONS[month.getUTCMonth()]!;
  const random = new SeededRandom(seed, SEASON_STREAM, hashText(workspaceId), monthKey(month));
  const days = daysInMonthUtc(month);
  let result: Interval[] = [...sessions];
  if (random.chance(season.holiday)) {
    const length = random.int(season.holidayDays[0], season.holidayDays[1]);
    // Year-end holidays are at the end of December; the others anywhere in the month.
    const firstDay = month.getUTCMonth() === 11 ? days - length : random.int(0, days - length);
    const start = month.getTime() + firstDay * DAY_MS;
    result = [
      ...clip(result, Number.NEGATIVE_INFINITY, start),
      ...clip(result, start + length * DAY_MS, Number.POSITIVE_INFINITY),
    ];
  }
  if (random.chance(season.peak)) {
    for (let day = days - 10; day < days; day += 1) {
      const start = month.getTime() + day * DAY_MS;
      const weekday = new Date(start).getUTCDay();
      if (weekday === 0 || weekday === 6 || !result.some((s) => s.start >= start && s.start < start + DAY_MS))
        continue;
      const evening = start + 18 * HOUR_MS + random.int(0, 60) * MINUTE_MS;
      result.push({ start: evening, end: evening + random.int(60, 180) * MINUTE_MS });
    }
  }
  return result;
}

/** The parts of `sessions` inside `[from, to)`. */
function clip(sessions: readonly Interval[], from: number, to: number): Interval[] {
  const kept: Interval[] = [];
  for (const session of sessions) {
    const start = Math.max(session.start, from);
    const end = Math.min(session.end, to);
    if (end > start) kept.push({ start, end });
  }
  return kept;
}
