import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModePrices, Money } from '../../../src/billing/index.js';
import {
  Action,
  autoStopMonthCost,
  breakEvenHours,
  costFigures,
  money,
  RunningMode,
  savingsFromEstimate,
  switchToAlwaysOnMonthCost,
} from '../../../src/billing/index.js';

const prices = (alwaysOn: string, fee: string, hourly: string): ModePrices => ({
  currency: 'USD',
  alwaysOnMonthly: money(alwaysOn),
  autoStopMonthlyFee: money(fee),
  autoStopHourly: money(hourly),
});
const standard = prices('35', '9.75', '0.30');
/**
 * A figure as text with two decimals, asserting it is already in whole cents:
 * `toFixed(2)` alone would round an unrounded figure here and hide it.
 */
const cents = (value: Money | undefined) => {
  if (value !== undefined)
    expect(value.decimalPlaces(), `${value.toString()} is not in whole cents`).toBeLessThanOrEqual(2);
  return value?.toFixed(2);
};

describe('Function: breakEvenHours', () => {
  it.each([
    ['35', '9.75', '0.30', 84], // 84.1666... rounded down
    ['34.75', '9.75', '0.25', 100], // exactly 100: H = 100 is not yet dearer
    ['25', '7.25', '0.22', 80], // 80.68...
    ['10', '12', '0.30', -7], // AlwaysOn below the AutoStop fee: AutoStop is dearer even at 0 h
  ])('AlwaysOn %s, fee %s, hourly %s -> %i h', (alwaysOn, fee, hourly, expected) => {
    // Act
    const hours = breakEvenHours(prices(alwaysOn, fee, hourly));
    // Assert
    expect(hours).toBe(expected);
  });

  it('has no break-even when the hourly rate is zero', () => {
    expect(breakEvenHours(prices('35', '9.75', '0'))).toBeUndefined();
  });

  it('puts AutoStop above AlwaysOn exactly when H exceeds it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 744 }),
        (alwaysOnCents, feeCents, hourlyCents, hours) => {
          const p = prices(
            money(alwaysOnCents).div(100).toString(),
            money(feeCents).div(100).toString(),
            money(hourlyCents).div(100).toString(),
          );
          const breakEven = breakEvenHours(p)!;
          const dearer = autoStopMonthCost(p, hours).greaterThan(p.alwaysOnMonthly);
          expect(dearer).toBe(hours > breakEven);
        },
      ),
    );
  });
});

describe('Function: autoStopMonthCost', () => {
  it('adds exactly, with no binary float drift', () => {
    // Arrange: 0.1 + 0.2 is 0.30000000000000004 in floats
    const p = prices('1', '0.1', '0.2');
    // Act / Assert
    expect(autoStopMonthCost(p, 1).toString()).toBe('0.3');
    expect(autoStopMonthCost(standard, 100).toString()).toBe('39.75');
  });
});

describe('Function: switchToAlwaysOnMonthCost', () => {
  it.each([
    // Nov 15 12:00: 348 h elapsed, 372 h of 720 left; 9.75 + 30 + 35 x 372/720
    ['2026-11-15T12:00:00Z', 100, '57.83'],
    // Feb 2027 (672 h): Feb 10 00:00, 216 h elapsed, 456 left; 9.75 + 27 + 35 x 456/672 = 23.75
    ['2027-02-10T00:00:00Z', 90, '60.50'],
    // Leap Feb 2028 (696 h): 480 h left; 35 x 480/696 = 24.1379...
    ['2028-02-10T00:00:00Z', 90, '60.89'],
    // 09:30: the hour in progress is billed by AutoStop, so 10 h elapsed and 710 left:
    // 9.75 + 1.50 + 35 x 710/720 = 45.7638...
    ['2026-11-01T09:30:00Z', 5, '45.76'],
  ])('at %s with %i h billed -> %s', (asOf, hours, expected) => {
    const cost = switchToAlwaysOnMonthCost(standard, hours, new Date(asOf));
    expect(cost.toDecimalPlaces(2).toFixed(2)).toBe(expected);
  });
});

