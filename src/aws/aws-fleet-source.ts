import pLimit from 'p-limit';
import type { ConnectedSamples, Tags } from '../billing/index.js';
import { idleTimeoutMinutes } from '../billing/index.js';
import type { Log } from '../shared/log.js';
import { silentLog } from '../shared/log.js';
import type { FleetProblem, FleetQuery, FleetSource, RegionFleet } from '../ports/fleet-source.js';
import type { ObservedWorkspace, Workspace } from '../ports/workspace.js';
import type { Read } from '../shared/read.js';
import { errorMessage } from '../shared/errors.js';
import { failed } from '../shared/read.js';
import type { AwsClientsFor } from './clients.js';
import { checkBulkTags, readTagsInBulk, readTagsOneByOne } from './tag-reader.js';
import { readUsage } from './usage-reader.js';
import { listDirectoryIds, listWorkspaces } from './workspace-inventory.js';

export interface AwsFleetSourceOptions {
  readonly regions: readonly string[];
  /** The account the WorkSpaces belong to (for reports and events). */
  readonly account: string;
  readonly clients: AwsClientsFor;
  /** Directories listed at once per region; default 4. */
  readonly directoryConcurrency?: number;
  /** `DescribeTags` calls at once when the Tagging API fails; default 5. */
  readonly describeTagsConcurrency?: number;
  /** `GetMetricData` calls at once per region; default 2 (each page of 100,800 datapoints parses to ~20 MB). */
  readonly metricConcurrency?: number;
  readonly log?: Log;
}

/**
 * The fleet as the AWS APIs show it. Per region: directories
 * (`DescribeWorkspaceDirectories`), their WorkSpaces (`DescribeWorkspaces`),
 * tags in bulk (Tagging `GetResources`, checked with `DescribeTags`, and read
 * per WorkSpace when it fails or leaves tagged WorkSpaces out) and usage (`GetMetricData`, 500 WorkSpaces per call), read
 * concurrently. The reads per WorkSpace are about 1/25 + 1/100 + 1/500.
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

  async readRegion(region: string, query: FleetQuery): Promise<RegionFleet> {
    const clients = this.options.clients(region);
    const problems: FleetProblem[] = [];
    // Started at once: the bulk tag walk does not depend on the inventory.
    const bulkTags = readTagsInBulk(clients.tagging).then(
      (tags) => ({ ok: true as const, tags }),
      (error: unknown) => ({ ok: false as const, error }),
    );

    const directoryIds = await listDirectoryIds(clients.workspaces);
    const directoryLimit = pLimit(this.options.directoryConcurrency ?? 4);
    const perDirectory = await Promise.all(
      directoryIds.map((directoryId) =>
        directoryLimit(async () => {
          try {
            return await listWorkspaces(clients.workspaces, directoryId, this.options.account, region);
          } catch (error) {
            problems.push({
              region,
              scope: `directory ${directoryId}`,
              directoryId,
              message: errorMessage(error),
            });
            return [];
          }
        }),
      ),
    );
    const workspaces = perDirectory.flat();

    const [tags, usage] = await Promise.all([
      this.tagsOf(region, workspaces, await bulkTags),
      readUsage(
        clients.cloudwatch,
        workspaces.map((workspace) => ({
          workspaceId: workspace.workspaceId,
          idleTimeoutMinutes: idleTimeoutMinutes(
            workspace.runningMode,
            workspace.autoStopTimeoutMinutes,
            query.assumedTimeoutMinutes,
            query.recordedTimeouts?.get(workspace.workspaceId),
          ),
        })),
        { asOf: query.asOf, concurrency: this.options.metricConcurrency ?? 2 },
      ),
    ]);

    const observed = workspaces.map((workspace): ObservedWorkspace => ({
      workspace,
      tags: tags.get(workspace.workspaceId) ?? failed('tags were not read'),
      usage: usage.get(workspace.workspaceId) ?? failed<ConnectedSamples>('usage was not read'),
    }));
    return { region, workspaces: observed, problems };
  }

  private async tagsOf(
    region: string,
    workspaces: readonly Workspace[],
    bulk: { ok: true; tags: Map<string, Tags> } | { ok: false; error: unknown },
  ): Promise<Map<string, Read<Tags>>> {
    const ids = workspaces.map((workspace) => workspace.workspaceId);
    const concurrency = this.options.describeTagsConcurrency ?? 5;
    if (bulk.ok) {
      const checked = await checkBulkTags(
        this.options.clients(region).workspaces,
        ids,
        bulk.tags,
        concurrency,
      );
      if (checked.distrusted)
        this.log.warn("tagging API answer incomplete; reading the unlisted WorkSpaces' tags one by one", {
          region,
          reason: checked.distrusted,
        });
      return checked.tags;
    }
    this.log.warn('tagging API failed; reading tags per WorkSpace', {
      region,
      error: errorMessage(bulk.error),
    });
    return readTagsOneByOne(this.options.clients(region).workspaces, ids, concurrency);
  }
}
