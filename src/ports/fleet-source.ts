import { compareText } from '../shared/compare-text.js';
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
  /** Set when the problem is one account's (its member role could not be assumed). */
  readonly account?: string | undefined;
  readonly region: string;
  /** `region`, `directory d-123`, ...: what is missing from the result. */
  readonly scope: string;
  readonly message: string;
  /** Set when one directory could not be read (the rest of the region was). */
  readonly directoryId?: string | undefined;
}

/**
 * The unit of work of a run: the WorkSpaces of one directory of one region of
 * one account. A run reads its shards with bounded concurrency; the sharded
 * deployment runs one task per shard (or per group of shards).
 */
export interface Shard {
  readonly account: string;
  readonly region: string;
  readonly directoryId: string;
}

/** At most this many WorkSpaces per batch: one `GetMetricData` call answers 500 queries. */
export const MAX_BATCH = 500;

/** One region opened for one run: its shards, and their WorkSpaces a batch at a time. */
export interface RegionReading {
  readonly shards: readonly Shard[];
  /**
   * The shard's WorkSpaces with their tags and usage, at most `MAX_BATCH` at a
   * time, so that a run holds one batch's samples, never a region's.
   * Per-WorkSpace failures are values; the iteration rejects when the
   * directory cannot be read (possibly after some batches were yielded).
   */
  readBatches(shard: Shard): AsyncIterable<readonly ObservedWorkspace[]>;
}

/** Where WorkSpaces, their tags and their usage come from. */
export interface FleetSource {
  readonly regions: readonly string[];
  /**
   * Opens `region` for one run. Without `only`, lists the region's directories
   * (one shard each) and may read region-wide what is cheaper read once (tags
   * in bulk). With `only` (a shard task of the sharded deployment), reads just
   * those shards and nothing region-wide. Rejects when the region cannot be read.
   */
  openRegion(region: string, query: FleetQuery, only?: readonly Shard[]): Promise<RegionReading>;
}

export interface RegionFleet {
  readonly region: string;
  readonly workspaces: readonly ObservedWorkspace[];
  readonly problems: readonly FleetProblem[];
}

/** A source that reads a whole region at once: fleets held in memory (the demo, tests, replays). */
export interface WholeRegionSource {
  readonly regions: readonly string[];
  /**
   * Reads one region. Per-WorkSpace failures are values in the result; a
   * directory that cannot be listed is a problem; a region that cannot be read
   * at all rejects.
   */
  readRegion(region: string, query: FleetQuery): Promise<RegionFleet>;
}

/**
 * Serves a whole-region source the way a run reads a fleet: each region is read
 * once when it is opened, its directories become the shards (in sorted order),
 * a directory reported as a problem becomes a shard whose reading fails, and
 * WorkSpaces come `MAX_BATCH` at a time. Memory is that of the source.
 */
export async function openWholeRegion(
  source: WholeRegionSource,
  region: string,
  query: FleetQuery,
  only?: readonly Shard[],
): Promise<RegionReading> {
  const fleet = await source.readRegion(region, query);
  const regionProblem = fleet.problems.find((problem) => problem.directoryId === undefined);
  if (regionProblem) throw new Error(regionProblem.message);
  const byDirectory = new Map<string, { account: string; members: ObservedWorkspace[] }>();
  for (const observed of fleet.workspaces) {
    const { account, directoryId } = observed.workspace;
    const entry = byDirectory.get(directoryId) ?? { account, members: [] };
    entry.members.push(observed);
    byDirectory.set(directoryId, entry);
  }
  const failures = new Map(fleet.problems.map((problem) => [problem.directoryId!, problem.message]));
  const account = fleet.workspaces[0]?.workspace.account ?? '';
  for (const directoryId of failures.keys())
    if (!byDirectory.has(directoryId)) byDirectory.set(directoryId, { account, members: [] });
  const wanted = (shard: Shard) =>
    only === undefined || only.some((one) => one.directoryId === shard.directoryId);
  const shards = [...byDirectory]
    .map(([directoryId, entry]): Shard => ({ account: entry.account, region, directoryId }))
    .filter(wanted)
    .sort((a, b) => compareText(a.directoryId, b.directoryId));
  return {
    shards,
    async *readBatches(shard) {
      const failure = failures.get(shard.directoryId);
      if (failure !== undefined) throw new Error(failure);
      const members = byDirectory.get(shard.directoryId)?.members ?? [];
      for (let start = 0; start < members.length; start += MAX_BATCH)
        yield members.slice(start, start + MAX_BATCH);
    },
  };
}
