import type { ConnectedSamples, Interval, Tags } from '../billing/index.js';
import type { Read } from '../shared/read.js';
import type { FleetProblem } from './fleet-source.js';
import type { Workspace } from './workspace.js';

/** One WorkSpace over a past period, as a replay needs it. */
export interface WorkspaceHistory {
  /** The WorkSpace at the start of the period: `runningMode` is the mode it started the period in. */
  readonly workspace: Workspace;
  readonly tags: Read<Tags>;
  /**
   * `UserConnected` over the period (from shortly before its start, for idle
   * tails running into it): the usage its bills are computed from.
   */
  readonly usage: Read<ConnectedSamples>;
  /** When it existed, epoch ms; absent: the whole period. */
  readonly existence?: Interval | undefined;
  /** A state it keeps the whole period (`PENDING`, ...); absent: `AVAILABLE` or `STOPPED` by its usage. */
  readonly state?: string | undefined;
  /** Reads and writes every run meets for this WorkSpace (the simulated fleet's faults). */
  readonly faults?: { readonly usage?: string | undefined; readonly modify?: string | undefined } | undefined;
}

/** A fleet's past, read once: what every run of a replay is shown. */
export interface FleetHistory {
  readonly account: string;
  readonly regions: readonly string[];
  readonly workspaces: readonly WorkspaceHistory[];
  /** Regions or directories that could not be read: their WorkSpaces are not in the replay. */
  readonly problems: readonly FleetProblem[];
  /** What a reader of the replay must know about this history (where the modes came from, who is left out). */
  readonly notes: readonly string[];
}

export interface HistoryQuery {
  /** Whole months, `[00:00 UTC on the first 1st, 00:00 UTC on the 1st after the last)`. */
  readonly period: Interval;
  /** The idle timeout AlwaysOn WorkSpaces are assumed to have: widens the read into the month before. */
  readonly assumedTimeoutMinutes: number;
}

/** Where a fleet's past comes from: the simulated fleet, or CloudWatch and the current inventory. */
export interface FleetHistorySource {
  /** Rejects only when nothing could be read; per-WorkSpace failures are values. */
  readHistory(query: HistoryQuery): Promise<FleetHistory>;
}
