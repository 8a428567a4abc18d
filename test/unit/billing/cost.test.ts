import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModePrices } from '../../../src/billing/index.js';
import {
  Action,
  autoStopMonthCost,
  breakEvenHours,
  costFigures,
  money,
  nextMonthProjectedHours,
  projectedBillableHours,
  RunningMode,
  switchToAlwaysOnMonthCost,
} from '../../../src/billing/index.js';

const prices = (alwaysOn: string, fee: string, hourly: string): ModePrices => ({
  currency: 'USD',
  alwaysOnMonthly: money(alwaysOn),
  autoStopMonthlyFee: money(fee),
  autoStopHourly: money(hourly),
});
const standard = prices('35', '9.75', '0.30');
const cents = (value: { toFixed(digits: number): string } | undefined) => value?.toFixed(2);

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

describe('Function: projectedBillableHours', () => {
  it.each([
    ['2026-11-15T12:00:00Z', 100, 207], // ceil(100 x 720 / 348)
    ['2027-02-10T00:00:00Z', 90, 280], // exactly 90 x 672 / 216
    ['2028-02-10T00:00:00Z', 90, 290], // 90 x 696 / 216
    ['2026-11-30T23:00:00Z', 40, 41], // ceil(40 x 720 / 719)
    ['2026-11-01T00:00:00Z', 0, 0], // nothing elapsed yet
    ['2026-11-02T00:00:00Z', 24, 720], // used every hour: capped at the month
  ])('at %s with H = %i -> %i', (asOf, hours, expected) => {
    expect(projectedBillableHours(hours, new Date(asOf))).toBe(expected);
  });

  it('carries the rate over next month at month end', () => {
    // Dec has 744 h: ceil(40 x 744 / 719) = 42
    expect(nextMonthProjectedHours(40, new Date('2026-11-30T23:00:00Z'))).toBe(42);
    // Jan 31 -> Feb 2027 (672 h): ceil(700 x 672 / 743) = 634
    expect(nextMonthProjectedHours(700, new Date('2027-01-31T23:00:00Z'))).toBe(634);
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
  });

  it('keeps the paid AlwaysOn month when usage is unknown', () => {
    const figures = costFigures({
      prices: standard,
      runningMode: RunningMode.ALWAYS_ON,
      billableHours: undefined,
      action: Action.ERROR,
      asOf: new Date('2026-11-20T00:00:00Z'),
    });
    expect(cents(figures.costToDate)).toBe('35.00');
    expect(figures.projectedOtherMode).toBeUndefined();
  });
});
