import pLimit from 'p-limit';
import type { ConnectedSamples, Tags } from '../billing/index.js';
import { idleTimeoutMinutes } from '../billing/index.js';
import type { Log } from '../shared/log.js';
import { silentLog } from '../shared/log.js';
import type { FleetProblem, FleetQuery, FleetSource, RegionReading, Shard } from '../ports/fleet-source.js';
import { MAX_BATCH } from '../ports/fleet-source.js';
import type { ObservedWorkspace, Workspace } from '../ports/workspace.js';
import type { Read } from '../shared/read.js';
import { errorMessage } from '../shared/errors.js';
import { failed } from '../shared/read.js';
import type { AwsClients, AwsClientsFor } from './clients.js';
import { lookahead } from '../shared/lookahead.js';
import type { TagCheck } from './tag-reader.js';
import { checkBulkTags, readTagsInBulk, readTagsOfWorkspaces, readTagsOneByOne } from './tag-reader.js';
import { readUsage, samplePeriodMinutes } from './usage-reader.js';
import { listDirectoryIds, workspacePages } from './workspace-inventory.js';

export interface AwsFleetSourceOptions {
  readonly regions: readonly string[];
  /** The account the WorkSpaces belong to (for reports and events). */
  readonly account: string;
  readonly clients: AwsClientsFor;
  /** `DescribeTags` calls at once when the Tagging API fails; default 5. */
  readonly describeTagsConcurrency?: number;
  /** `GetMetricData` calls at once per region; default 2 (each page of 100,800 datapoints parses to ~20 MB). */
  readonly metricConcurrency?: number;
  readonly log?: Log;
}

/** The region's tags in bulk, or why they could not be read. */
type BulkTags = { ok: true; tags: Map<string, Tags> } | { ok: false; error: unknown };

/** A region's WorkSpaces and their tags as they are now, and what could not be read. */
export interface RegionInventory {
  readonly workspaces: readonly Workspace[];
  readonly tags: ReadonlyMap<string, Read<Tags>>;
  readonly problems: readonly FleetProblem[];
}

/**
 * The fleet as the AWS APIs show it, a batch at a time. Per region:
 * directories (`DescribeWorkspaceDirectories`), one shard each; per shard its
 * WorkSpaces (`DescribeWorkspaces`, 25 per page) gathered into batches of up to
 * 500 that share a sample period, each read with one `GetMetricData` call while
 * the run decides the previous batch. Tags come in bulk from the Tagging API
 * (`GetResources`, one walk per region, started when the region is opened) or,
 * for a shard task that reads only part of a region, by ARN for each batch;
 * `DescribeTags` checks a bulk answer (see `checkBulkTags`) and reads tags per
 * WorkSpace when it fails or leaves tagged WorkSpaces out. The reads per
 * WorkSpace are about 1/25 + 1/100 + 1/500.
 */
export class AwsFleetSource implements FleetSource {
  readonly regions: readonly string[];
  private readonly options: AwsFleetSourceOptions;
  private readonly log: Log;

  constructor(options: AwsFleetSourceOptions) {
    this.regions = options.regions;
    this.options = options;
    this.log = options.log ?? silentLog;
  }

  async openRegion(region: string, query: FleetQuery, only?: readonly Shard[]): Promise<RegionReading> {
    const clients = this.options.clients(region);
    // The region-wide walk starts with the first shard read (not when a plan only lists the region),
    // once per region and run, alongside the directory's pages.
    let walk: Promise<BulkTags> | undefined;
    const regionTags = (): Promise<BulkTags> | undefined =>
      only !== undefined ? undefined : (walk ??= this.walkTags(clients));
    // The bulk answers are spot-checked once per opened region (or shard task), not per batch.
    const check: TagCheck = { spotChecked: false };
    const shards =
      only ??
      (await listDirectoryIds(clients.workspaces)).map((directoryId): Shard => ({
        account: this.options.account,
        region,
        directoryId,
      }));
    // Per region and run: at most this many GetMetricData calls in flight, whatever the directories.
    const metricLimit = pLimit(this.options.metricConcurrency ?? 2);
    const periodOf = (workspace: Workspace) =>
      samplePeriodMinutes(
        idleTimeoutMinutes(
          workspace.runningMode,
          workspace.autoStopTimeoutMinutes,
          query.assumedTimeoutMinutes,
          query.recordedTimeouts?.get(workspace.workspaceId),
        ),
      );
    const observe = async (batch: readonly Workspace[]): Promise<ObservedWorkspace[]> => {
      const [tags, usage] = await Promise.all([
        this.tagsOf(clients, batch, regionTags(), check),
        readUsage(
          clients.cloudwatch,
          batch.map((workspace) => ({
            workspaceId: workspace.workspaceId,
            idleTimeoutMinutes: idleTimeoutMinutes(
              workspace.runningMode,
              workspace.autoStopTimeoutMinutes,
              query.assumedTimeoutMinutes,
              query.recordedTimeouts?.get(workspace.workspaceId),
            ),
          })),
          { asOf: query.asOf, limit: metricLimit },
        ),
      ]);
      return batch.map((workspace) => ({
        workspace,
        tags: tags.get(workspace.workspaceId) ?? failed('tags were not read'),
        usage: usage.get(workspace.workspaceId) ?? failed<ConnectedSamples>('usage was not read'),
      }));
    };
    return {
      shards,
      readBatches: (shard) => {
        void regionTags();
        return lookahead(batchesByPeriod(workspacePages(clients.workspaces, shard), periodOf), observe);
      },
    };
  }

