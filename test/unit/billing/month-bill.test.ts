import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModePrices, MonthPlan, MonthUsage } from '../../../src/billing/index.js';
import {
  billableHours,
  billedHours,
  billedHoursByDay,
  billingStarts,
  cheapestMonth,
  countBefore,
  formatCents,
  hoursInMonthUtc,
  money,
  monthBill,
  monthPlans,
  RunningMode,
} from '../../../src/billing/index.js';
import { HOUR_MS, ms, sessions } from '../../helpers/billing.js';

const { AUTO_STOP, ALWAYS_ON } = RunningMode;

/** The worked example's STANDARD bundle (docs/finance.md): break-even floor(84.17) = 84. */
const STANDARD: ModePrices = {
  currency: 'USD',
  alwaysOnMonthly: money('35'),
  autoStopMonthlyFee: money('9.75'),
  autoStopHourly: money('0.30'),
};

/** Billing starts of `count` consecutive whole hours from `firstIso`. */
function hoursFrom(firstIso: string, count: number): number[] {
  return Array.from({ length: count }, (_, index) => ms(firstIso) + index * HOUR_MS);
}

function usage(monthIso: string, starts: number[], existence?: [string, string]): MonthUsage {
  return {
    monthStart: new Date(monthIso),
    billingStarts: [...starts].sort((a, b) => a - b),
    existence: existence && { start: ms(existence[0]), end: ms(existence[1]) },
  };
}

const cents = (prices: ModePrices, plan: MonthPlan, month: MonthUsage) =>
  formatCents(monthBill(prices, plan, month));

