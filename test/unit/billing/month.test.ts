import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  daysInMonthUtc,
  elapsedHoursInMonth,
  hoursInMonthUtc,
  isLastDayOfMonthUtc,
  isLeapYearUtc,
  isMonthEnd,
  lastDayOfMonthUtc,
  monthOf,
  monthStartUtc,
  nextMonthStartUtc,
  previousMonthStartUtc,
} from '../../../src/billing/index.js';

const at = (iso: string): Date => new Date(iso);

describe('Function: isMonthEnd', () => {
  it.each([
    {
      month: 'February 2027 (28 days)',
      lastDay: '2027-02-28',
      dayBefore: '2027-02-27',
      nextDay: '2027-03-01',
    },
    {
      month: 'February 2028 (29 days, leap)',
      lastDay: '2028-02-29',
      dayBefore: '2028-02-28',
      nextDay: '2028-03-01',
    },
    {
      month: 'November 2026 (30 days)',
      lastDay: '2026-11-30',
      dayBefore: '2026-11-29',
      nextDay: '2026-12-01',
    },
    {
      month: 'December 2026 (31 days)',
      lastDay: '2026-12-31',
      dayBefore: '2026-12-30',
      nextDay: '2027-01-01',
    },
  ])(
    '$month: month end all of $lastDay UTC, not on $dayBefore or $nextDay',
    ({ lastDay, dayBefore, nextDay }) => {
      // Act
      const onLastDay = [
        isMonthEnd(at(`${lastDay}T00:00:00.000Z`)),
        isMonthEnd(at(`${lastDay}T12:00:00.000Z`)),
        isMonthEnd(at(`${lastDay}T23:59:59.999Z`)),
      ];
      const around = [
        isMonthEnd(at(`${dayBefore}T00:00:00.000Z`)),
        isMonthEnd(at(`${dayBefore}T23:59:59.999Z`)),
        isMonthEnd(at(`${nextDay}T00:00:00.000Z`)),
      ];

      // Assert
      expect(onLastDay).toEqual([true, true, true]);
      expect(around).toEqual([false, false, false]);
    },
  );

  it.each(['2026-11-01T00:00:00Z', '2026-11-15T10:00:00Z', '2027-02-27T23:00:00Z', '2028-02-28T12:00:00Z'])(
    'forced month end at %s is month end',
    (iso) => {
      // Act
      const unforced = isMonthEnd(at(iso));
      const forced = isMonthEnd(at(iso), true);

      // Assert
      expect(unforced).toBe(false);
      expect(forced).toBe(true);
    },
  );

  it('is not forced by default', () => {
    // Act
    const monthEnd = isMonthEnd(at('2026-11-20T10:00:00Z'));

    // Assert
    expect(monthEnd).toBe(false);
  });
});

describe('Function: isLastDayOfMonthUtc', () => {
  it.each([
    { iso: '2026-02-28T23:59:59Z', expected: true },
    { iso: '2024-02-28T23:59:59Z', expected: false },
    { iso: '2024-02-29T00:00:00Z', expected: true },
    { iso: '2026-04-30T05:00:00Z', expected: true },
    { iso: '2026-05-30T05:00:00Z', expected: false },
  ])('$iso -> $expected', ({ iso, expected }) => {
    // Act
    const last = isLastDayOfMonthUtc(at(iso));

    // Assert
    expect(last).toBe(expected);
  });
});

describe('Function: monthStartUtc', () => {
  it.each([
    { iso: '2026-11-20T10:37:12.345Z', expected: '2026-11-01T00:00:00.000Z' },
    { iso: '2026-11-01T00:00:00.000Z', expected: '2026-11-01T00:00:00.000Z' },
    { iso: '2026-10-31T23:59:59.999Z', expected: '2026-10-01T00:00:00.000Z' },
    { iso: '2028-02-29T23:00:00.000Z', expected: '2028-02-01T00:00:00.000Z' },
    { iso: '2027-01-01T00:00:00.001Z', expected: '2027-01-01T00:00:00.000Z' },
  ])('$iso -> $expected', ({ iso, expected }) => {
    // Act
    const start = monthStartUtc(at(iso));

    // Assert
    expect(start.toISOString()).toBe(expected);
  });
});

