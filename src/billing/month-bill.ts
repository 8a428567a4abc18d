import type { ModePrices } from './cost.js';
import type { ConvertibleMode } from './modes.js';
import { RunningMode } from './modes.js';
import type { Money } from './money.js';
import { money } from './money.js';
import { hoursInMonthUtc, monthStartUtc, nextMonthStartUtc } from './month.js';
import type { ConnectedSamples, Interval } from './usage.js';
import { runningIntervals } from './usage.js';

/**
 * The bill of one WorkSpace over whole billing months, from the contract's
 * billing facts (`docs/billing-rules.md`): AutoStop is its monthly fee plus the
 * hourly rate for every billable hour; AlwaysOn is the monthly price; a switch
 * AutoStop -> AlwaysOn takes effect at once (the hours already billed stay
 * billed with the fee, the rest of the month is the monthly price pro rata); a
 * switch AlwaysOn -> AutoStop takes effect next month. Pure: no clock, no I/O.
 */

const HOUR_MS = 3_600_000;

/**
 * When each billable clock hour of `window` starts to bill: for every UTC clock
 * hour that a running interval overlaps, the first instant it runs in that hour
 * (the hour's start, or later when the WorkSpace starts mid-hour). Ascending.
 * `H` at any `t` in the window is the number of entries before `t`, which is
 * `billableHours` for the window cut at `t`; the length is `H` for the window.
 * @example
 * // Connected 09:15-12:14 with a 60-minute timeout: runs 09:15-13:14.
 * billingStarts(samples, 60, window) // [09:15, 10:00, 11:00, 12:00, 13:00] (5 hours)
 */
export function billingStarts(
  samples: ConnectedSamples,
  idleTimeoutMinutes: number,
  window: Interval,
): number[] {
  const starts: number[] = [];
  for (const { start, end } of runningIntervals(samples, idleTimeoutMinutes, window)) {
    const firstHour = Math.floor(start / HOUR_MS) * HOUR_MS;
    for (let hour = firstHour; hour < end; hour += HOUR_MS) {
      const first = Math.max(hour, start);
      // Intervals are disjoint and do not touch, but two may share a clock hour: it bills once.
      const last = starts.at(-1);
      if (last !== undefined && Math.floor(last / HOUR_MS) * HOUR_MS === hour) continue;
      starts.push(first);
    }
  }
  return starts;
}

