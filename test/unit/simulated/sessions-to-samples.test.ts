import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Interval } from '../../../src/billing/index.js';
import { sessionsToSamples } from '../../../src/simulated/index.js';

const MINUTE_MS = 60_000;
const at = (iso: string) => Date.parse(iso);

/** The definition, slot by slot: connected when a session overlaps [t, t + period) by a positive length. */
function bruteForce(sessions: readonly Interval[], periodMinutes: number, window: Interval): number[] {
  const period = periodMinutes * MINUTE_MS;
  const starts: number[] = [];
  for (let t = Math.ceil(window.start / period) * period; t < window.end; t += period)
    if (sessions.some((s) => s.start < t + period && s.end > t && s.end > s.start)) starts.push(t);
  return starts;
}

describe('Function: sessionsToSamples', () => {
  const window = { start: at('2026-11-01T00:00:00Z'), end: at('2026-11-02T00:00:00Z') };

  it.each([
    {
      name: 'a session inside slots marks every slot it touches',
      sessions: [{ start: at('2026-11-01T09:03:00Z'), end: at('2026-11-01T09:12:00Z') }],
      expected: ['2026-11-01T09:00:00Z', '2026-11-01T09:05:00Z', '2026-11-01T09:10:00Z'],
    },
    {
      name: 'a session ending on a slot boundary does not mark the next slot',
      sessions: [{ start: at('2026-11-01T09:00:00Z'), end: at('2026-11-01T09:10:00Z') }],
      expected: ['2026-11-01T09:00:00Z', '2026-11-01T09:05:00Z'],
    },
    {
      name: 'an empty session marks nothing',
      sessions: [{ start: at('2026-11-01T09:00:00Z'), end: at('2026-11-01T09:00:00Z') }],
      expected: [],
    },
    {
      name: 'sessions are clipped to the window',
      sessions: [{ start: at('2026-10-31T23:50:00Z'), end: at('2026-11-01T00:07:00Z') }],
      expected: ['2026-11-01T00:00:00Z', '2026-11-01T00:05:00Z'],
    },
    {
      name: 'overlapping, unsorted sessions give each slot once',
      sessions: [
        { start: at('2026-11-01T10:02:00Z'), end: at('2026-11-01T10:20:00Z') },
        { start: at('2026-11-01T10:00:00Z'), end: at('2026-11-01T10:06:00Z') },
        { start: at('2026-11-01T10:04:00Z'), end: at('2026-11-01T10:09:00Z') },
      ],
      expected: [
        '2026-11-01T10:00:00Z',
        '2026-11-01T10:05:00Z',
        '2026-11-01T10:10:00Z',
        '2026-11-01T10:15:00Z',
      ],
    },
  ])('$name', ({ sessions, expected }) => {
    // Act
    const samples = sessionsToSamples(sessions, 5, window);

    // Assert
    expect(samples).toEqual({ connectedStarts: expected.map(at), periodMinutes: 5 });
  });

  it('matches the slot-by-slot definition for any sessions, period and window', () => {
    const base = at('2026-11-01T00:00:00Z');
    const minute = fc.integer({ min: -120, max: 3 * 24 * 60 });
    const session = fc
      .tuple(minute, fc.integer({ min: -10, max: 600 }), fc.integer({ min: 0, max: 59_999 }))
      .map(([start, length, ms]) => ({
        start: base + start * MINUTE_MS + ms,
        end: base + (start + length) * MINUTE_MS + ms,
      }));
    fc.assert(
      fc.property(
        fc.array(session, { maxLength: 30 }),
        fc.constantFrom(1, 5, 15, 60),
        minute,
        fc.integer({ min: 0, max: 2 * 24 * 60 }),
        (sessions, period, windowStart, windowLength) => {
          // Arrange
          const window = {
            start: base + windowStart * MINUTE_MS,
            end: base + (windowStart + windowLength) * MINUTE_MS,
          };

          // Act
          const samples = sessionsToSamples(sessions, period, window);

          // Assert
          expect(samples.connectedStarts).toEqual(bruteForce(sessions, period, window));
        },
      ),
    );
  });

  it.each([0, -5, 2.5, Number.NaN])('rejects the period %s', (period) => {
    expect(() => sessionsToSamples([], period, window)).toThrow(/periodMinutes must be a positive integer/);
  });
});
