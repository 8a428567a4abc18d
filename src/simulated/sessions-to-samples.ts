import type { ConnectedSamples, Interval } from '../billing/index.js';

const MINUTE_MS = 60_000;

/**
 * Turns connected sessions into the `UserConnected` samples CloudWatch would
 * report: a sample at `t` (on the epoch-aligned `periodMinutes` grid, with
 * `window.start <= t < window.end`) is connected when a session overlaps
 * `[t, t + period)` by a positive length. Sessions may be unsorted or
 * overlapping; empty ones (`end <= start`) count for nothing.
 *
 * Runs in time proportional to the sessions plus the samples produced.
 * @example
 * sessionsToSamples([{ start: Date.parse('2026-11-02T09:03:00Z'), end: Date.parse('2026-11-02T09:12:00Z') }], 5, window)
 * // { connectedStarts: [09:00, 09:05, 09:10], periodMinutes: 5 }
 */
export function sessionsToSamples(
  sessions: readonly Interval[],
  periodMinutes: number,
  window: Interval,
): ConnectedSamples {
  if (!Number.isInteger(periodMinutes) || periodMinutes <= 0)
    throw new RangeError(`periodMinutes must be a positive integer, got ${periodMinutes}`);
  const period = periodMinutes * MINUTE_MS;
  const firstSlot = Math.ceil(window.start / period) * period;
  const lastSlot = Math.ceil(window.end / period) * period - period;
  const connectedStarts: number[] = [];
  let lastPushed = Number.NEGATIVE_INFINITY;
  for (const session of sortedByStart(sessions)) {
    if (session.end <= session.start) continue;
    // The first slot ending after the session starts, the last slot starting before it ends.
    const from = Math.max(Math.floor(session.start / period) * period, firstSlot, lastPushed + period);
    const to = Math.min(Math.ceil(session.end / period) * period - period, lastSlot);
    for (let t = from; t <= to; t += period) connectedStarts.push(t);
    if (to >= from) lastPushed = to;
  }
  return { connectedStarts, periodMinutes };
}

function sortedByStart(sessions: readonly Interval[]): readonly Interval[] {
  for (let i = 1; i < sessions.length; i++) {
    if ((sessions[i] as Interval).start < (sessions[i - 1] as Interval).start)
      return [...sessions].sort((a, b) => a.start - b.start);
  }
  return sessions;
}