describe('The month bill on worked examples, exact to the cent', () => {
  // 100 hours before Nov 15 12:00, 50 after.
  const november = usage('2026-11-01T00:00:00Z', [
    ...hoursFrom('2026-11-02T00:00:00Z', 100),
    ...hoursFrom('2026-11-20T00:00:00Z', 50),
  ]);

  it('a mid-month switch: hours billed + fee + the AlwaysOn price for the hours left (finance.md)', () => {
    const plan: MonthPlan = { startMode: AUTO_STOP, toAlwaysOnAt: new Date('2026-11-15T12:00:00Z') };
    // 9.75 + 0.30 x 100 + 35 x 372 / 720 = 57.8333...
    expect(billedHours(plan, november)).toEqual({
      monthHours: 720,
      feeHours: 720,
      autoStopHours: 100,
      alwaysOnHours: 372,
    });
    expect(cents(STANDARD, plan, november)).toBe('57.83');
  });

  it('the same month unswitched: AutoStop is fee + rate x all its hours, AlwaysOn the monthly price', () => {
    expect(cents(STANDARD, { startMode: AUTO_STOP }, november)).toBe('54.75');
    expect(cents(STANDARD, { startMode: ALWAYS_ON }, november)).toBe('35.00');
  });

  it('a switch mid-hour: the hour in progress is AutoStop’s, billed only if it ran before the switch', () => {
    const ranInTheHour = usage('2026-11-01T00:00:00Z', hoursFrom('2026-11-15T03:00:00Z', 10));
    const at = new Date('2026-11-15T12:30:00Z');
    // Hours 03..12 ran; 12:00 started before 12:30: 10 hours, 371 hours left.
    expect(billedHours({ startMode: AUTO_STOP, toAlwaysOnAt: at }, ranInTheHour)).toMatchObject({
      autoStopHours: 10,
      alwaysOnHours: 371,
    });
    // 9.75 + 3 + 35 x 371 / 720 = 30.7847...
    expect(cents(STANDARD, { startMode: AUTO_STOP, toAlwaysOnAt: at }, ranInTheHour)).toBe('30.78');
  });

  it('February: the pro rata is over 672 hours, 696 in a leap year (finance.md)', () => {
    const february = usage('2027-02-01T00:00:00Z', hoursFrom('2027-02-01T00:00:00Z', 90));
    const plan: MonthPlan = { startMode: AUTO_STOP, toAlwaysOnAt: new Date('2027-02-10T00:00:00Z') };
    // 9.75 + 27 + 35 x 456 / 672 = 60.50
    expect(cents(STANDARD, plan, february)).toBe('60.50');
    const leap = usage('2028-02-01T00:00:00Z', hoursFrom('2028-02-01T00:00:00Z', 90));
    // 9.75 + 27 + 35 x 480 / 696 = 60.8879...
    expect(
      cents(STANDARD, { startMode: AUTO_STOP, toAlwaysOnAt: new Date('2028-02-10T00:00:00Z') }, leap),
    ).toBe('60.89');
  });

  it('a switch on the last day at 23:00: the month pays one hour of AlwaysOn, the next one the full price', () => {
    const months = [new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z')];
    const [november, december] = monthPlans(
      AUTO_STOP,
      [{ at: new Date('2026-11-30T23:00:00Z'), to: ALWAYS_ON }],
      months,
    );
    const heavy = usage('2026-11-01T00:00:00Z', hoursFrom('2026-11-01T00:00:00Z', 150));
    // 9.75 + 45 + 35 x 1 / 720 = 54.7986...
    expect(cents(STANDARD, november!, heavy)).toBe('54.80');
    expect(december).toEqual({ startMode: ALWAYS_ON });
    expect(cents(STANDARD, december!, usage('2026-12-01T00:00:00Z', []))).toBe('35.00');
  });

  it('AlwaysOn -> AutoStop takes effect next month: this month is paid, the next one bills its hours', () => {
    const months = [new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z')];
    const plans = monthPlans(ALWAYS_ON, [{ at: new Date('2026-11-30T23:00:00Z'), to: AUTO_STOP }], months);
    expect(plans).toEqual([{ startMode: ALWAYS_ON }, { startMode: AUTO_STOP, toAlwaysOnAt: undefined }]);
    const november = usage('2026-11-01T00:00:00Z', hoursFrom('2026-11-02T09:00:00Z', 40));
    const december = usage('2026-12-01T00:00:00Z', hoursFrom('2026-12-02T09:00:00Z', 30));
    expect(cents(STANDARD, plans[0]!, november)).toBe('35.00');
    // 9.75 + 0.30 x 30
    expect(cents(STANDARD, plans[1]!, december)).toBe('18.75');
  });

  it('a WorkSpace created mid-month pays the fixed amounts for the hours it existed', () => {
    const joined = usage('2026-11-01T00:00:00Z', hoursFrom('2026-11-16T09:00:00Z', 20), [
      '2026-11-16T00:00:00Z',
      '2026-12-01T00:00:00Z',
    ]);
    expect(cents(STANDARD, { startMode: ALWAYS_ON }, joined)).toBe('17.50');
    // 9.75 x 360 / 720 + 0.30 x 20 = 10.875
    expect(cents(STANDARD, { startMode: AUTO_STOP }, joined)).toBe('10.88');
  });
});

describe('monthPlans: the mode each month is billed in, from the changes applied', () => {
  const months = ['2026-10-01', '2026-11-01', '2026-12-01'].map((day) => new Date(`${day}T00:00:00Z`));

  it('a switch back to AlwaysOn cancels a pending switch to AutoStop', () => {
    const plans = monthPlans(
      ALWAYS_ON,
      [
        { at: new Date('2026-10-10T23:00:00Z'), to: AUTO_STOP },
        { at: new Date('2026-10-20T23:00:00Z'), to: ALWAYS_ON },
      ],
      months,
    );
    expect(plans.map((plan) => plan.startMode)).toEqual([ALWAYS_ON, ALWAYS_ON, ALWAYS_ON]);
  });

  it('AutoStop -> AlwaysOn then -> AutoStop in one month: switched in it, AutoStop from the next', () => {
    const plans = monthPlans(
      AUTO_STOP,
      [
        { at: new Date('2026-11-10T23:00:00Z'), to: ALWAYS_ON },
        { at: new Date('2026-11-30T23:00:00Z'), to: AUTO_STOP },
      ],
      months,
    );
    expect(plans).toEqual([
      { startMode: AUTO_STOP, toAlwaysOnAt: undefined },
      { startMode: AUTO_STOP, toAlwaysOnAt: new Date('2026-11-10T23:00:00Z') },
      { startMode: AUTO_STOP, toAlwaysOnAt: undefined },
    ]);
  });

  it('changes before the first month set the mode it starts in', () => {
    const plans = monthPlans(ALWAYS_ON, [{ at: new Date('2026-09-30T23:00:00Z'), to: AUTO_STOP }], months);
    expect(plans[0]).toEqual({ startMode: AUTO_STOP, toAlwaysOnAt: undefined });
  });
});

describe('billingStarts: when each billable hour starts to bill', () => {
  it('bills connected 09:15-12:14 with a 60-minute timeout as 09..13, the first from 09:15', () => {
    const window = { start: ms('2026-11-01T00:00:00Z'), end: ms('2026-11-30T23:00:00Z') };
    const starts = billingStarts(sessions(['2026-11-05T09:15:00Z', '2026-11-05T12:10:00Z']), 60, window);
    expect(starts.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual([
      '09:15',
      '10:00',
      '11:00',
      '12:00',
      '13:00',
    ]);
  });

  it('bills a clock hour shared by two separate runs once, from the first', () => {
    // No idle timeout: 09:00-09:15 and 09:30-09:45 do not touch, but both are in hour 09.
    const window = { start: ms('2026-11-01T00:00:00Z'), end: ms('2026-11-30T23:00:00Z') };
    const samples = sessions(
      ['2026-11-05T09:00:00Z', '2026-11-05T09:10:00Z'],
      ['2026-11-05T09:30:00Z', '2026-11-05T09:40:00Z'],
    );
    const starts = billingStarts(samples, 0, window);
    expect(starts.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['09:00']);
    expect(billableHours(samples, 0, window)).toBe(1);
  });

  it('Property: counted before any t, they are the contract’s billable hours of the window cut at t', () => {
    const start = ms('2026-11-01T00:00:00Z');
    const fiveMinutes = 5 * 60_000;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ first: fc.integer({ min: -60, max: 2000 }), count: fc.integer({ min: 1, max: 60 }) }),
          {
            maxLength: 6,
          },
        ),
        fc.constantFrom(0, 30, 60, 120, 480),
        fc.integer({ min: 0, max: 2100 * fiveMinutes }),
        (runs, timeout, cut) => {
          const samples = {
            connectedStarts: runs.flatMap(({ first, count }) =>
              Array.from({ length: count }, (_, i) => start + (first + i) * fiveMinutes),
            ),
            periodMinutes: 5,
          };
          const window = { start, end: start + 2100 * fiveMinutes };
          const starts = billingStarts(samples, timeout, window);
          expect(starts.length).toBe(billableHours(samples, timeout, window));
          expect(countBefore(starts, start + cut)).toBe(
            billableHours(samples, timeout, { start, end: start + cut }),
          );
        },
      ),
    );
  });
});