describe('Function: costFigures', () => {
  it('prices a mid-month AutoStop -> AlwaysOn switch', () => {
    // Act
    const figures = costFigures({
      prices: standard,
      runningMode: RunningMode.AUTO_STOP,
      billableHours: 100,
      action: Action.TO_ALWAYS_ON,
      asOf: new Date('2026-11-15T12:00:00Z'),
    });
    // Assert: keep AutoStop 9.75 + 0.30 x 207 = 71.85; switch 57.83
    expect(cents(figures.costToDate)).toBe('39.75');
    expect(cents(figures.projectedCurrentMode)).toBe('71.85');
    expect(cents(figures.projectedOtherMode)).toBe('35.00');
    expect(cents(figures.estimatedMonthlySavings)).toBe('14.02');
    expect(cents(figures.savingsThisMonth)).toBe('14.02');
    // From December (744 h): AutoStop at ceil(100 x 744 / 348) = 214 h, 9.75 + 64.20 = 73.95, less AlwaysOn 35
    expect(figures.projectedHours).toBe(207);
    expect(figures.projectedHoursNextMonth).toBe(214);
    expect(figures.projectionBasis).toBe('month_to_date');
    expect(cents(figures.savingsPerMonthFromNextMonth)).toBe('38.95');
  });

  it('keeps a month-end switch to AutoStop out of this month: November is paid', () => {
    const figures = costFigures({
      prices: prices('1250', '21', '3.35'),
      runningMode: RunningMode.ALWAYS_ON,
      billableHours: 100,
      action: Action.TO_AUTO_STOP,
      asOf: new Date('2026-11-30T23:00:00Z'),
    });
    // December: ceil(100 x 744 / 719) = 104 h; 1,250 - (21 + 3.35 x 104) = 880.60
    expect(cents(figures.savingsThisMonth)).toBe('0.00');
    expect(cents(figures.savingsPerMonthFromNextMonth)).toBe('880.60');
    expect(figures.projectedHoursNextMonth).toBe(104);
  });

  it('saves only the last hour this month when it switches to AlwaysOn at month end, and a month from December', () => {
    const figures = costFigures({
      prices: prices('1250', '21', '3.35'),
      runningMode: RunningMode.AUTO_STOP,
      billableHours: 500,
      action: Action.TO_ALWAYS_ON,
      asOf: new Date('2026-11-30T23:00:00Z'),
    });
    // Keep: 21 + 3.35 x ceil(500 x 720 / 719) = 21 + 3.35 x 501 = 1,699.35;
    // switch: 21 + 3.35 x 500 + 1,250 x 1/720 = 1,697.7361 -> 1,697.74; December: 21 + 3.35 x 518 - 1,250
    expect(cents(figures.savingsThisMonth)).toBe('1.61');
    expect(cents(figures.savingsPerMonthFromNextMonth)).toBe('506.30');
  });

  it('projects nothing from the first hours of a month without history, and says so', () => {
    const figures = costFigures({
      prices: prices('1250', '21', '11.68'),
      runningMode: RunningMode.AUTO_STOP,
      billableHours: 3,
      action: Action.NONE,
      asOf: new Date('2026-12-01T02:17:00Z'),
    });
    // Month to date would be 21 + 11.68 x 744 = 8,710.92
    expect(figures.projectedCurrentMode).toBeUndefined();
    expect(figures.projectedHours).toBeUndefined();
    expect(figures.projectionBasis).toBe('none');
    expect(cents(figures.costToDate)).toBe('56.04');
    expect(cents(figures.savingsThisMonth)).toBe('0.00');
  });

  it("projects the first hours of a month at the previous month's rate", () => {
    const figures = costFigures({
      prices: prices('1250', '21', '11.68'),
      runningMode: RunningMode.AUTO_STOP,
      billableHours: 3,
      action: Action.NONE,
      asOf: new Date('2026-12-01T02:17:00Z'),
      previousMonth: { billableHours: 120, elapsedHours: 719 },
    });
    // 3 + ceil(120 x 741 / 719) = 127 h: 21 + 11.68 x 127
    expect(figures.projectionBasis).toBe('previous_month');
    expect(cents(figures.projectedCurrentMode)).toBe('1504.36');
  });

  it.each([
    ['2027-02-10T00:00:00Z', '93.75', '33.25'], // 672 h month
    ['2028-02-10T00:00:00Z', '96.75', '35.86'], // leap February: 696 h
  ])('prices a February switch at %s', (asOf, current, savings) => {
    const figures = costFigures({
      prices: standard,
      runningMode: RunningMode.AUTO_STOP,
      billableHours: 90,
      action: Action.TO_ALWAYS_ON,
      asOf: new Date(asOf),
    });
    expect(cents(figures.projectedCurrentMode)).toBe(current);
    expect(cents(figures.estimatedMonthlySavings)).toBe(savings);
  });

  it('reports a conversion that the projection says costs more as negative savings', () => {
    // Nov 28 00:00, 648 h elapsed, H = 86: keep 9.75 + 0.30 x 96 = 38.55; switch 9.75 + 25.80 + 3.50 = 39.05
    const figures = costFigures({
      prices: standard,
      runningMode: RunningMode.AUTO_STOP,
      billableHours: 86,
      action: Action.TO_ALWAYS_ON,
      asOf: new Date('2026-11-28T00:00:00Z'),
    });
    expect(cents(figures.estimatedMonthlySavings)).toBe('-0.50');
    expect(cents(figures.savingsThisMonth)).toBe('-0.50');
  });

  it('prices AlwaysOn -> AutoStop at month end against next month', () => {
    const figures = costFigures({
      prices: standard,
      runningMode: RunningMode.ALWAYS_ON,
      billableHours: 40,
      action: Action.TO_AUTO_STOP,
      asOf: new Date('2026-11-30T23:00:00Z'),
    });
    expect(cents(figures.costToDate)).toBe('35.00');
    expect(cents(figures.projectedCurrentMode)).toBe('35.00');
    expect(cents(figures.projectedOtherMode)).toBe('22.05'); // 9.75 + 0.30 x 41
    expect(cents(figures.estimatedMonthlySavings)).toBe('12.65'); // 35 - (9.75 + 0.30 x 42)
    expect(cents(figures.savingsThisMonth)).toBe('0.00');
    expect(cents(figures.savingsPerMonthFromNextMonth)).toBe('12.65');
  });

  it.each([
    [RunningMode.AUTO_STOP, 20, Action.NONE, '0.00'],
    [RunningMode.ALWAYS_ON, 20, Action.NONE, '0.00'],
    [RunningMode.ALWAYS_ON, 20, Action.SKIP, '0.00'],
    [RunningMode.AUTO_STOP, undefined, Action.ERROR, undefined],
    [RunningMode.MANUAL, 20, Action.SKIP, undefined],
  ])('%s with H = %s and %s saves %s', (runningMode, hours, action, expected) => {
    const figures = costFigures({
      prices: standard,
      runningMode,
      billableHours: hours,
      action,
      asOf: new Date('2026-11-20T00:00:00Z'),
    });
    expect(cents(figures.estimatedMonthlySavings)).toBe(expected);
    expect(cents(figures.savingsThisMonth)).toBe(expected);
    expect(cents(figures.savingsPerMonthFromNextMonth)).toBe(expected);
  });

  const usageUnknown = (runningMode: string) =>
    costFigures({
      prices: standard,
      runningMode,
      billableHours: undefined,
      action: Action.ERROR,
      asOf: new Date('2026-11-20T00:00:00Z'),
    });

  it('knows no figure of an AutoStop WorkSpace whose usage is unknown (its cost depends on it)', () => {
    const figures = usageUnknown(RunningMode.AUTO_STOP);
    expect(Object.values(figures).every((value) => value === undefined)).toBe(true);
  });

  it('keeps the paid AlwaysOn month when usage is unknown', () => {
    const figures = usageUnknown(RunningMode.ALWAYS_ON);
    expect(cents(figures.costToDate)).toBe('35.00');
    expect(figures.projectedOtherMode).toBeUndefined();
  });
});

describe('Function: savingsFromEstimate', () => {
  it.each([
    ['TO_ALWAYS_ON', '-1234.56', '-1234.56', undefined],
    ['TO_AUTO_STOP', '1234.56', '0.00', '1234.56'],
    ['NONE', '12.50', '0.00', '0.00'], // no conversion: it saves nothing, whatever the estimate says
  ])('splits a %s estimate of %s from before the split', (action, estimate, thisMonth, perMonth) => {
    const split = savingsFromEstimate(action, money(estimate));
    expect([cents(split.thisMonth), cents(split.perMonthFromNextMonth)]).toEqual([thisMonth, perMonth]);
  });

  it.each(['TO_ALWAYS_ON', 'TO_AUTO_STOP', 'NONE'])(
    'knows neither figure of a %s without an estimate',
    (action) => {
      expect(savingsFromEstimate(action, undefined)).toEqual({
        thisMonth: undefined,
        perMonthFromNextMonth: undefined,
      });
    },
  );
});
