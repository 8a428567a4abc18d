import { describe, expect, it } from 'vitest';
import type { ConnectedSamples } from '../../../src/billing/index.js';
import {
  billableHours,
  runningIntervals,
  toHourlySamples,
  usageQueryWindow,
  usageWindow,
} from '../../../src/billing/index.js';
import { MINUTE_MS, fiveMinuteStarts, ms, sessions, windowAt } from '../../helpers/billing.js';

const LATER_IN_NOVEMBER = '2026-11-25T00:00:00Z';

describe('Function: usageWindow', () => {
  it.each([
    { asOf: '2026-11-20T10:37:12.345Z', start: '2026-11-01T00:00:00Z' },
    { asOf: '2026-11-01T00:00:00Z', start: '2026-11-01T00:00:00Z' },
    { asOf: '2026-12-31T23:59:59.999Z', start: '2026-12-01T00:00:00Z' },
    { asOf: '2028-02-29T12:00:00Z', start: '2028-02-01T00:00:00Z' },
  ])('at $asOf is [$start, T)', ({ asOf, start }) => {
    // Act
    const window = usageWindow(new Date(asOf));

    // Assert
    expect(window).toEqual({ start: ms(start), end: ms(asOf) });
  });
});

describe('Function: usageQueryWindow', () => {
  it('widens the usage window backwards by the longest idle timeout plus one period', () => {
    // Act
    const window = usageQueryWindow(new Date('2026-11-20T10:00:00Z'), 120, 5);

    // Assert
    expect(window).toEqual({ start: ms('2026-10-31T21:55:00Z'), end: ms('2026-11-20T10:00:00Z') });
  });

  it('starts early enough: a sample before it cannot bill an hour of this month', () => {
    // Arrange
    const asOf = new Date('2026-11-20T10:00:00Z');
    const query = usageQueryWindow(asOf, 120, 5);
    const justBefore: ConnectedSamples = { connectedStarts: [query.start - 5 * MINUTE_MS], periodMinutes: 5 };
    const atStart: ConnectedSamples = { connectedStarts: [query.start + 5 * MINUTE_MS], periodMinutes: 5 };

    // Act
    const before = billableHours(justBefore, 120, usageWindow(asOf));
    const inside = billableHours(atStart, 120, usageWindow(asOf));

    // Assert
    expect(before).toBe(0);
    expect(inside).toBe(1);
  });
});

