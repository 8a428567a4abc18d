import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  billableHours,
  elapsedHoursInMonth,
  usageQueryWindow,
  usageWindow,
} from '../../../src/billing/index.js';
import { sessionsForBillableHours, sessionsToSamples } from '../../../src/simulated/index.js';
import { SeededRandom } from '../../../src/simulated/seeded-random.js';

function billedAt(
  sessions: ReturnType<typeof sessionsForBillableHours>,
  timeout: number,
  asOf: Date,
): number {
  const samples = sessionsToSamples(sessions, 5, usageQueryWindow(asOf, timeout, 5));
  return billableHours(samples, timeout, usageWindow(asOf));
}

describe('Function: sessionsForBillableHours', () => {
  it.each([
    { hours: 85, timeout: 60, asOf: '2026-11-30T23:00:00Z' },
    { hours: 86, timeout: 60, asOf: '2026-11-30T23:00:00Z' },
    { hours: 92, timeout: 180, asOf: '2026-11-30T23:00:00Z' },
    { hours: 334, timeout: 60, asOf: '2026-11-30T23:00:00Z' },
    { hours: 1, timeout: 240, asOf: '2026-11-30T23:00:00Z' },
    { hours: 0, timeout: 60, asOf: '2026-11-30T23:00:00Z' },
  ])('bills exactly $hours hours with a $timeout minute timeout at $asOf', ({ hours, timeout, asOf }) => {
    // Arrange
    const when = new Date(asOf);

    // Act
    const sessions = sessionsForBillableHours(hours, timeout, when);

    // Assert
    expect(billedAt(sessions, timeout, when)).toBe(hours);
  });

  it('bills every elapsed hour, no more, when asOf is too early in the month for the hours asked', () => {
    // Arrange: 2 days and 10.5 hours into the month, 59 hours elapsed
    const asOf = new Date('2026-11-03T10:30:00Z');

    // Act
    const sessions = sessionsForBillableHours(85, 60, asOf);

    // Assert
    expect(elapsedHoursInMonth(asOf)).toBe(59);
    expect(billedAt(sessions, 60, asOf)).toBe(59);
  });

  it('bills min(hours, elapsed hours) for any as-of time, timeout and target, with sessions ending before asOf', () => {
    const asOfs = fc
      .date({
        min: new Date('2024-01-01T00:00:00Z'),
        max: new Date('2030-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
    fc.assert(
      fc.property(
        asOfs,
        fc.constantFrom(60, 120, 180, 240, 480, 1200),
        fc.integer({ min: 0, max: 800 }),
        fc.option(fc.integer(), { nil: undefined }),
        (asOf, timeout, hours, jitterSeed) => {
          // Arrange
          const random = jitterSeed === undefined ? undefined : new SeededRandom(jitterSeed);

          // Act
          const sessions = sessionsForBillableHours(hours, timeout, asOf, random);

          // Assert
          expect(billedAt(sessions, timeout, asOf)).toBe(Math.min(hours, elapsedHoursInMonth(asOf)));
          for (const session of sessions) {
            expect(session.end).toBeGreaterThan(session.start);
            expect(session.end).toBeLessThan(asOf.getTime());
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    { hours: -1, timeout: 60, message: /hours must be a non-negative integer/ },
    { hours: 1.5, timeout: 60, message: /hours must be a non-negative integer/ },
    { hours: 10, timeout: 90, message: /multiple of 60/ },
    { hours: 10, timeout: 0, message: /multiple of 60/ },
  ])('rejects hours $hours with timeout $timeout', ({ hours, timeout, message }) => {
    expect(() => sessionsForBillableHours(hours, timeout, new Date('2026-11-30T23:00:00Z'))).toThrow(message);
  });
});
