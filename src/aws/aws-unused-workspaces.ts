import type { FailedWorkspaceChangeRequest } from '@aws-sdk/client-workspaces';
import {
  DescribeWorkspacesConnectionStatusCommand,
  ModifyWorkspacePropertiesCommand,
  StopWorkspacesCommand,
  TerminateWorkspacesCommand,
} from '@aws-sdk/client-workspaces';
import type { Interval, RemovalAction } from '../billing/index.js';
import type { LastUse, UnusedWorkspaces } from '../ports/unused-workspaces.js';
import type { Workspace } from '../ports/workspace.js';
import { WcoError } from '../shared/errors.js';
import type { Read } from '../shared/read.js';
import { failed, ok } from '../shared/read.js';
import type { AwsClientsFor } from './clients.js';
import { readUsageHistory } from './usage-reader.js';

/** `GetMetricData` calls in flight for the usage history of one region's candidates. */
const HISTORY_CONCURRENCY = 2;

/** `DescribeWorkspacesConnectionStatus` takes at most 25 WorkSpace ids per call. */
export const CONNECTION_STATUS_BATCH = 25;

/** The service refused to change a WorkSpace (`FailedRequests`): the call itself succeeded. */
export class WorkspaceRequestRefused extends WcoError {
  override readonly name = 'WorkspaceRequestRefused';
}

/**
 * Last connections from `DescribeWorkspacesConnectionStatus` (25 ids a call,
 * every page of each), removal with `TerminateWorkspaces`, `StopWorkspaces`
 * or `ModifyWorkspaceProperties`. Retries are the SDK's.
 */
export class AwsUnusedWorkspaces implements UnusedWorkspaces {
  constructor(private readonly clients: AwsClientsFor) {}

  async lastConnections(
    region: string,
    workspaceIds: readonly string[],
  ): Promise<ReadonlyMap<string, Read<LastUse>>> {
    const client = this.clients(region).workspaces;
    const answers = new Map<string, Read<LastUse>>();
    for (let start = 0; start < workspaceIds.length; start += CONNECTION_STATUS_BATCH) {
      const batch = workspaceIds.slice(start, start + CONNECTION_STATUS_BATCH);
      try {
        let nextToken: string | undefined;
        do {
          const page = await client.send(
            new DescribeWorkspacesConnectionStatusCommand({ WorkspaceIds: batch, NextToken: nextToken }),
          );
          for (const status of page.WorkspacesConnectionStatus ?? [])
            if (status.WorkspaceId !== undefined)
              answers.set(
                status.WorkspaceId,
                ok({ lastConnection: status.LastKnownUserConnectionTimestamp?.getTime() ?? null }),
              );
          nextToken = page.NextToken;
        } while (nextToken);
      } catch (error) {
        for (const id of batch) if (!answers.has(id)) answers.set(id, failed(error));
      }
      for (const id of batch)
        if (!answers.has(id))
          answers.set(id, failed(new Error('DescribeWorkspacesConnectionStatus did not answer for it')));
    }
    return answers;
  }

  /** Hourly `UserConnected` over `window`, 500 WorkSpaces a call (`readUsageHistory`). */
  async connectedIn(
    region: string,
    workspaceIds: readonly string[],
    window: Interval,
  ): Promise<ReadonlyMap<string, Read<boolean>>> {
    const usage = await readUsageHistory(this.clients(region).cloudwatch, workspaceIds, {
      window,
      concurrency: HISTORY_CONCURRENCY,
    });
    return new Map(
      workspaceIds.map((id): [string, Read<boolean>] => {
        const read = usage.get(id);
        if (read === undefined) return [id, failed(new Error('GetMetricData did not answer for it'))];
        return [id, read.ok ? ok(read.value.connectedStarts.length > 0) : read];
      }),
    );
  }

  async remove(workspace: Workspace, action: RemovalAction): Promise<void> {
    const client = this.clients(workspace.region).workspaces;
    const request = { WorkspaceId: workspace.workspaceId };
    switch (action) {
      case 'TERMINATE':
        refused(
          (await client.send(new TerminateWorkspacesCommand({ TerminateWorkspaceRequests: [request] })))
            .FailedRequests,
        );
        return;
      case 'STOP':
        refused(
          (await client.send(new StopWorkspacesCommand({ StopWorkspaceRequests: [request] }))).FailedRequests,
        );
        return;
      case 'TO_AUTO_STOP':
        await client.send(
          new ModifyWorkspacePropertiesCommand({
            WorkspaceId: workspace.workspaceId,
            WorkspaceProperties: { RunningMode: 'AUTO_STOP' },
          }),
        );
    }
  }
}

/** Terminate and Stop answer 200 with the WorkSpaces they refused listed: a refusal is an error here. */
function refused(failures: readonly FailedWorkspaceChangeRequest[] | undefined): void {
  const first = failures?.[0];
  if (first !== undefined)
    throw new WorkspaceRequestRefused(
      `${first.ErrorCode ?? 'refused'}: ${first.ErrorMessage ?? 'no reason given'}`,
    );
}
