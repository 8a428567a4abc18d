import { describe, expect, it } from 'vitest';
import type { ModePrices } from '../../../src/billing/index.js';
import { forecastSwitchToAlwaysOn, money } from '../../../src/billing/index.js';
import { HOUR_MS, ms } from '../../helpers/billing.js';

const STANDARD: ModePrices = {
  currency: 'USD',
  alwaysOnMonthly: money('35'),
  autoStopMonthlyFee: money('9.75'),
  autoStopHourly: money('0.30'),
};

/** `hoursPerWeekday` billed hours from 09:00 on every weekday of November 2026 before `untilIso`. */
function weekdays(hoursPerWeekday: number, untilIso: string, fromDay = 1): number[] {
  const starts: number[] = [];
  for (let day = fromDay; day <= 30; day += 1) {
    const start = Date.UTC(2026, 10, day, 9);
    const weekday = new Date(start).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let hour = 0; hour < hoursPerWeekday; hour += 1)
      if (start + hour * HOUR_MS < ms(untilIso)) starts.push(start + hour * HOUR_MS);
  }
  return starts;
}

describe('forecastSwitchToAlwaysOn', () => {
  it('switches a steady 10-hours-a-weekday user after a week, well before the threshold (85 h)', () => {
    const asOf = '2026-11-09T23:00:00Z';
    const starts = weekdays(10, asOf);
    // 60 hours by then: the threshold rule would wait for hour 86, around Nov 13.
    expect(starts).toHaveLength(60);
    expect(forecastSwitchToAlwaysOn({ prices: STANDARD, asOf: new Date(asOf), billingStarts: starts })).toBe(
      true,
    );
  });

  it('keeps a light user (3 hours a weekday: about 66 hours a month) on AutoStop', () => {
    const asOf = '2026-11-20T23:00:00Z';
    expect(
      forecastSwitchToAlwaysOn({ prices: STANDARD, asOf: new Date(asOf), billingStarts: weekdays(3, asOf) }),
    ).toBe(false);
  });

  it('does not forecast before a full week of the month', () => {
    const asOf = '2026-11-06T23:00:00Z';
    expect(
      forecastSwitchToAlwaysOn({ prices: STANDARD, asOf: new Date(asOf), billingStarts: weekdays(14, asOf) }),
    ).toBe(false);
  });

  it('is cautious with erratic use: one long burst, then nothing, is not a trend', () => {
    const asOf = '2026-11-12T23:00:00Z';
    // 70 hours on Nov 2-4, nothing since.
    const starts = Array.from({ length: 70 }, (_, hour) => ms('2026-11-02T00:00:00Z') + hour * HOUR_MS);
    expect(forecastSwitchToAlwaysOn({ prices: STANDARD, asOf: new Date(asOf), billingStarts: starts })).toBe(
      false,
    );
  });

  it('does not switch at the month’s last run: one hour is left, too little to be sure of', () => {
    const asOf = '2026-11-30T23:00:00Z';
    const starts = weekdays(10, asOf);
    expect(forecastSwitchToAlwaysOn({ prices: STANDARD, asOf: new Date(asOf), billingStarts: starts })).toBe(
      false,
    );
  });

  it('never switches without an hourly rate', () => {
    const asOf = '2026-11-09T23:00:00Z';
    const free = { ...STANDARD, autoStopHourly: money(0) };
    expect(
      forecastSwitchToAlwaysOn({ prices: free, asOf: new Date(asOf), billingStarts: weekdays(10, asOf) }),
    ).toBe(false);
  });
});

/** Billing starts of `hours` hours from 09:00 on each November day, `hoursByDay[0]` on the 1st. */
function daily(hoursByDay: readonly number[]): number[] {
  return hoursByDay.flatMap((hours, index) =>
    Array.from({ length: hours }, (_, hour) => Date.UTC(2026, 10, index + 1, 9 + hour)),
  );
}

describe('forecastSwitchToAlwaysOn, worked out by hand', () => {
  // Ten full days by Nov 11 00:00 (E = 240, R = 480): 8 hours on the weekdays, none on the weekend.
  // H = 56; mean 5.6; sample variance (7 x 2.4² + 3 x 5.6²) / 9 = 134.4 / 9; sd = 3.8644.
  // X = 56 / 240 x 480 = 112; spread = 3.8644 x sqrt(480 / 24) = 17.282;
  // break-even 35 x 480 / (720 x 0.30) = 77.78; so the decision turns at z = (112 - 77.78) / 17.282 = 1.9802.
  const asOf = new Date('2026-11-11T00:00:00Z');
  const billingStarts = daily([0, 8, 8, 8, 8, 8, 0, 0, 8, 8]);

  it.each([
    [1.97, true],
    [1.99, false],
  ])('at z = %s switches: %s', (z, expected) => {
    expect(billingStarts).toHaveLength(56);
    expect(forecastSwitchToAlwaysOn({ prices: STANDARD, asOf, billingStarts }, { z, minimumDays: 7 })).toBe(
      expected,
    );
  });

  it('does not switch when the lower bound only equals the break-even', () => {
    // 2 hours every day, no spread: X = 20 / 240 x 480 = 40 = 30 x 480 / (720 x 0.50), the break-even.
    const even: ModePrices = { ...STANDARD, alwaysOnMonthly: money('30'), autoStopHourly: money('0.50') };
    const starts = daily(Array.from({ length: 10 }, () => 2));
    expect(forecastSwitchToAlwaysOn({ prices: even, asOf, billingStarts: starts })).toBe(false);
    // 3 hours a day, no spread: X = 60, above it.
    const more = daily(Array.from({ length: 10 }, () => 3));
    expect(forecastSwitchToAlwaysOn({ prices: even, asOf, billingStarts: more })).toBe(true);
  });

  it('forecasts once exactly the minimum number of full days has passed', () => {
    // Nov 8 00:00: 7 full days, 5 of them with 10 hours: X = 50 / 168 x 552 = 164 against a break-even of 89.4.
    const week = new Date('2026-11-08T00:00:00Z');
    const starts = daily([0, 10, 10, 10, 10, 10, 0]);
    expect(forecastSwitchToAlwaysOn({ prices: STANDARD, asOf: week, billingStarts: starts })).toBe(true);
  });

  it('needs two full days whatever the minimum (one day has no spread to measure)', () => {
    const steady = daily([20, 20]);
    const settings = { z: 1.645, minimumDays: 0 };
    // Two full days at 20 hours: forecast; one day and 23 hours: none.
    expect(
      forecastSwitchToAlwaysOn(
        { prices: STANDARD, asOf: new Date('2026-11-03T00:00:00Z'), billingStarts: steady },
        settings,
      ),
    ).toBe(true);
    expect(
      forecastSwitchToAlwaysOn(
        { prices: STANDARD, asOf: new Date('2026-11-02T23:00:00Z'), billingStarts: steady },
        settings,
      ),
    ).toBe(false);
  });

  it('never switches on a negative hourly rate (a broken price, not a bargain)', () => {
    const broken = { ...STANDARD, autoStopHourly: money('-0.30') };
    expect(forecastSwitchToAlwaysOn({ prices: broken, asOf, billingStarts })).toBe(false);
  });
});