describe('Function: nextMonthStartUtc', () => {
  it.each([
    { iso: '2026-11-20T10:00:00Z', expected: '2026-12-01T00:00:00.000Z' },
    { iso: '2026-12-31T23:59:59.999Z', expected: '2027-01-01T00:00:00.000Z' },
    { iso: '2028-01-31T12:00:00Z', expected: '2028-02-01T00:00:00.000Z' },
    { iso: '2028-02-29T23:59:00Z', expected: '2028-03-01T00:00:00.000Z' },
    { iso: '2027-02-01T00:00:00Z', expected: '2027-03-01T00:00:00.000Z' },
  ])('$iso -> $expected', ({ iso, expected }) => {
    // Act
    const next = nextMonthStartUtc(at(iso));

    // Assert
    expect(next.toISOString()).toBe(expected);
  });
});

describe('Function: previousMonthStartUtc', () => {
  it.each([
    { iso: '2026-11-20T10:00:00Z', expected: '2026-10-01T00:00:00.000Z' },
    { iso: '2027-01-01T00:00:00Z', expected: '2026-12-01T00:00:00.000Z' },
    { iso: '2028-03-31T23:59:59.999Z', expected: '2028-02-01T00:00:00.000Z' },
  ])('$iso -> $expected', ({ iso, expected }) => {
    // Act
    const previous = previousMonthStartUtc(at(iso));

    // Assert
    expect(previous.toISOString()).toBe(expected);
  });
});

describe('Function: lastDayOfMonthUtc', () => {
  it.each([
    { iso: '2027-02-10T00:00:00Z', expected: '2027-02-28T00:00:00.000Z' },
    { iso: '2028-02-01T00:00:00Z', expected: '2028-02-29T00:00:00.000Z' },
    { iso: '2026-11-30T23:59:59.999Z', expected: '2026-11-30T00:00:00.000Z' },
    { iso: '2026-12-01T00:00:00Z', expected: '2026-12-31T00:00:00.000Z' },
    { iso: '2100-02-14T00:00:00Z', expected: '2100-02-28T00:00:00.000Z' },
  ])('$iso -> $expected', ({ iso, expected }) => {
    // Act
    const last = lastDayOfMonthUtc(at(iso));

    // Assert
    expect(last.toISOString()).toBe(expected);
  });
});

describe('Function: daysInMonthUtc and hoursInMonthUtc', () => {
  it.each([
    { iso: '2027-02-15T00:00:00Z', days: 28 },
    { iso: '2028-02-15T00:00:00Z', days: 29 },
    { iso: '2000-02-15T00:00:00Z', days: 29 },
    { iso: '2100-02-15T00:00:00Z', days: 28 },
    { iso: '2026-11-30T23:59:59.999Z', days: 30 },
    { iso: '2026-12-01T00:00:00Z', days: 31 },
    { iso: '2027-01-31T23:00:00Z', days: 31 },
  ])('$iso has $days days', ({ iso, days }) => {
    // Act
    const d = daysInMonthUtc(at(iso));
    const h = hoursInMonthUtc(at(iso));

    // Assert
    expect(d).toBe(days);
    expect(h).toBe(days * 24);
  });
});

describe('Function: isLeapYearUtc', () => {
  it.each([
    { year: 1900, expected: false },
    { year: 2000, expected: true },
    { year: 2100, expected: false },
    { year: 2400, expected: true },
    { year: 2024, expected: true },
    { year: 2026, expected: false },
    { year: 2027, expected: false },
    { year: 2028, expected: true },
  ])('$year -> $expected', ({ year, expected }) => {
    // Act
    const leap = isLeapYearUtc(year);

    // Assert
    expect(leap).toBe(expected);
  });
});

describe('Function: elapsedHoursInMonth', () => {
  it.each([
    { iso: '2026-11-01T00:00:00.000Z', hours: 0 },
    { iso: '2026-11-01T00:00:00.001Z', hours: 1 },
    { iso: '2026-11-01T01:00:00.000Z', hours: 1 },
    { iso: '2026-11-01T01:00:00.001Z', hours: 2 },
    { iso: '2026-11-20T10:30:00.000Z', hours: 19 * 24 + 11 },
    { iso: '2026-11-30T23:59:59.999Z', hours: 720 },
    { iso: '2027-02-28T23:00:00.000Z', hours: 671 },
    { iso: '2028-02-29T23:59:59.999Z', hours: 696 },
    { iso: '2026-12-31T23:30:00.000Z', hours: 744 },
  ])('$iso -> $hours', ({ iso, hours }) => {
    // Act
    const elapsed = elapsedHoursInMonth(at(iso));

    // Assert
    expect(elapsed).toBe(hours);
  });
});

