import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  elapsedHoursInMonth,
  hoursInMonthUtc,
  MIN_ELAPSED_HOURS_TO_EXTRAPOLATE,
  nextMonthProjectedHours,
  projectedBillableHours,
  usageRate,
} from '../../../src/billing/index.js';

const at = (iso: string) => new Date(iso);
const project = (hours: number, iso: string, previous?: { billableHours: number; elapsedHours: number }) =>
  projectedBillableHours(hours, at(iso), usageRate(hours, at(iso), previous));

describe('Function: usageRate', () => {
  it.each([
    ['2026-12-01T02:17:00Z', 'none'], // 3 h into the month: the 8,711.28 projection
    ['2026-12-07T23:00:00Z', 'none'], // 167 h
    ['2026-12-08T00:00:00Z', 'month_to_date'], // exactly a week
    ['2026-11-30T23:00:00Z', 'month_to_date'],
  ])('at %s without history -> %s', (iso, basis) => {
    expect(usageRate(3, at(iso)).basis).toBe(basis);
  });

  it('uses the previous month early in the month, when it spans a week', () => {
    expect(usageRate(3, at('2026-12-01T02:17:00Z'), { billableHours: 120, elapsedHours: 719 })).toEqual({
      basis: 'previous_month',
      billableHours: 120,
      elapsedHours: 719,
    });
    // A previous month seen only on its 2nd day is no better than this month's 3 hours.
    expect(usageRate(3, at('2026-12-01T02:17:00Z'), { billableHours: 20, elapsedHours: 30 }).basis).toBe(
      'none',
    );
  });

  it('never takes more previous hours than their elapsed hours', () => {
    expect(usageRate(0, at('2026-12-02T00:00:00Z'), { billableHours: 900, elapsedHours: 719 })).toMatchObject(
      {
        billableHours: 719,
      },
    );
  });
});

describe('Function: projectedBillableHours', () => {
  it.each([
    ['2026-11-15T12:00:00Z', 100, 207], // ceil(100 x 720 / 348)
    ['2027-02-10T00:00:00Z', 90, 280], // exactly 90 x 672 / 216
    ['2028-02-10T00:00:00Z', 90, 290], // 90 x 696 / 216
    ['2026-11-30T23:00:00Z', 40, 41], // ceil(40 x 720 / 719)
    ['2026-11-10T00:00:00Z', 216, 720], // used every hour: the whole month, no more
  ])('at %s with H = %i -> %i (month to date)', (iso, hours, expected) => {
    expect(project(hours, iso)).toBe(expected);
  });

  it('does not extrapolate the first hours of a month', () => {
    // 1 Dec 02:17 with 3 hours used: month to date would say all 744 hours.
    expect(project(3, '2026-12-01T02:17:00Z')).toBeUndefined();
    expect(project(0, '2026-11-01T00:00:00Z')).toBeUndefined();
  });

  it('carries the previous month over the rest of this month early in the month', () => {
    // 3 h billed, 741 h left at November's 120/719: 3 + ceil(120 x 741 / 719) = 3 + 124
    expect(project(3, '2026-12-01T02:17:00Z', { billableHours: 120, elapsedHours: 719 })).toBe(127);
  });

  it('carries the rate over next month', () => {
    const rate = (hours: number, iso: string) => nextMonthProjectedHours(at(iso), usageRate(hours, at(iso)));
    // Dec has 744 h: ceil(40 x 744 / 719) = 42
    expect(rate(40, '2026-11-30T23:00:00Z')).toBe(42);
    // Jan 31 -> Feb 2027 (672 h): ceil(700 x 672 / 743) = 634
    expect(rate(700, '2027-01-31T23:00:00Z')).toBe(634);
    expect(rate(3, '2026-12-01T02:17:00Z')).toBeUndefined();
  });

  it('is between H and H + the hours left, never above the month, for any T, H and history', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2024-01-01T00:00:00Z'),
          max: new Date('2030-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.option(
          fc.record({ billableHours: fc.nat(1_000), elapsedHours: fc.integer({ min: 0, max: 744 }) }),
        ),
        (asOf, share, previous) => {
          const elapsed = elapsedHoursInMonth(asOf);
          const month = hoursInMonthUtc(asOf);
          const hours = Math.floor(share * elapsed);
          const rate = usageRate(hours, asOf, previous ?? undefined);
          const projected = projectedBillableHours(hours, asOf, rate);
          const next = nextMonthProjectedHours(asOf, rate);
          if (elapsed < MIN_ELAPSED_HOURS_TO_EXTRAPOLATE && rate.basis === 'month_to_date') return false;
          if (projected === undefined) return rate.basis === 'none' && next === undefined;
          expect(projected).toBeGreaterThanOrEqual(hours);
          expect(projected).toBeLessThanOrEqual(hours + (month - elapsed));
          expect(projected).toBeLessThanOrEqual(month);
          expect(next).toBeGreaterThanOrEqual(0);
          expect(next).toBeLessThanOrEqual(744);
          return true;
        },
      ),
    );
  });
});

describe('Function: usageRate on the edges of a usable span', () => {
  const midMonth = new Date('2026-11-15T12:00:00Z');

  it('carries forward a month with no billable hour yet: a rate of zero is a rate', () => {
    expect(usageRate(0, midMonth)).toEqual({ basis: 'month_to_date', billableHours: 0, elapsedHours: 348 });
  });

  it('does not carry forward a stored history with negative hours', () => {
    const early = new Date('2026-11-02T02:00:00Z');
    expect(usageRate(3, early, { billableHours: -5, elapsedHours: 719 })).toEqual({ basis: 'none' });
    expect(usageRate(3, early, { billableHours: 0, elapsedHours: 719 })).toEqual({
      basis: 'previous_month',
      billableHours: 0,
      elapsedHours: 719,
    });
  });
});
