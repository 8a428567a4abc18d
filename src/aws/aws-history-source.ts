import pLimit from 'p-limit';
import { DEFAULT_AUTOSTOP_TIMEOUT_MINUTES } from '../billing/index.js';
import type { FleetProblem } from '../ports/fleet-source.js';
import type {
  FleetHistory,
  FleetHistorySource,
  HistoryQuery,
  WorkspaceHistory,
} from '../ports/fleet-history.js';
import { errorMessage } from '../shared/errors.js';
import { failed } from '../shared/read.js';
import type { AwsFleetSource } from './aws-fleet-source.js';
import type { AwsClientsFor } from './clients.js';
import { readUsageHistory } from './usage-reader.js';

const MINUTE_MS = 60_000;

export interface AwsHistorySourceOptions {
  readonly account: string;
  readonly regions: readonly string[];
  readonly clients: AwsClientsFor;
  /** Reads the inventory (directories, WorkSpaces, tags) as a run does. */
  readonly inventory: Pick<AwsFleetSource, 'readInventory'>;
  /** `GetMetricData` calls in flight per region; default 2. */
  readonly metricConcurrency?: number;
  /** Regions read at once; default 4. */
  readonly regionConcurrency?: number;
}

/**
 * A real fleet's past: today's inventory (what `DescribeWorkspaces` and the
 * tags show now) and each WorkSpace's hourly `UserConnected` over the period,
 * read once with `GetMetricData` (500 WorkSpaces per call) however many runs
 * the replay makes. The modes are today's; the replay puts back the ones the
 * conversion ledger knows. A region that cannot be read is a problem, the
 * others are still replayed.
 */
export class AwsHistorySource implements FleetHistorySource {
  constructor(private readonly options: AwsHistorySourceOptions) {}

  async readHistory(query: HistoryQuery): Promise<FleetHistory> {
    const problems: FleetProblem[] = [];
    const regionLimit = pLimit(this.options.regionConcurrency ?? 4);
    const perRegion = await Promise.all(
      this.options.regions.map((region) =>
        regionLimit(async (): Promise<WorkspaceHistory[]> => {
          try {
            return await this.readRegion(region, query, problems);
          } catch (error) {
            problems.push({ region, scope: 'region', message: errorMessage(error) });
            return [];
          }
        }),
      ),
    );
    return {
      account: this.options.account,
      regions: this.options.regions,
      workspaces: perRegion.flat(),
      problems,
      notes: [
        'The fleet as its inventory shows it today: a WorkSpace removed since is not in the replay, and each WorkSpace is billed as if it existed the whole period.',
        'Usage from CloudWatch: hourly UserConnected maxima (kept 455 days), read once for the whole period.',
      ],
    };
  }

  private async readRegion(
    region: string,
    query: HistoryQuery,
    problems: FleetProblem[],
  ): Promise<WorkspaceHistory[]> {
    const inventory = await this.options.inventory.readInventory(region);
    problems.push(...inventory.problems);
    const longest = Math.max(
      query.assumedTimeoutMinutes,
      DEFAULT_AUTOSTOP_TIMEOUT_MINUTES,
      ...inventory.workspaces.map((workspace) => workspace.autoStopTimeoutMinutes ?? 0),
    );
    const usage = await readUsageHistory(
      this.options.clients(region).cloudwatch,
      inventory.workspaces.map((workspace) => workspace.workspaceId),
      {
        // From the longest idle tail before the first month: it bills that month's first hours.
        window: { start: query.period.start - (longest + 60) * MINUTE_MS, end: query.period.end },
        concurrency: this.options.metricConcurrency ?? 2,
      },
    );
    return inventory.workspaces.map((workspace) => ({
      workspace,
      tags: inventory.tags.get(workspace.workspaceId) ?? failed('tags were not read'),
      usage: usage.get(workspace.workspaceId) ?? failed('usage was not read'),
    }));
  }
}
