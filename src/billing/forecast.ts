import type { ModePrices } from './cost.js';
import { elapsedHoursInMonth, hoursInMonthUtc } from './month.js';
import { countBefore } from './month-bill.js';

/**
 * The forecast policy (`wco replay --policy forecast`, not the contract's
 * rules): an AutoStop WorkSpace is switched to AlwaysOn as soon as the month's
 * usage so far says, with the stated confidence, that the rest of the month
 * will bill more hours than the AlwaysOn price of the rest of the month buys.
 *
 * The contract's rule waits until `H > θ`: by then the month has paid the
 * hourly rate for `θ` hours *and* pays the pro-rated AlwaysOn price for the
 * rest. Switching at `T` instead of staying AutoStop saves
 * `hourly x X - monthly x R / M` (`X` the billable hours still to come, `R`
 * the hours left of the `M`): worth it when `X > monthly x R / (M x hourly)`.
 *
 * `X` is estimated from the month so far: the usage rate `H / E` over the `R`
 * hours left, with the spread of the last full days. With `d` the billable
 * hours of each full day (24 hours ending at `T`), `X ~ H / E x R` with
 * standard deviation `sd(d) x sqrt(R / 24)` (days taken as independent: a
 * deliberately simple model, weekends make `sd(d)` large and the rule
 * cautious). The switch is made when the lower one-sided bound at the
 * confidence, `X - z x sd`, exceeds the break-even.
 */
export interface ForecastSettings {
  /** `z` of the one-sided confidence that switching is cheaper; default 1.645 (95 %). */
  readonly z: number;
  /** Full days of this month that must be seen before forecasting; default 7 (a whole week). */
  readonly minimumDays: number;
}

export const DEFAULT_FORECAST_SETTINGS: ForecastSettings = Object.freeze({ z: 1.645, minimumDays: 7 });

const HOUR_MS = 3_600_000;
const DAY_HOURS = 24;

export interface ForecastInput {
  readonly prices: ModePrices;
  /** `T`, on a whole hour. */
  readonly asOf: Date;
  /** The month's `billingStarts` (entries at or after `T` are ignored). */
  readonly billingStarts: readonly number[];
}

/**
 * True when the forecast says an AutoStop WorkSpace should switch to AlwaysOn
 * at `asOf` although it is not over its threshold yet.
 * @example
 * // A user billing ~10 h every weekday, a week into November, at the sample STANDARD prices:
 * forecastSwitchToAlwaysOn({ prices, asOf: new Date('2026-11-08T23:00:00Z'), billingStarts }) // true
 */
export function forecastSwitchToAlwaysOn(
  input: ForecastInput,
  settings: ForecastSettings = DEFAULT_FORECAST_SETTINGS,
): boolean {
  const { prices, asOf } = input;
  const monthHours = hoursInMonthUtc(asOf);
  const elapsed = elapsedHoursInMonth(asOf);
  const left = monthHours - elapsed;
  const days = Math.floor(elapsed / DAY_HOURS);
  if (
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with no hour left X and the break-even are 0: no switch either way
    left <= 0 ||
    days < settings.minimumDays ||
    // Stryker disable next-line ConditionalExpression: one day has a 0 / 0 (NaN) variance: no switch either way
    days < 2
  )
    return false;
  const hourly = prices.autoStopHourly.toNumber();
  // Stryker disable next-line EqualityOperator: a zero rate gives an infinite break-even, no switch either way
  if (!(hourly > 0)) return false;
  const t = asOf.getTime();
  const billed = countBefore(input.billingStarts, t);
  const daily: number[] = [];
  for (let day = 1; day <= days; day += 1)
    daily.push(
      countBefore(input.billingStarts, t - (day - 1) * DAY_HOURS * HOUR_MS) -
        countBefore(input.billingStarts, t - day * DAY_HOURS * HOUR_MS),
    );
  const mean = daily.reduce((sum, hours) => sum + hours, 0) / days;
  const variance = daily.reduce((sum, hours) => sum + (hours - mean) ** 2, 0) / (days - 1);
  const expected = (billed / elapsed) * left;
  const spread = Math.sqrt(variance) * Math.sqrt(left / DAY_HOURS);
  const lowerBound = expected - settings.z * spread;
  // The estimate is statistics, not money: the bills themselves are computed exactly elsewhere.
  const breakEven = (prices.alwaysOnMonthly.toNumber() * left) / (monthHours * hourly);
  return lowerBound > breakEven;
}
