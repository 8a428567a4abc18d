import type { Action } from './modes.js';
import { Action as Actions, RunningMode } from './modes.js';
import type { Money } from './money.js';
import { money, roundCents } from './money.js';
import { elapsedHoursInMonth, hoursInMonthUtc } from './month.js';
import type { ProjectionBasis, UsageSpan } from './projection.js';
import { nextMonthProjectedHours, projectedBillableHours, usageRate } from './projection.js';

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

/** One WorkSpace's money figures for its report row; `undefined` where they cannot be known. */
export interface CostFigures {
  /** Billed so far this month in the current mode (AlwaysOn: the month is paid in full). */
  readonly costToDate: Money | undefined;
  /** This month, projected to its end, if the WorkSpace keeps its current mode. */
  readonly projectedCurrentMode: Money | undefined;
  /** This month, projected, had the WorkSpace been in the other mode all month. */
  readonly projectedOtherMode: Money | undefined;
  /**
   * The saving in the first month the decision changes: this month's for a
   * switch to AlwaysOn, next month's for a switch to AutoStop (this month is
   * paid). Kept for the reports' `estimated_monthly_savings`; never add it to
   * the two figures below, it is one of them.
   */
  readonly estimatedMonthlySavings: Money | undefined;
  /** What the decision saves in `T`'s month: 0 for a switch to AutoStop (it applies next month). */
  readonly savingsThisMonth: Money | undefined;
  /** What it saves in every month from next month on, at this usage rate (the run-rate). */
  readonly savingsPerMonthFromNextMonth: Money | undefined;
  /** Billable hours projected to the end of this month (`P`); the AutoStop figures use it. */
  readonly projectedHours: number | undefined;
  /** The same rate over next month's hours (`P'`); the run-rate uses it. */
  readonly projectedHoursNextMonth: number | undefined;
  /** Where the rate of `P` and `P'` comes from; `none` leaves every figure that needs them blank. */
  readonly projectionBasis: ProjectionBasis | undefined;
}

export interface CostInput {
  readonly prices: ModePrices;
  readonly runningMode: string;
  /** `H` at `asOf`; `undefined` when usage could not be read. */
  readonly billableHours: number | undefined;
  readonly action: Action;
  readonly asOf: Date;
  /** Last month's billable hours and the hours elapsed when they were measured, if known. */
  readonly previousMonth?: UsageSpan | undefined;
}

const NOTHING: CostFigures = {
  costToDate: undefined,
  projectedCurrentMode: undefined,
  projectedOtherMode: undefined,
  estimatedMonthlySavings: undefined,
  savingsThisMonth: undefined,
  savingsPerMonthFromNextMonth: undefined,
  projectedHours: undefined,
  projectedHoursNextMonth: undefined,
  projectionBasis: undefined,
};

const ZERO = money(0);
const autoStopCents = (prices: ModePrices, hours: number | undefined) =>
  hours === undefined ? undefined : roundCents(autoStopMonthCost(prices, hours));
const minus = (a: Money | undefined, b: Money | undefined) =>
  a === undefined || b === undefined ? undefined : a.minus(b);

/**
 * Costs and savings of one WorkSpace at `asOf`, every figure rounded to cents
 * (savings are the difference of the rounded figures, so a reader can check
 * them). `P` and `P'` are the projected hours of this month and of next month
 * (`projection.ts`); a figure that needs them is `undefined` without a projection.
 *
 * - AutoStop -> AlwaysOn applies now. This month: projected AutoStop month -
 *   (hours billed + fee + AlwaysOn pro rata for the rest of the month). From
 *   next month on: AutoStop at `P'` - the AlwaysOn price.
 * - AlwaysOn -> AutoStop applies next month (this one is paid). This month: 0.
 *   From next month on: the AlwaysOn price - AutoStop at `P'`.
 * - No conversion: 0 and 0.
 * @example
 * costFigures({ prices, runningMode: 'AUTO_STOP', billableHours: 100, action: 'TO_ALWAYS_ON', asOf })
 */
export function costFigures(input: CostInput): CostFigures {
  const { prices, runningMode, billableHours: hours, action, asOf } = input;
  if (runningMode !== RunningMode.AUTO_STOP && runningMode !== RunningMode.ALWAYS_ON) return NOTHING;
  const paid = roundCents(prices.alwaysOnMonthly);
  if (hours === undefined)
    return runningMode === RunningMode.ALWAYS_ON
      ? { ...NOTHING, costToDate: paid, projectedCurrentMode: paid }
      : NOTHING;
  const rate = usageRate(hours, asOf, input.previousMonth);
  const projectedHours = projectedBillableHours(hours, asOf, rate);
  const projectedHoursNextMonth = nextMonthProjectedHours(asOf, rate);
  const autoStopThisMonth = autoStopCents(prices, projectedHours);
  const autoStopNextMonth = autoStopCents(prices, projectedHoursNextMonth);
  const projection = { projectedHours, projectedHoursNextMonth, projectionBasis: rate.basis };

  if (runningMode === RunningMode.AUTO_STOP) {
    const converts = action === Actions.TO_ALWAYS_ON;
    const thisMonth = converts
      ? minus(autoStopThisMonth, roundCents(switchToAlwaysOnMonthCost(prices, hours, asOf)))
      : ZERO;
    return {
      costToDate: roundCents(autoStopMonthCost(prices, hours)),
      projectedCurrentMode: autoStopThisMonth,
      projectedOtherMode: paid,
      estimatedMonthlySavings: thisMonth,
      savingsThisMonth: thisMonth,
      savingsPerMonthFromNextMonth: converts ? minus(autoStopNextMonth, paid) : ZERO,
      ...projection,
    };
  }
  const converts = action === Actions.TO_AUTO_STOP;
  const runRate = converts ? minus(paid, autoStopNextMonth) : ZERO;
  return {
    costToDate: paid,
    projectedCurrentMode: paid,
    projectedOtherMode: autoStopThisMonth,
    estimatedMonthlySavings: runRate,
    savingsThisMonth: ZERO,
    savingsPerMonthFromNextMonth: runRate,
    ...projection,
  };
}

/**
 * The two savings figures of a conversion recorded before they were kept
 * apart (a daily report or ledger entry with only `estimated_monthly_savings`):
 * a switch to AlwaysOn saved that this month, its run-rate is unknown; a
 * switch to AutoStop saves nothing this month and that from next month on.
 */
export function savingsFromEstimate(
  action: string,
  estimatedMonthlySavings: Money | undefined,
): { readonly thisMonth: Money | undefined; readonly perMonthFromNextMonth: Money | undefined } {
  if (estimatedMonthlySavings === undefined)
    return { thisMonth: undefined, perMonthFromNextMonth: undefined };
  if (action === Actions.TO_ALWAYS_ON)
    return { thisMonth: estimatedMonthlySavings, perMonthFromNextMonth: undefined };
  if (action === Actions.TO_AUTO_STOP)
    return { thisMonth: ZERO, perMonthFromNextMonth: estimatedMonthlySavings };
  return { thisMonth: ZERO, perMonthFromNextMonth: ZERO };
}