describe('Function: billableHours — worked examples', () => {
  it('contract: connected 09:15-12:14 with a 60-minute timeout runs 09:15-13:14 and bills 09..13 = 5 hours', () => {
    // Arrange: the 12:10 sample covers [12:10, 12:15)
    const usage = sessions(['2026-11-10T09:15:00Z', '2026-11-10T12:10:00Z']);
    const window = windowAt(LATER_IN_NOVEMBER);

    // Act
    const intervals = runningIntervals(usage, 60, window);
    const hours = billableHours(usage, 60, window);

    // Assert
    expect(usage.connectedStarts).toHaveLength(36);
    expect(intervals).toEqual([{ start: ms('2026-11-10T09:15:00Z'), end: ms('2026-11-10T13:15:00Z') }]);
    expect(hours).toBe(5);
  });

  it.each([
    { timeout: 0, end: '12:15', hours: 4 },
    { timeout: 60, end: '13:15', hours: 5 },
    { timeout: 120, end: '14:15', hours: 6 },
    { timeout: 240, end: '16:15', hours: 8 },
  ])(
    'the same session with a $timeout-minute timeout runs until $end: $hours hours',
    ({ timeout, end, hours }) => {
      // Arrange
      const usage = sessions(['2026-11-10T09:15:00Z', '2026-11-10T12:10:00Z']);
      const window = windowAt(LATER_IN_NOVEMBER);

      // Act
      const intervals = runningIntervals(usage, timeout, window);
      const billed = billableHours(usage, timeout, window);

      // Assert
      expect(intervals).toEqual([{ start: ms('2026-11-10T09:15:00Z'), end: ms(`2026-11-10T${end}:00Z`) }]);
      expect(billed).toBe(hours);
    },
  );

  it('two sessions whose idle tails overlap merge and bill each clock hour once (09, 10, 11)', () => {
    // Arrange: A runs [09:00, 10:30), B runs [10:20, 11:30)
    const usage = sessions(
      ['2026-11-10T09:00:00Z', '2026-11-10T09:25:00Z'],
      ['2026-11-10T10:20:00Z', '2026-11-10T10:25:00Z'],
    );
    const window = windowAt(LATER_IN_NOVEMBER);

    // Act
    const intervals = runningIntervals(usage, 60, window);
    const hours = billableHours(usage, 60, window);

    // Assert
    expect(intervals).toEqual([{ start: ms('2026-11-10T09:00:00Z'), end: ms('2026-11-10T11:30:00Z') }]);
    expect(hours).toBe(3);
  });

  it('two sessions whose intervals touch (A ends 10:30, B starts 10:30) merge into one', () => {
    // Arrange: A runs [09:00, 10:30), B runs [10:30, 11:40)
    const usage = sessions(
      ['2026-11-10T09:00:00Z', '2026-11-10T09:25:00Z'],
      ['2026-11-10T10:30:00Z', '2026-11-10T10:35:00Z'],
    );
    const window = windowAt(LATER_IN_NOVEMBER);

    // Act
    const intervals = runningIntervals(usage, 60, window);
    const hours = billableHours(usage, 60, window);

    // Assert
    expect(intervals).toEqual([{ start: ms('2026-11-10T09:00:00Z'), end: ms('2026-11-10T11:40:00Z') }]);
    expect(hours).toBe(3);
  });

  it('two sessions with a 5-minute gap stay apart, but the shared hour 10 is billed once', () => {
    // Arrange: A runs [09:00, 10:30), B runs [10:35, 11:45)
    const usage = sessions(
      ['2026-11-10T09:00:00Z', '2026-11-10T09:25:00Z'],
      ['2026-11-10T10:35:00Z', '2026-11-10T10:40:00Z'],
    );
    const window = windowAt(LATER_IN_NOVEMBER);

    // Act
    const intervals = runningIntervals(usage, 60, window);
    const hours = billableHours(usage, 60, window);

    // Assert
    expect(intervals).toEqual([
      { start: ms('2026-11-10T09:00:00Z'), end: ms('2026-11-10T10:30:00Z') },
      { start: ms('2026-11-10T10:35:00Z'), end: ms('2026-11-10T11:45:00Z') },
    ]);
    expect(hours).toBe(3);
  });

  it.each([
    { timeout: 0, hours: 1, note: 'connected 09:00-09:59 runs until 10:00: hour 10 is not touched' },
    { timeout: 60, hours: 2, note: 'runs until 11:00 exactly: hours 09 and 10, not 11' },
    { timeout: 120, hours: 3, note: 'runs until 12:00 exactly: hours 09, 10, 11' },
  ])('a session ending exactly at a clock hour, timeout $timeout: $hours ($note)', ({ timeout, hours }) => {
    // Arrange
    const usage = sessions(['2026-11-10T09:00:00Z', '2026-11-10T09:55:00Z']);

    // Act
    const billed = billableHours(usage, timeout, windowAt(LATER_IN_NOVEMBER));

    // Assert
    expect(billed).toBe(hours);
  });

  describe('clipping at T', () => {
    // Runs [08:00, 09:10) from the first session and [10:40, 11:45) from the second.
    const usage = sessions(
      ['2026-11-20T08:00:00Z', '2026-11-20T08:05:00Z'],
      ['2026-11-20T10:40:00Z', '2026-11-20T10:40:00Z'],
    );

    it.each([
      { asOf: '07:59:59', hours: 0, why: 'T before any sample' },
      { asOf: '08:00:00', hours: 0, why: 'the window ends where the first sample starts' },
      { asOf: '08:00:01', hours: 1, why: 'one second of hour 08 has run' },
      { asOf: '09:00:00', hours: 1, why: 'hour 09 lies outside [month start, T)' },
      { asOf: '09:05:00', hours: 2, why: 'hour 09 runs during [09:00, 09:05)' },
      { asOf: '10:30:00', hours: 2, why: 'hour 10 has not run before T; the 10:40 sample is after T' },
      { asOf: '10:40:00', hours: 2, why: 'the 10:40 sample starts exactly at T' },
      { asOf: '10:45:00', hours: 3, why: 'hour 10 runs during [10:40, 10:45)' },
      { asOf: '11:30:00', hours: 4, why: 'hour 11 runs during [11:00, 11:30)' },
      { asOf: '12:30:00', hours: 4, why: 'everything has stopped by 11:45' },
    ])('T = 2026-11-20 $asOf -> $hours ($why)', ({ asOf, hours }) => {
      // Act
      const billed = billableHours(usage, 60, windowAt(`2026-11-20T${asOf}Z`));

      // Assert
      expect(billed).toBe(hours);
    });
  });

  it('ignores samples after T', () => {
    // Arrange
    const asOf = '2026-11-20T12:00:00Z';
    const usage = sessions(
      ['2026-11-20T12:00:00Z', '2026-11-20T18:00:00Z'],
      ['2026-11-21T09:00:00Z', '2026-11-21T17:00:00Z'],
    );

    // Act
    const billed = billableHours(usage, 60, windowAt(asOf));

    // Assert
    expect(billed).toBe(0);
  });

  describe("the previous month's last evening", () => {
    // Connected 23:10-23:55 on Oct 31 (samples 23:10 .. 23:50).
    const usage = sessions(['2026-10-31T23:10:00Z', '2026-10-31T23:50:00Z']);

    it.each([
      { timeout: 0, hours: 0, why: 'stops at 23:55, before November' },
      { timeout: 60, hours: 1, why: 'runs until 00:55 Nov 1: hour 00 is billed in November' },
      { timeout: 120, hours: 2, why: 'runs until 01:55 Nov 1: hours 00 and 01' },
    ])('timeout $timeout counts $hours November hours ($why)', ({ timeout, hours }) => {
      // Act
      const billed = billableHours(usage, timeout, windowAt('2026-11-20T00:00:00Z'));

      // Assert
      expect(billed).toBe(hours);
    });

    it('counts none of its October hours in November', () => {
      // Act
      const intervals = runningIntervals(usage, 60, windowAt('2026-11-20T00:00:00Z'));

      // Assert
      expect(intervals).toEqual([{ start: ms('2026-11-01T00:00:00Z'), end: ms('2026-11-01T00:55:00Z') }]);
    });

    it('is billed in October for the October hour 23 when evaluated on Oct 31', () => {
      // Act
      const billed = billableHours(usage, 60, windowAt('2026-10-31T23:59:00Z'));

      // Assert
      expect(billed).toBe(1);
    });

    it('counts in November from the very first hour (T = Nov 1 00:30)', () => {
      // Act
      const billed = billableHours(usage, 60, windowAt('2026-11-01T00:30:00Z'));

      // Assert
      expect(billed).toBe(1);
    });

    it('counts nothing at T = Nov 1 00:00 (the window is empty)', () => {
      // Act
      const billed = billableHours(usage, 60, windowAt('2026-11-01T00:00:00Z'));

      // Assert
      expect(billed).toBe(0);
    });

    it('works across the year boundary (Dec 31 23:30-23:59 with I=60 bills Jan 1 hour 00 only)', () => {
      // Arrange
      const newYearsEve = sessions(['2026-12-31T23:30:00Z', '2026-12-31T23:55:00Z']);

      // Act
      const billed = billableHours(newYearsEve, 60, windowAt('2027-01-05T00:00:00Z'));

      // Assert
      expect(billed).toBe(1);
    });
  });

  it('bills every hour of November for a WorkSpace connected all month (720 at Dec 1 00:00 - 1 ms)', () => {
    // Arrange
    const usage: ConnectedSamples = {
      connectedStarts: fiveMinuteStarts('2026-10-31T20:00:00Z', '2026-12-01T05:00:00Z'),
      periodMinutes: 5,
    };

    // Act
    const billed = billableHours(usage, 60, windowAt('2026-11-30T23:59:59.999Z'));

    // Assert
    expect(billed).toBe(720);
  });

  it('bills nothing without samples', () => {
    // Act
    const billed = billableHours({ connectedStarts: [], periodMinutes: 5 }, 60, windowAt(LATER_IN_NOVEMBER));

    // Assert
    expect(billed).toBe(0);
  });

  it('does not depend on the order of samples or on duplicates', () => {
    // Arrange
    const sorted = sessions(
      ['2026-11-10T09:15:00Z', '2026-11-10T12:10:00Z'],
      ['2026-11-12T22:00:00Z', '2026-11-13T01:00:00Z'],
    );
    const shuffled: ConnectedSamples = {
      connectedStarts: [...sorted.connectedStarts].reverse().concat(sorted.connectedStarts.slice(0, 7)),
      periodMinutes: 5,
    };

    // Act
    const a = billableHours(sorted, 60, windowAt(LATER_IN_NOVEMBER));
    const b = billableHours(shuffled, 60, windowAt(LATER_IN_NOVEMBER));

    // Assert: 09..13 (5) + 22:00 Nov 12 .. 02:05 Nov 13 -> 22, 23, 00, 01, 02 (5)
    expect(a).toBe(10);
    expect(b).toBe(10);
  });

  it('treats hourly samples (period 60) as connected for the whole hour', () => {
    // Arrange: hourly samples at 09:00 and 10:00 run [09:00, 12:00) with I=60
    const usage: ConnectedSamples = {
      connectedStarts: [ms('2026-11-10T09:00:00Z'), ms('2026-11-10T10:00:00Z')],
      periodMinutes: 60,
    };

    // Act
    const billed = billableHours(usage, 60, windowAt(LATER_IN_NOVEMBER));

    // Assert
    expect(billed).toBe(3);
  });
});

describe('Function: toHourlySamples', () => {
  it('keeps one sample per clock hour that held a connected 5-minute sample', () => {
    // Arrange
    const usage: ConnectedSamples = {
      connectedStarts: [
        ms('2026-11-10T10:55:00Z'),
        ms('2026-11-10T09:15:00Z'),
        ms('2026-11-10T09:20:00Z'),
        ms('2026-11-10T09:15:00Z'),
        ms('2026-10-31T23:50:00Z'),
      ],
      periodMinutes: 5,
    };

    // Act
    const hourly = toHourlySamples(usage);

    // Assert
    expect(hourly).toEqual({
      connectedStarts: [ms('2026-10-31T23:00:00Z'), ms('2026-11-10T09:00:00Z'), ms('2026-11-10T10:00:00Z')],
      periodMinutes: 60,
    });
  });

  it('gives the contract example the same 5 hours', () => {
    // Arrange
    const usage = sessions(['2026-11-10T09:15:00Z', '2026-11-10T12:10:00Z']);

    // Act
    const billed = billableHours(toHourlySamples(usage), 60, windowAt(LATER_IN_NOVEMBER));

    // Assert
    expect(billed).toBe(5);
  });
});
