import type { ObservedWorkspace } from './workspace.js';

/** What a fleet source must cover to evaluate `asOf`. */
export interface FleetQuery {
  readonly asOf: Date;
  /** The idle timeout assumed for AlwaysOn WorkSpaces; widens the usage query into last month. */
  readonly assumedTimeoutMinutes: number;
  /**
   * The AutoStop timeouts the conversion ledger remembers for WorkSpaces wco
   * switched to AlwaysOn, by WorkSpace id: their usage is read for that timeout.
   */
  readonly recordedTimeouts?: ReadonlyMap<string, number> | undefined;
}

/** Something that could not be read, with the part of the fleet it hides. */
export interface FleetProblem {
  readonly region: string;
  /** `region`, `directory d-123`, ...: what is missing from the result. */
  readonly scope: string;
  readonly message: string;
  /** Set when one directory could not be read (the rest of the region was). */
  readonly directoryId?: string | undefined;
}

export interface RegionFleet {
  readonly region: string;
  readonly workspaces: readonly ObservedWorkspace[];
  readonly problems: readonly FleetProblem[];
}

/** Where WorkSpaces, their tags and their usage come from. */
export interface FleetSource {
  readonly regions: readonly string[];
  /**
   * Reads one region. Per-WorkSpace failures are values in the result; a
   * directory that cannot be listed is a problem; a region that cannot be read
   * at all rejects.
   */
  readRegion(region: string, query: FleetQuery): Promise<RegionFleet>;
}