describe('UTC month helpers under a non-UTC host time zone', () => {
  const monthModule = fileURLToPath(new URL('../../../src/billing/month.ts', import.meta.url));

  // Instants whose local calendar date differs from the UTC one in at least one of the zones,
  // plus the Los Angeles DST changes.
  const script = `
    const m = await import(${JSON.stringify(monthModule)});
    const instants = [
      '2027-02-28T23:30:00Z', '2027-03-01T00:30:00Z', '2028-02-29T10:00:00Z', '2028-02-28T23:00:00Z',
      '2026-11-30T12:00:00Z', '2026-12-01T03:00:00Z', '2026-12-31T23:59:59.999Z', '2027-01-01T03:00:00Z',
      '2026-11-01T00:00:00Z', '2026-11-01T09:30:00Z', '2026-03-08T10:30:00Z', '2026-10-31T23:30:00Z',
    ];
    const results = instants.map((iso) => {
      const t = new Date(iso);
      return {
        iso,
        monthStart: m.monthStartUtc(t).toISOString(),
        nextMonthStart: m.nextMonthStartUtc(t).toISOString(),
        lastDay: m.lastDayOfMonthUtc(t).toISOString(),
        days: m.daysInMonthUtc(t),
        hours: m.hoursInMonthUtc(t),
        monthEnd: m.isMonthEnd(t),
        elapsed: m.elapsedHoursInMonth(t),
      };
    });
    const leap = [1900, 2000, 2100, 2027, 2028].map((y) => m.isLeapYearUtc(y));
    const offsetMinutes = new Date('2027-02-28T23:30:00Z').getTimezoneOffset();
    process.stdout.write(JSON.stringify({ offsetMinutes, results, leap }));
  `;

  function runUnder(tz: string): { offsetMinutes: number; results: unknown[]; leap: boolean[] } {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    return JSON.parse(out) as { offsetMinutes: number; results: unknown[]; leap: boolean[] };
  }

  type ChildResult = ReturnType<typeof runUnder>;
  let utc: ChildResult;
  let kiritimati: ChildResult;
  let losAngeles: ChildResult;

  beforeAll(() => {
    utc = runUnder('UTC');
    kiritimati = runUnder('Pacific/Kiritimati');
    losAngeles = runUnder('America/Los_Angeles');
  });

  it('takes effect in each child process, so the comparison below is not vacuous', () => {
    // Assert
    expect(utc.offsetMinutes).toBe(0);
    expect(kiritimati.offsetMinutes).toBe(-14 * 60);
    expect(losAngeles.offsetMinutes).toBe(8 * 60);
  });

  it('gives identical results under UTC, Pacific/Kiritimati (UTC+14) and America/Los_Angeles', () => {
    // Assert
    expect(kiritimati.results).toEqual(utc.results);
    expect(losAngeles.results).toEqual(utc.results);
    expect(kiritimati.leap).toEqual([false, true, false, false, true]);
    expect(losAngeles.leap).toEqual(utc.leap);
  });

  it('gives the hand-checked UTC answers under Pacific/Kiritimati', () => {
    // Assert: 2027-02-28T23:30Z is already Mar 1 in Kiritimati but still February's month end in UTC
    expect(kiritimati.results[0]).toEqual({
      iso: '2027-02-28T23:30:00Z',
      monthStart: '2027-02-01T00:00:00.000Z',
      nextMonthStart: '2027-03-01T00:00:00.000Z',
      lastDay: '2027-02-28T00:00:00.000Z',
      days: 28,
      hours: 672,
      monthEnd: true,
      elapsed: 672,
    });
    expect(kiritimati.results[4]).toMatchObject({ iso: '2026-11-30T12:00:00Z', monthEnd: true, days: 30 });
  });

  it('gives the hand-checked UTC answers under America/Los_Angeles', () => {
    // Assert: 2027-03-01T00:30Z is still Feb 28 in Los Angeles but March in UTC
    expect(losAngeles.results[1]).toMatchObject({
      monthStart: '2027-03-01T00:00:00.000Z',
      days: 31,
      monthEnd: false,
      elapsed: 1,
    });
    expect(losAngeles.results[2]).toMatchObject({ iso: '2028-02-29T10:00:00Z', days: 29, monthEnd: true });
    expect(losAngeles.results[7]).toMatchObject({
      iso: '2027-01-01T03:00:00Z',
      monthStart: '2027-01-01T00:00:00.000Z',
      monthEnd: false,
      elapsed: 3,
    });
  });
});

describe('Function: monthOf', () => {
  it.each([
    ['2026-11-30T23:59:59.999Z', '2026-11'],
    ['2026-12-01T00:00:00Z', '2026-12'],
    ['2027-01-01T03:00:00+05:00', '2026-12'], // 2026-12-31 22:00 UTC
  ])('names the UTC month of %s: %s', (iso, month) => {
    expect(monthOf(new Date(iso))).toBe(month);
  });
});
