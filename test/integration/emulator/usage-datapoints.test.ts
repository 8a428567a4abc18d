import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sessionsToSamples } from '../../../src/simulated/index.js';
import type { EmulatedWorkspace } from './emulator-config.js';
import { usageDatapoints } from './usage-datapoints.js';

const HOUR_MS = 3_600_000;
const monthStart = Date.parse('2026-11-01T00:00:00Z');

const workspace = (
  sessions: { start: number; end: number }[],
  runningMode = 'AUTO_STOP',
): EmulatedWorkspace => ({
  workspaceId: 'ws-1',
  directoryId: 'd-1',
  runningMode,
  autoStopTimeoutMinutes: 60,
  sessions,
});

const connected = (points: { timestamps: number[]; values: number[] }) =>
  points.timestamps.filter((_, index) => points.values[index]! >= 1);

describe('Function: usageDatapoints', () => {
  it.each([
    // 09:15-12:14 connected: hours 09..12 connected, 13 running idle (60 min timeout), then stopped.
    ['AUTO_STOP', [9, 10, 11, 12, 13], [1, 1, 1, 1, 0]],
    // AlwaysOn reports every hour of the range, 0 when nobody is connected.
    ['ALWAYS_ON', [8, 9, 10, 11, 12, 13, 14], [0, 1, 1, 1, 1, 0, 0]],
  ])('%s: hourly Maximum of one session', (mode, hours, values) => {
    // Arrange
    const session = { start: monthStart + 9.25 * HOUR_MS, end: monthStart + 12.25 * HOUR_MS - 60_000 };

    // Act
    const points = usageDatapoints(
      workspace([session], mode),
      monthStart + 8 * HOUR_MS,
      monthStart + 15 * HOUR_MS,
      3600,
    );

    // Assert
    expect(points.timestamps).toEqual(hours.map((hour) => monthStart + hour * HOUR_MS));
    expect(points.values).toEqual(values);
  });

  it("connected periods are the simulated fleet's samples, at 5 minutes and at 1 hour", () => {
    const session = fc
      .tuple(fc.integer({ min: 0, max: 20 * 24 * 60 }), fc.integer({ min: 1, max: 14 * 60 }))
      .map(([startMinute, minutes]) => ({
        start: monthStart + startMinute * 60_000,
        end: monthStart + (startMinute + minutes) * 60_000,
      }));
    fc.assert(
      fc.property(
        fc.array(session, { maxLength: 12 }),
        fc.integer({ min: 1, max: 21 * 24 * 60 }),
        fc.constantFrom(300, 3600),
        fc.constantFrom('AUTO_STOP', 'ALWAYS_ON'),
        (drawn, endMinute, period, mode) => {
          const window = { start: monthStart, end: monthStart + endMinute * 60_000 };
          // As in a real fleet (and the simulated one), every session has ended by the query's end.
          const sessions = drawn.filter((item) => item.end <= window.end);
          const expected = sessionsToSamples(sessions, period / 60, window).connectedStarts;
          expect(
            connected(usageDatapoints(workspace(sessions, mode), window.start, window.end, period)),
          ).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
