import { monthStartUtc } from './month.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** A half-open time interval `[start, end)` in epoch milliseconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/**
 * `UserConnected` samples whose Maximum was >= 1, as the start times (epoch ms)
 * of their periods. A sample at `t` means "connected during `[t, t + period)`".
 * The contract's resolution is 5 minutes; hourly samples give the same billable
 * hours for whole-hour idle timeouts only under the condition in `billableHours`.
 */
export interface ConnectedSamples {
  readonly connectedStarts: readonly number[];
  readonly periodMinutes: number;
}

/**
 * The contract's usage window `[start of T's UTC month, T)`.
 * @example usageWindow(new Date('2026-11-30T23:00:00Z')) // { start: Nov 1 00:00Z, end: Nov 30 23:00Z }
 */
export function usageWindow(asOf: Date): Interval {
  return { start: monthStartUtc(asOf).getTime(), end: asOf.getTime() };
}

/**
 * What a metrics source must return to evaluate `T`: the usage window, widened
 * backwards by the longest idle timeout plus one period, because a session on
 * the previous month's last evening keeps the WorkSpace running (and billing)
 * into this month.
 */
export function usageQueryWindow(asOf: Date, maxIdleTimeoutMinutes: number, periodMinutes: number): Interval {
  const window = usageWindow(asOf);
  return { start: window.start - (maxIdleTimeoutMinutes + periodMinutes) * MINUTE_MS, end: window.end };
}

/**
 * Samples -> running intervals: each connected period `[t, t + p)` extended by
 * the idle timeout to `[t, t + p + I)`, overlapping or touching intervals merged,
 * the union clipped to `window`. Sorted, disjoint and non-touching.
 */
export function runningIntervals(
  samples: ConnectedSamples,
  idleTimeoutMinutes: number,
  window: Interval,
): Interval[] {
  const extend = (samples.periodMinutes + idleTimeoutMinutes) * MINUTE_MS;
  const starts = [...samples.connectedStarts].sort((a, b) => a - b);
  const merged: Interval[] = [];
  let current: { start: number; end: number } | undefined;
  for (const t of starts) {
    const end = t + extend;
    if (current && t <= current.end) {
      current.end = Math.max(current.end, end);
    } else {
      if (current) merged.push(current);
      current = { start: t, end };
    }
  }
  if (current) merged.push(current);

  const clipped: Interval[] = [];
  for (const interval of merged) {
    const start = Math.max(interval.start, window.start);
    const end = Math.min(interval.end, window.end);
    if (end > start) clipped.push({ start, end });
  }
  return clipped;
}

/**
 * Billable hours `H`: distinct UTC clock hours `[hh:00, hh+1:00)` that overlap a
 * running interval by a positive length.
 *
 * Because idle timeouts are whole hours and billing counts clock hours, any
 * connected 5-minute sample in hour `h` bills exactly hours `h .. h + I/60`;
 * hourly-Maximum samples (period 60) therefore give the same `H` as 5-minute
 * ones, with a twelfth of the datapoints, provided no connection at or after
 * `T` leaks into them. That holds when `T` is on an hour boundary, or when the
 * hourly samples only cover data before `T`. When `T` is mid-hour, the hourly
 * datapoint for `T`'s hour also covers `[T, next hour)`; a connection only
 * there makes `T`'s hour billable although nothing ran in it before `T` (one
 * hour too many). So query hourly data up to the start of `T`'s hour and the
 * rest at 5 minutes. Property-tested in `test/billing/properties.test.ts`.
 *
 * @example
 * // Connected 09:15-12:14 with a 60-minute timeout: runs 09:15-13:14, bills 09..13.
 * billableHours({ connectedStarts: fiveMinuteStarts('09:15', '12:10'), periodMinutes: 5 }, 60, window) // 5
 */
export function billableHours(
  samples: ConnectedSamples,
  idleTimeoutMinutes: number,
  window: Interval,
): number {
  let hours = 0;
  let lastCountedHour = Number.NEGATIVE_INFINITY;
  for (const { start, end } of runningIntervals(samples, idleTimeoutMinutes, window)) {
    const firstHour = Math.max(Math.floor(start / HOUR_MS), lastCountedHour + 1);
    const lastHour = Math.ceil(end / HOUR_MS) - 1;
    // Stryker disable next-line ConditionalExpression: intervals are sorted and disjoint, so lastHour >= firstHour - 1: adding 0 is the same
    if (lastHour >= firstHour) {
      hours += lastHour - firstHour + 1;
      lastCountedHour = lastHour;
    }
  }
  return hours;
}

/**
 * What CloudWatch's hourly Maximum of the same metric reports: one sample per
 * clock hour that held at least one connected sample. Exact for `billableHours`
 * only when no sample lies at or after `T` in `T`'s hour (see there).
 */
export function toHourlySamples(samples: ConnectedSamples): ConnectedSamples {
  const hours = new Set(samples.connectedStarts.map((t) => Math.floor(t / HOUR_MS) * HOUR_MS));
  return { connectedStarts: [...hours].sort((a, b) => a - b), periodMinutes: 60 };
}