describe('cheapestMonth: the hindsight optimum of a month', () => {
  const november = new Date('2026-11-01T00:00:00Z');
  const dailyRuns = Array.from(
    { length: 30 },
    (_, day) => new Date(ms('2026-11-01T23:00:00Z') + day * 24 * HOUR_MS),
  );

  it('light use turning heavy mid-month is cheapest AutoStop, then AlwaysOn: below both whole-month modes', () => {
    // 10 hours in the first half, then 20 hours a day.
    const starts = [...hoursFrom('2026-11-03T09:00:00Z', 10)];
    for (let day = 16; day <= 30; day += 1) starts.push(...hoursFrom(`2026-11-${day}T02:00:00Z`, 20));
    const month = usage('2026-11-01T00:00:00Z', starts);
    const best = cheapestMonth(STANDARD, month, dailyRuns);
    expect(best.plan).toEqual({ startMode: AUTO_STOP, toAlwaysOnAt: new Date('2026-11-15T23:00:00Z') });
    // 9.75 + 3 + 35 x 361 / 720 = 30.2986...
    expect(formatCents(best.cost)).toBe('30.30');
    expect(best.cost.lessThan(monthBill(STANDARD, { startMode: ALWAYS_ON }, month))).toBe(true);
  });

  it('takes the whole-month modes when no switch pays', () => {
    const light = usage('2026-11-01T00:00:00Z', hoursFrom('2026-11-03T09:00:00Z', 30));
    expect(cheapestMonth(STANDARD, light, dailyRuns).plan).toEqual({ startMode: AUTO_STOP });
    const heavy = usage('2026-11-01T00:00:00Z', hoursFrom('2026-11-01T00:00:00Z', 300));
    expect(cheapestMonth(STANDARD, heavy, dailyRuns).plan).toEqual({ startMode: ALWAYS_ON });
  });

  const pricesArb = fc
    .record({
      monthly: fc.integer({ min: 1, max: 20_000 }),
      fee: fc.integer({ min: 0, max: 5_000 }),
      hourly: fc.integer({ min: 0, max: 2_000 }),
    })
    .map(({ monthly, fee, hourly }): ModePrices => ({
      currency: 'USD',
      alwaysOnMonthly: money(monthly).dividedBy(100),
      autoStopMonthlyFee: money(fee).dividedBy(100),
      autoStopHourly: money(hourly).dividedBy(1000),
    }));

  it('Property: no plan that switches at the run times costs less than the optimum', () => {
    const monthHours = hoursInMonthUtc(november);
    fc.assert(
      fc.property(
        pricesArb,
        fc.uniqueArray(fc.integer({ min: 0, max: monthHours - 1 }), { maxLength: 400 }),
        fc.option(
          fc.tuple(fc.integer({ min: 0, max: monthHours }), fc.integer({ min: 0, max: monthHours })),
          {
            nil: undefined,
          },
        ),
        fc.oneof(
          fc.constant<MonthPlan>({ startMode: ALWAYS_ON }),
          fc.constant<MonthPlan>({ startMode: AUTO_STOP }),
          fc
            .integer({ min: 0, max: 29 })
            .map((day): MonthPlan => ({ startMode: AUTO_STOP, toAlwaysOnAt: dailyRuns[day] })),
        ),
        (prices, hours, existence, plan) => {
          const month: MonthUsage = {
            monthStart: november,
            billingStarts: hours.map((hour) => november.getTime() + hour * HOUR_MS).sort((a, b) => a - b),
            existence: existence && {
              start: november.getTime() + Math.min(...existence) * HOUR_MS,
              end: november.getTime() + Math.max(...existence) * HOUR_MS,
            },
          };
          const best = cheapestMonth(prices, month, dailyRuns);
          expect(best.cost.lessThanOrEqualTo(monthBill(prices, plan, month))).toBe(true);
        },
      ),
    );
  });
});

