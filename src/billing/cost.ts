import type { Action } from './modes.js';
import { Action as Actions, RunningMode } from './modes.js';
import type { Money } from './money.js';
import { money, roundCents } from './money.js';
import { elapsedHoursInMonth, hoursInMonthUtc, nextMonthStartUtc } from './month.js';

/**
 * What one WorkSpace's bundle costs in each running mode (one currency):
 * AlwaysOn is a monthly price; AutoStop is a monthly fee plus an hourly rate.
 */
export interface ModePrices {
  readonly currency: string;
  readonly alwaysOnMonthly: Money;
  readonly autoStopMonthlyFee: Money;
  readonly autoStopHourly: Money;
}

/**
 * The break-even in whole billable hours: AutoStop costs more than AlwaysOn
 * exactly when `H > breakEvenHours`, so it is
 * `floor((AlwaysOn monthly - AutoStop fee) / AutoStop hourly)`. Negative when the
 * AlwaysOn price is below the AutoStop fee: then AutoStop is dearer at any `H`.
 * `undefined` when the hourly rate is not positive (AutoStop never costs more).
 * @example breakEvenHours({ currency: 'USD', alwaysOnMonthly: money('35'), autoStopMonthlyFee: money('9.75'), autoStopHourly: money('0.30') }) // 84
 */
export function breakEvenHours(prices: ModePrices): number | undefined {
  if (!prices.autoStopHourly.greaterThan(0)) return undefined;
  const exact = prices.alwaysOnMonthly.minus(prices.autoStopMonthlyFee).dividedBy(prices.autoStopHourly);
  return exact.floor().toNumber();
}

/** AutoStop for a month with `hours` billable hours: fee + hourly rate x hours. */
export function autoStopMonthCost(prices: ModePrices, hours: number): Money {
  return prices.autoStopMonthlyFee.plus(prices.autoStopHourly.times(hours));
}

/**
 * A month switched AutoStop -> AlwaysOn at `asOf`: the hours already billed
 * stay billed (with the AutoStop fee) and the monthly price is charged pro rata
 * for the whole hours left in the month. The hour in progress at `asOf` counts
 * as already elapsed: AutoStop is billing it.
 * @example
 * // 100 h billed by Nov 15 12:00 (348 h elapsed, 372 h left of 720):
 * switchToAlwaysOnMonthCost(prices, 100, new Date('2026-11-15T12:00:00Z'))
 * // 9.75 + 0.30 x 100 + 35 x 372 / 720 = 57.833... (unrounded)
 */
export function switchToAlwaysOnMonthCost(prices: ModePrices, billedHours: number, asOf: Date): Money {
  const total = hoursInMonthUtc(asOf);
  const left = total - elapsedHoursInMonth(asOf);
  return autoStopMonthCost(prices, billedHours).plus(prices.alwaysOnMonthly.times(left).dividedBy(total));
}

/**
 * Billable hours projected to the end of `asOf`'s month from the month-to-date
 * rate: `ceil(H x hours in month / elapsed hours)`, never below `H` and never
 * above the hours in the month. With no elapsed hour yet, `H` itself.
 * @example projectedBillableHours(40, new Date('2026-11-10T00:00:00Z')) // 40 x 720 / 216 -> 134
 */
export function projectedBillableHours(hours: number, asOf: Date): number {
  const monthHours = hoursInMonthUtc(asOf);
  const elapsed = elapsedHoursInMonth(asOf);
  if (elapsed <= 0) return hours;
  // Integers only: exact, no float drift in the ceiling.
  const projected = Math.ceil((hours * monthHours) / elapsed);
  return Math.min(monthHours, Math.max(hours, projected));
}

/** One WorkSpace's money figures for its report row; `undefined` where they cannot be known. */
export interface CostFigures {
  /** Billed so far this month in the current mode (AlwaysOn: the month is paid in full). */
  readonly costToDate: Money | undefined;
  /** This month, projected to its end, if the WorkSpace keeps its current mode. */
  readonly projectedCurrentMode: Money | undefined;
  /** This month, projected, had the WorkSpace been in the other mode all month. */
  readonly projectedOtherMode: Money | undefined;
  /**
   * What this run's decision saves against keeping the current mode: 0 when it
   * converts nothing, negative when the projection says the conversion costs more.
   */
  readonly estimatedMonthlySavings: Money | undefined;
}

export interface CostInput {
  readonly prices: ModePrices;
  readonly runningMode: string;
  /** `H` at `asOf`; `undefined` when usage could not be read. */
  readonly billableHours: number | undefined;
  readonly action: Action;
  readonly asOf: Date;
}

const NOTHING: CostFigures = {
  costToDate: undefined,
  projectedCurrentMode: undefined,
  projectedOtherMode: undefined,
  estimatedMonthlySavings: undefined,
};

/**
 * Costs and savings of one WorkSpace at `asOf`, every figure rounded to cents
 * (savings are the difference of the rounded figures, so a reader can check them).
 *
 * - AutoStop -> AlwaysOn applies now: savings = projected AutoStop month -
 *   (hours billed + fee + AlwaysOn pro rata for the rest of the month).
 * - AlwaysOn -> AutoStop applies next month (this one is paid): savings =
 *   AlwaysOn price - AutoStop at this month's usage rate over next month's hours.
 * @example
 * costFigures({ prices, runningMode: 'AUTO_STOP', billableHours: 100, action: 'TO_ALWAYS_ON', asOf })
 */
export function costFigures(input: CostInput): CostFigures {
  const { prices, runningMode, billableHours: hours, action, asOf } = input;
  if (runningMode === RunningMode.AUTO_STOP) {
    if (hours === undefined) return NOTHING;
    const current = roundCents(autoStopMonthCost(prices, projectedBillableHours(hours, asOf)));
    const savings =
      action === Actions.TO_ALWAYS_ON
        ? current.minus(roundCents(switchToAlwaysOnMonthCost(prices, hours, asOf)))
        : money(0);
    return {
      costToDate: roundCents(autoStopMonthCost(prices, hours)),
      projectedCurrentMode: current,
      projectedOtherMode: roundCents(prices.alwaysOnMonthly),
      estimatedMonthlySavings: savings,
    };
  }
  if (runningMode === RunningMode.ALWAYS_ON) {
    const paid = roundCents(prices.alwaysOnMonthly);
    if (hours === undefined) return { ...NOTHING, costToDate: paid, projectedCurrentMode: paid };
    const savings =
      action === Actions.TO_AUTO_STOP
        ? paid.minus(roundCents(autoStopMonthCost(prices, nextMonthProjectedHours(hours, asOf))))
        : money(0);
    return {
      costToDate: paid,
      projectedCurrentMode: paid,
      projectedOtherMode: roundCents(autoStopMonthCost(prices, projectedBillableHours(hours, asOf))),
      estimatedMonthlySavings: savings,
    };
  }
  return NOTHING;
}

/** This month's usage rate carried over the hours of next month: `ceil(H x next month's hours / elapsed)`. */
export function nextMonthProjectedHours(hours: number, asOf: Date): number {
  const nextMonthHours = hoursInMonthUtc(nextMonthStartUtc(asOf));
  const elapsed = elapsedHoursInMonth(asOf);
  if (elapsed <= 0) return hours;
  return Math.min(nextMonthHours, Math.ceil((hours * nextMonthHours) / elapsed));
}
