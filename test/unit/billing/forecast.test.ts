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