describe('billedHours by day add up to the month', () => {
  it('for every kind of plan', () => {
    const month = usage('2026-11-01T00:00:00Z', hoursFrom('2026-11-03T09:00:00Z', 200), [
      '2026-11-02T10:00:00Z',
      '2026-11-28T18:00:00Z',
    ]);
    const plans: MonthPlan[] = [
      { startMode: ALWAYS_ON },
      { startMode: AUTO_STOP },
      { startMode: AUTO_STOP, toAlwaysOnAt: new Date('2026-11-09T23:00:00Z') },
    ];
    for (const plan of plans) {
      const days = Array.from({ length: 30 }, (_, day) =>
        billedHours(plan, month, {
          start: ms('2026-11-01T00:00:00Z') + day * 24 * HOUR_MS,
          end: ms('2026-11-01T00:00:00Z') + (day + 1) * 24 * HOUR_MS,
        }),
      );
      const sum = (key: 'feeHours' | 'autoStopHours' | 'alwaysOnHours') =>
        days.reduce((total, day) => total + day[key], 0);
      const whole = billedHours(plan, month);
      expect({
        feeHours: sum('feeHours'),
        autoStopHours: sum('autoStopHours'),
        alwaysOnHours: sum('alwaysOnHours'),
      }).toEqual({
        feeHours: whole.feeHours,
        autoStopHours: whole.autoStopHours,
        alwaysOnHours: whole.alwaysOnHours,
      });
    }
  });
});

