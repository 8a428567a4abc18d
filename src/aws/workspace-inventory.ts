import type { Workspace as SdkWorkspace, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { paginateDescribeWorkspaceDirectories, paginateDescribeWorkspaces } from '@aws-sdk/client-workspaces';
import type { Shard } from '../ports/fleet-source.js';
import type { Workspace } from '../ports/workspace.js';

/** `DescribeWorkspaces` answers at most 25 WorkSpaces per page. */
const WORKSPACES_PAGE_SIZE = 25;

/** Every registered directory id of the client's region. Rejects when they cannot be listed. */
export async function listDirectoryIds(client: WorkSpacesClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateDescribeWorkspaceDirectories({ client }, {}))
    for (const directory of page.Directories ?? [])
      if (directory.DirectoryId) ids.push(directory.DirectoryId);
  return ids;
}

/**
 * The WorkSpaces of one directory (a shard), a page at a time, as wco's
 * `Workspace`. Rejects when a page cannot be read, after the pages before it.
 */
export async function* workspacePages(client: WorkSpacesClient, shard: Shard): AsyncIterable<Workspace[]> {
  const pages = paginateDescribeWorkspaces(
    { client, pageSize: WORKSPACES_PAGE_SIZE },
    { DirectoryId: shard.directoryId },
  );
  for await (const page of pages)
    yield (page.Workspaces ?? []).flatMap((item) => toWorkspace(item, shard.account, shard.region) ?? []);
}

/** The service's shape -> wco's; `undefined` for an entry without an id (nothing could act on it). */
export function toWorkspace(item: SdkWorkspace, account: string, region: string): Workspace | undefined {
  if (!item.WorkspaceId) return undefined;
  const properties = item.WorkspaceProperties ?? {};
  return {
    workspaceId: item.WorkspaceId,
    account,
    region,
    directoryId: item.DirectoryId ?? '',
    userName: item.UserName ?? '',
    computerName: item.ComputerName ?? '',
    computeType: properties.ComputeTypeName ?? '',
    runningMode: properties.RunningMode ?? '',
    autoStopTimeoutMinutes: properties.RunningModeAutoStopTimeoutInMinutes,
    state: item.State ?? '',
    bundleId: item.BundleId,
    operatingSystem: properties.OperatingSystemName,
    rootVolumeSizeGib: properties.RootVolumeSizeGib,
    userVolumeSizeGib: properties.UserVolumeSizeGib,
    standbyPair: (item.RelatedWorkspaces?.length ?? 0) > 0,
  };
}