  /**
   * The region as it is now, without usage: its WorkSpaces and their tags
   * (a replay reads the usage itself, over months, and holds the region
   * anyway). A directory that cannot be listed is a problem, left out whole;
   * the region's directory list failing rejects.
   */
  async readInventory(region: string): Promise<RegionInventory> {
    const clients = this.options.clients(region);
    const walk = this.walkTags(clients);
    const problems: FleetProblem[] = [];
    const workspaces: Workspace[] = [];
    for (const directoryId of await listDirectoryIds(clients.workspaces)) {
      const listed: Workspace[] = [];
      try {
        const shard: Shard = { account: this.options.account, region, directoryId };
        for await (const page of workspacePages(clients.workspaces, shard)) listed.push(...page);
        workspaces.push(...listed);
      } catch (error) {
        problems.push({
          region,
          scope: `directory ${directoryId}`,
          directoryId,
          message: errorMessage(error),
        });
      }
    }
    const tags = await this.tagsOf(clients, workspaces, walk, { spotChecked: false });
    return { workspaces, tags, problems };
  }

  /** The Tagging API's walk of the region; its failure is a value (tags are then read per WorkSpace). */
  private walkTags(clients: AwsClients): Promise<BulkTags> {
    return readTagsInBulk(clients.tagging).then(
      (tags) => ({ ok: true as const, tags }),
      (error: unknown) => {
        this.log.warn('tagging API failed; reading tags per WorkSpace', {
          region: clients.region,
          error: errorMessage(error),
        });
        return { ok: false as const, error };
      },
    );
  }

  private async tagsOf(
    clients: AwsClients,
    batch: readonly Workspace[],
    bulk: Promise<BulkTags> | undefined,
    check: TagCheck,
  ): Promise<Map<string, Read<Tags>>> {
    const concurrency = this.options.describeTagsConcurrency ?? 5;
    let found: BulkTags;
    if (bulk !== undefined) found = await bulk;
    else
      found = await readTagsOfWorkspaces(clients.tagging, batch).then(
        (tags) => ({ ok: true as const, tags }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    const ids = batch.map((workspace) => workspace.workspaceId);
    if (found.ok) {
      const checked = await checkBulkTags(clients.workspaces, ids, found.tags, concurrency, check);
      if (checked.distrusted)
        this.log.warn("tagging API answer incomplete; reading the unlisted WorkSpaces' tags one by one", {
          region: clients.region,
          reason: checked.distrusted,
        });
      return checked.tags;
    }
    if (bulk === undefined)
      this.log.warn('tagging API failed; reading tags per WorkSpace', {
        region: clients.region,
        error: errorMessage(found.error),
      });
    return readTagsOneByOne(clients.workspaces, ids, concurrency);
  }
}

/**
 * WorkSpaces from a directory's pages, gathered into batches of up to
 * `MAX_BATCH` that share a sample period: each batch is then one set of
 * `GetMetricData` queries, so batching adds no call over reading the region at once
 * (beyond one partial batch per directory and period).
 */
export async function* batchesByPeriod(
  pages: AsyncIterable<readonly Workspace[]>,
  periodOf: (workspace: Workspace) => number,
): AsyncIterable<Workspace[]> {
  const open = new Map<number, Workspace[]>();
  for await (const page of pages)
    for (const workspace of page) {
      const period = periodOf(workspace);
      const batch = open.get(period) ?? [];
      batch.push(workspace);
      if (batch.length < MAX_BATCH) open.set(period, batch);
      else {
        open.delete(period);
        yield batch;
      }
    }
  for (const batch of open.values()) yield batch;
}
