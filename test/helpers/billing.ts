import type { ConnectedSamples, Interval } from '../../src/billing/index.js';
import { usageWindow } from '../../src/billing/index.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** Epoch ms of an ISO 8601 UTC instant; throws on a typo so a test cannot pass on `NaN`. */
export function ms(iso: string): number {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new Error(`not an ISO instant: ${iso}`);
  return value;
}

/** Starts of the 5-minute `UserConnected` periods from `firstIso` to `lastIso`, both included. */
export function fiveMinuteStarts(firstIso: string, lastIso: string): number[] {
  const starts: number[] = [];
  for (let t = ms(firstIso); t <= ms(lastIso); t += 5 * MINUTE_MS) starts.push(t);
  return starts;
}

/** 5-minute samples of one or more sessions, each given as `[first sample, last sample]`. */
export function sessions(...ranges: ReadonlyArray<readonly [string, string]>): ConnectedSamples {
  return {
    connectedStarts: ranges.flatMap(([first, last]) => fiveMinuteStarts(first, last)),
    periodMinutes: 5,
  };
}

/** The contract's usage window for as-of time `asOfIso`. */
export function windowAt(asOfIso: string): Interval {
  return usageWindow(new Date(asOfIso));
}