describe('Function: billedHoursByDay', () => {
  it("splits November into its 30 days, which add up to the month's hours", () => {
    // Arrange: AutoStop, 5 hours on the 2nd and 3 on the 20th, switched to AlwaysOn on the 20th at 12:30
    const month = usage('2026-11-01T00:00:00Z', [
      ...hoursFrom('2026-11-02T09:00:00Z', 5),
      ...hoursFrom('2026-11-20T10:00:00Z', 3),
    ]);
    const plan: MonthPlan = { startMode: AUTO_STOP, toAlwaysOnAt: new Date('2026-11-20T12:30:00Z') };
    // Act
    const days = billedHoursByDay(plan, month);
    // Assert
    expect(days).toHaveLength(30);
    expect(days[0]).toEqual({ monthHours: 720, feeHours: 24, autoStopHours: 0, alwaysOnHours: 0 });
    expect(days[1]).toEqual({ monthHours: 720, feeHours: 24, autoStopHours: 5, alwaysOnHours: 0 });
    // The 20th: hours 10, 11 and 12 billed (12:00 is in progress at the switch), AlwaysOn from 13:00.
    expect(days[19]).toEqual({ monthHours: 720, feeHours: 24, autoStopHours: 3, alwaysOnHours: 11 });
    expect(days[29]).toEqual({ monthHours: 720, feeHours: 24, autoStopHours: 0, alwaysOnHours: 24 });
    const sum = (key: 'feeHours' | 'autoStopHours' | 'alwaysOnHours') =>
      days.reduce((total, day) => total + day[key], 0);
    expect([sum('feeHours'), sum('autoStopHours'), sum('alwaysOnHours')]).toEqual([720, 8, 10 * 24 + 11]);
    expect(billedHours(plan, month)).toEqual({
      monthHours: 720,
      feeHours: 720,
      autoStopHours: 8,
      alwaysOnHours: 251,
    });
  });
});

describe('A WorkSpace removed within the month', () => {
  it('is billed only up to the end of the hour it was removed in', () => {
    // Removed on November 10 at 05:20: 9 days and 6 hours (hour 05 counts whole)
    const month = usage('2026-11-01T00:00:00Z', [], ['2026-10-20T00:00:00Z', '2026-11-10T05:20:00Z']);
    expect(billedHours({ startMode: ALWAYS_ON }, month)).toEqual({
      monthHours: 720,
      feeHours: 0,
      autoStopHours: 0,
      alwaysOnHours: 9 * 24 + 6,
    });
    expect(cents(STANDARD, { startMode: ALWAYS_ON }, month)).toBe('10.79'); // 35 x 222 / 720 = 10.791...
  });
});

describe('Function: monthPlans at the edges of a month', () => {
  const nov = new Date('2026-11-15T00:00:00Z');
  const dec = new Date('2026-12-15T00:00:00Z');

  it('counts a switch at 00:00 on the 1st in that month, not the month before', () => {
    const plans = monthPlans(
      AUTO_STOP,
      [{ at: new Date('2026-12-01T00:00:00Z'), to: ALWAYS_ON }],
      [nov, dec],
    );
    expect(plans).toEqual([
      { startMode: AUTO_STOP, toAlwaysOnAt: undefined },
      { startMode: AUTO_STOP, toAlwaysOnAt: new Date('2026-12-01T00:00:00Z') },
    ]);
  });

  it('keeps the first switch to AlwaysOn of a month; a second change to AlwaysOn changes nothing', () => {
    const plans = monthPlans(
      AUTO_STOP,
      [
        { at: new Date('2026-11-10T08:00:00Z'), to: ALWAYS_ON },
        { at: new Date('2026-11-20T08:00:00Z'), to: ALWAYS_ON },
      ],
      [nov],
    );
    expect(plans).toEqual([{ startMode: AUTO_STOP, toAlwaysOnAt: new Date('2026-11-10T08:00:00Z') }]);
  });

  it('reads a change to AutoStop of an AutoStop WorkSpace as no switch at all', () => {
    const plans = monthPlans(
      AUTO_STOP,
      [{ at: new Date('2026-11-05T08:00:00Z'), to: AUTO_STOP }],
      [nov, dec],
    );
    expect(plans).toEqual([
      { startMode: AUTO_STOP, toAlwaysOnAt: undefined },
      { startMode: AUTO_STOP, toAlwaysOnAt: undefined },
    ]);
  });
});

describe('Function: cheapestMonth on a tie', () => {
  it('keeps AutoStop all month when AlwaysOn costs exactly the same (fewer switches)', () => {
    // 5 + 0.50 x 10 = 10 = the AlwaysOn price
    const prices: ModePrices = {
      currency: 'USD',
      alwaysOnMonthly: money('10'),
      autoStopMonthlyFee: money('5'),
      autoStopHourly: money('0.50'),
    };
    const best = cheapestMonth(
      prices,
      usage('2026-11-01T00:00:00Z', hoursFrom('2026-11-02T09:00:00Z', 10)),
      [],
    );
    expect(best.plan).toEqual({ startMode: AUTO_STOP });
    expect(formatCents(best.cost)).toBe('10.00');
  });
});