/** How many of the ascending `starts` lie before `t`: the hours billed by `t`. */
export function countBefore(starts: readonly number[], t: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (starts[middle]! < t) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * How one billing month is run. A month can only start in either mode (a switch
 * to AutoStop takes effect on the 1st) and, if it starts AutoStop, be switched
 * to AlwaysOn once; a switch back to AutoStop within the month changes nothing
 * in this month's bill.
 */
export type MonthPlan =
  | { readonly startMode: typeof RunningMode.ALWAYS_ON }
  | { readonly startMode: typeof RunningMode.AUTO_STOP; readonly toAlwaysOnAt?: Date | undefined };

/** One WorkSpace's usage in one billing month. */
export interface MonthUsage {
  /** 00:00 UTC on the 1st. */
  readonly monthStart: Date;
  /** `billingStarts` of the month, for the idle timeout the WorkSpace has when AutoStop. */
  readonly billingStarts: readonly number[];
  /**
   * The part of the month the WorkSpace existed (created or removed within it),
   * in epoch ms; absent: the whole month. Extended to whole clock hours.
   */
  readonly existence?: Interval | undefined;
}

/**
 * A month's hours by how they are billed; the bill is
 * `fee x feeHours / M + hourly x autoStopHours + monthly x alwaysOnHours / M`.
 */
export interface BilledHours {
  /** `M`: 672, 696, 720 or 744. */
  readonly monthHours: number;
  /** Hours the AutoStop fee is charged for: the hours it existed, when the month started AutoStop. */
  readonly feeHours: number;
  /** Billable hours charged at the hourly rate (before a switch to AlwaysOn). */
  readonly autoStopHours: number;
  /** Hours charged at the AlwaysOn price pro rata. */
  readonly alwaysOnHours: number;
}

/**
 * The hours of `plan` that fall in `part` of the month (default the whole
 * month). Parts that tile the month add up to the month's hours, so a day's
 * share of the bill is the bill of that day's hours.
 * - AlwaysOn all month: every hour it existed at the AlwaysOn rate.
 * - AutoStop: the fee for every hour it existed, and its billable hours.
 * - AutoStop switched to AlwaysOn at `t`: the hours billed before `t`, and the
 *   AlwaysOn rate from the end of `t`'s hour (the hour in progress is AutoStop's).
 */
export function billedHours(plan: MonthPlan, usage: MonthUsage, part?: Interval): BilledHours {
  const monthHours = hoursInMonthUtc(usage.monthStart);
  if (part === undefined) return hoursOfPlan(plan, usage, monthHours, 0, monthHours);
  const monthStart = usage.monthStart.getTime();
  return hoursOfPlan(
    plan,
    usage,
    monthHours,
    clamp(Math.floor((part.start - monthStart) / HOUR_MS), 0, monthHours),
    clamp(Math.ceil((part.end - monthStart) / HOUR_MS), 0, monthHours),
  );
}

/** `billedHours` of each UTC day of the month, in order, in one pass: a day's share of the month's bill. */
export function billedHoursByDay(plan: MonthPlan, usage: MonthUsage): BilledHours[] {
  const monthHours = hoursInMonthUtc(usage.monthStart);
  const days: BilledHours[] = [];
  for (let hour = 0; hour < monthHours; hour += 24)
    days.push(hoursOfPlan(plan, usage, monthHours, hour, hour + 24));
  return days;
}

// The hours `[partFrom, partTo)` of the month (in hours since its start) of `plan`.
function hoursOfPlan(
  plan: MonthPlan,
  usage: MonthUsage,
  monthHours: number,
  partFrom: number,
  partTo: number,
): BilledHours {
  const monthStart = usage.monthStart.getTime();
  const [from, to] = existenceHours(usage, monthHours);
  const low = Math.max(partFrom, from);
  const high = Math.min(partTo, to);
  // Stryker disable next-line EqualityOperator: an empty part (high = low) gives the same zeros below
  if (high <= low) return { monthHours, feeHours: 0, autoStopHours: 0, alwaysOnHours: 0 };
  if (plan.startMode === RunningMode.ALWAYS_ON)
    return { monthHours, feeHours: 0, autoStopHours: 0, alwaysOnHours: high - low };
  const switchAt = plan.toAlwaysOnAt?.getTime() ?? Number.POSITIVE_INFINITY;
  // The hour in progress at the switch is AutoStop's: AlwaysOn is charged from the next one.
  const elapsed = clamp(Math.ceil((switchAt - monthStart) / HOUR_MS), from, to);
  const autoStopFrom = monthStart + low * HOUR_MS;
  const autoStopTo = Math.min(switchAt, monthStart + high * HOUR_MS);
  return {
    monthHours,
    feeHours: high - low,
    autoStopHours:
      // Stryker disable next-line EqualityOperator: an empty span counts 0 billing starts either way
      autoStopTo <= autoStopFrom
        ? 0
        : countBefore(usage.billingStarts, autoStopTo) - countBefore(usage.billingStarts, autoStopFrom),
    alwaysOnHours: Math.max(0, high - Math.max(elapsed, low)),
  };
}

/**
 * The exact (unrounded) amount of `hours` at `prices`.
 * @example
 * // November, switched to AlwaysOn on the 15th at 12:00 after 100 billable hours:
 * billedAmount(prices, { monthHours: 720, feeHours: 720, autoStopHours: 100, alwaysOnHours: 372 })
 * // 9.75 + 0.30 x 100 + 35 x 372 / 720 = 57.8333...
 */
export function billedAmount(prices: ModePrices, hours: BilledHours): Money {
  return prices.autoStopMonthlyFee
    .times(hours.feeHours)
    .plus(prices.alwaysOnMonthly.times(hours.alwaysOnHours))
    .dividedBy(hours.monthHours)
    .plus(prices.autoStopHourly.times(hours.autoStopHours));
}

/** The exact bill of one month run as `plan`. */
export function monthBill(prices: ModePrices, plan: MonthPlan, usage: MonthUsage): Money {
  return billedAmount(prices, billedHours(plan, usage));
}

/** A running-mode change wco (or another policy) applied: when, and to which mode. */
export interface ModeChange {
  readonly at: Date;
  readonly to: ConvertibleMode;
}

/**
 * The plan of every month in `months` (any instant of each, ascending) for a
 * WorkSpace in `startMode` at the start of the first one, given the changes
 * applied to it (ascending). A change to AlwaysOn takes effect at once (a
 * pending switch to AutoStop is cancelled by it); a change to AutoStop takes
 * effect on the next 1st. Changes before the first month only set the mode it starts in.
 * @example
 * monthPlans('ALWAYS_ON', [{ at: new Date('2026-11-30T23:00:00Z'), to: 'AUTO_STOP' }], [nov, dec])
 * // [{ startMode: 'ALWAYS_ON' }, { startMode: 'AUTO_STOP' }]
 */
export function monthPlans(
  startMode: ConvertibleMode,
  changes: readonly ModeChange[],
  months: readonly Date[],
): MonthPlan[] {
  let billed: ConvertibleMode = startMode;
  let pending: ConvertibleMode | undefined;
  let next = 0;
  const plans: MonthPlan[] = [];
  for (const month of months) {
    const start = monthStartUtc(month).getTime();
    const end = nextMonthStartUtc(month).getTime();
    // Everything up to the start of this month decides the mode it starts in.
    for (; next < changes.length && changes[next]!.at.getTime() < start; next += 1)
      [billed, pending] = apply(billed, pending, changes[next]!.to);
    if (pending !== undefined) [billed, pending] = [pending, undefined];
    const monthStartMode = billed;
    let toAlwaysOnAt: Date | undefined;
    for (; next < changes.length && changes[next]!.at.getTime() < end; next += 1) {
      const change = changes[next]!;
      if (billed === RunningMode.AUTO_STOP && change.to === RunningMode.ALWAYS_ON) toAlwaysOnAt = change.at;
      [billed, pending] = apply(billed, pending, change.to);
    }
    plans.push(
      monthStartMode === RunningMode.ALWAYS_ON
        ? { startMode: RunningMode.ALWAYS_ON }
        : { startMode: RunningMode.AUTO_STOP, toAlwaysOnAt },
    );
    if (pending !== undefined) [billed, pending] = [pending, undefined];
  }
  return plans;
}

// The billed mode and the mode waiting for the next 1st, after a change to `to`.
function apply(
  billed: ConvertibleMode,
  pending: ConvertibleMode | undefined,
  to: ConvertibleMode,
): [ConvertibleMode, ConvertibleMode | undefined] {
  if (to === RunningMode.ALWAYS_ON) return [RunningMode.ALWAYS_ON, undefined];
  // Stryker disable next-line ConditionalExpression: AutoStop pending on AutoStop is AutoStop at the next 1st: the same plans
  return billed === RunningMode.AUTO_STOP ? [billed, undefined] : [billed, RunningMode.AUTO_STOP];
}

/** The cheapest way a month could have been run, and its exact bill. */
export interface CheapestMonth {
  readonly plan: MonthPlan;
  readonly hours: BilledHours;
  readonly cost: Money;
}

/**
 * The hindsight optimum of one month: the cheapest of AlwaysOn all month,
 * AutoStop all month, and AutoStop switched to AlwaysOn at any of
 * `switchTimes` (the times a policy could act, e.g. the daily runs). Knowing the
 * month's real hours, no policy that switches only at those times pays less
 * for the month. A switch can beat both whole-month modes: light use that
 * turns heavy mid-month (a new joiner) is cheapest AutoStop, then AlwaysOn.
 * Ties go to the plan with fewer switches. Compared in exact integers.
 */
export function cheapestMonth(
  prices: ModePrices,
  usage: MonthUsage,
  switchTimes: readonly Date[],
): CheapestMonth {
  const monthStart = usage.monthStart.getTime();
  const monthEnd = nextMonthStartUtc(usage.monthStart).getTime();
  const candidates: MonthPlan[] = [
    { startMode: RunningMode.AUTO_STOP },
    { startMode: RunningMode.ALWAYS_ON },
    // A switch before the month costs the fee on top of AlwaysOn and one after it is AutoStop all
    // month, so neither can beat the plans above (ties keep the first): mutating the filter is equivalent.
    // Stryker disable next-line MethodExpression: see above
    ...switchTimes
      // Stryker disable next-line all: see above
      .filter((t) => t.getTime() >= monthStart && t.getTime() < monthEnd)
      .map((t): MonthPlan => ({ startMode: RunningMode.AUTO_STOP, toAlwaysOnAt: t })),
  ];
  const scaled = scaledPrices(prices);
  const monthHours = hoursInMonthUtc(usage.monthStart);
  let best: { plan: MonthPlan; hours: BilledHours; key: bigint } | undefined;
  for (const plan of candidates) {
    const hours = hoursOfPlan(plan, usage, monthHours, 0, monthHours);
    // The bill times M, in units of the prices' smallest decimal place: exact, and fast to compare.
    const key =
      scaled.fee * BigInt(hours.feeHours) +
      scaled.monthly * BigInt(hours.alwaysOnHours) +
      scaled.hourly * BigInt(hours.autoStopHours) * BigInt(hours.monthHours);
    if (best === undefined || key < best.key) best = { plan, hours, key };
  }
  return { plan: best!.plan, hours: best!.hours, cost: billedAmount(prices, best!.hours) };
}

function scaledPrices(prices: ModePrices): { fee: bigint; monthly: bigint; hourly: bigint } {
  const amounts = [prices.autoStopMonthlyFee, prices.alwaysOnMonthly, prices.autoStopHourly];
  const places = Math.max(...amounts.map((amount) => amount.decimalPlaces()));
  const scale = money(10).pow(places);
  const [fee, monthly, hourly] = amounts.map((amount) => BigInt(amount.times(scale).toFixed(0)));
  return { fee: fee!, monthly: monthly!, hourly: hourly! };
}

function existenceHours(usage: MonthUsage, monthHours: number): [number, number] {
  if (usage.existence === undefined) return [0, monthHours];
  const monthStart = usage.monthStart.getTime();
  const from = clamp(Math.floor((usage.existence.start - monthStart) / HOUR_MS), 0, monthHours);
  const to = clamp(Math.ceil((usage.existence.end - monthStart) / HOUR_MS), 0, monthHours);
  return [from, Math.max(from, to)];
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
