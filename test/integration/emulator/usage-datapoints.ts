import type { EmulatedSession, EmulatedWorkspace } from './emulator-config.js';

export interface Datapoints {
  /** Period starts, epoch milliseconds, ascending. */
  readonly timestamps: number[];
  readonly values: number[];
}

const MINUTE_MS = 60_000;

const toMs = (value: string | number): number => (typeof value === 'number' ? value : Date.parse(value));

/**
 * The `AWS/WorkSpaces` `UserConnected` Maximum datapoints CloudWatch would hold
 * for `workspace` in `[startMs, endMs)` at `periodSeconds`.
 *
 * Like the real metric, a WorkSpace reports only while it runs: an AlwaysOn one
 * in every period (0 when nobody is connected), an AutoStop one from a session's
 * start until its idle timeout has passed. The value is 1 when a session
 * overlaps the period (only the part before `endMs`: the current period is
 * incomplete).
 */
export function usageDatapoints(
  workspace: EmulatedWorkspace,
  startMs: number,
  endMs: number,
  periodSeconds: number,
): Datapoints {
  const period = periodSeconds * 1000;
  const sessions = (workspace.sessions ?? [])
    .map((session: EmulatedSession) => ({ start: toMs(session.start), end: toMs(session.end) }))
    .filter((session) => session.end > session.start)
    .sort((a, b) => a.start - b.start);
  const alwaysReports = workspace.runningMode === 'ALWAYS_ON';
  const timeout = (workspace.autoStopTimeoutMinutes ?? 60) * MINUTE_MS;
  const timestamps: number[] = [];
  const values: number[] = [];
  let first = 0;
  for (let t = Math.floor(startMs / period) * period; t < endMs; t += period) {
    const bucketEnd = Math.min(t + period, endMs);
    let connected = false;
    let running = alwaysReports;
    // Sessions over for good (idle timeout included) never matter again: t only grows.
    while (first < sessions.length && sessions[first]!.end + timeout <= t) first += 1;
    for (let index = first; index < sessions.length; index += 1) {
      const session = sessions[index]!;
      if (session.start >= bucketEnd) break;
      if (session.end > t) connected = true;
      if (session.end + timeout > t) running = true;
      if (connected) break;
    }
    if (running || connected) {
      timestamps.push(t);
      values.push(connected ? 1 : 0);
    }
  }
  return { timestamps, values };
}
