import type { EmulatedWorkspace, EmulatorState } from './emulator-config.js';
import { ApiError, pageSize, pageToken } from './wire.js';

type Body = Record<string, unknown>;

function regionOf(state: EmulatorState, region: string) {
  return state.regions[region] ?? { directories: [], workspaces: [] };
}

function page<T>(items: readonly T[], body: Body, limit: number, tokenName = 'NextToken') {
  const offset = pageToken.decode(body[tokenName]);
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? pageToken.encode(offset + limit) : undefined;
  return { slice, next };
}

function workspaceShape(workspace: EmulatedWorkspace) {
  return {
    WorkspaceId: workspace.workspaceId,
    DirectoryId: workspace.directoryId,
    UserName: workspace.userName,
    ComputerName: workspace.computerName,
    State: workspace.state ?? 'AVAILABLE',
    BundleId: workspace.bundleId,
    WorkspaceProperties: {
      RunningMode: workspace.runningMode,
      RunningModeAutoStopTimeoutInMinutes: workspace.autoStopTimeoutMinutes,
      ComputeTypeName: workspace.computeType,
      OperatingSystemName: workspace.operatingSystem,
      RootVolumeSizeGib: workspace.rootVolumeSizeGib,
      UserVolumeSizeGib: workspace.userVolumeSizeGib,
    },
    ...(workspace.relatedWorkspaces === undefined
      ? {}
      : {
          RelatedWorkspaces: workspace.relatedWorkspaces.map((related) => ({
            WorkspaceId: related.workspaceId,
            Type: related.type,
            State: 'AVAILABLE',
          })),
        }),
  };
}

/** The service's last known connection: given, else the end of the last session, else none. */
function lastConnectionOf(workspace: EmulatedWorkspace): number | undefined {
  if (workspace.lastConnection !== undefined)
    return workspace.lastConnection === null ? undefined : Date.parse(workspace.lastConnection);
  const ends = (workspace.sessions ?? []).map((session) =>
    typeof session.end === 'number' ? session.end : Date.parse(session.end),
  );
  return ends.length === 0 ? undefined : Math.max(...ends);
}

/** `TerminateWorkspaces` and `StopWorkspaces`: at most 25 requests, refusals listed, the call succeeds. */
function removeWorkspaces(
  state: EmulatorState,
  region: string,
  requests: readonly { WorkspaceId?: string }[] | undefined,
  remove: (workspace: EmulatedWorkspace) => string | undefined,
) {
  if (!requests || requests.length === 0 || requests.length > 25)
    throw new ApiError('ValidationException', 'between 1 and 25 requests are accepted');
  const FailedRequests: { WorkspaceId?: string; ErrorCode: string; ErrorMessage: string }[] = [];
  for (const request of requests) {
    const workspace = regionOf(state, region).workspaces.find(
      (item) => item.workspaceId === request.WorkspaceId,
    );
    const refusal = workspace === undefined ? 'ResourceNotFound.Workspace' : remove(workspace);
    if (refusal !== undefined)
      FailedRequests.push({
        WorkspaceId: request.WorkspaceId,
        ErrorCode: refusal,
        ErrorMessage: `The WorkSpace ${request.WorkspaceId} cannot be changed now`,
      });
  }
  return { FailedRequests };
}

const TERMINABLE = ['AVAILABLE', 'STOPPED', 'ERROR', 'IMPAIRED', 'UNHEALTHY'];

function findWorkspace(state: EmulatorState, region: string, workspaceId: unknown): EmulatedWorkspace {
  const workspace = regionOf(state, region).workspaces.find((item) => item.workspaceId === workspaceId);
  if (!workspace)
    throw new ApiError(
      'ResourceNotFoundException',
      `WorkSpace ${String(workspaceId)} not found in ${region}`,
    );
  return workspace;
}

/** `WorkspacesService.*` (awsJson1_1). */
export const workspacesApi: Record<string, (state: EmulatorState, region: string, body: Body) => unknown> = {
  DescribeWorkspaceDirectories(state, region, body) {
    if (state.faults.directoriesFailIn?.includes(region))
      throw new ApiError('AccessDeniedException', `not authorized to describe directories in ${region}`);
    const wanted = body.DirectoryIds as string[] | undefined;
    const directories = regionOf(state, region).directories.filter(
      (directory) => !wanted || wanted.includes(directory.directoryId),
    );
    const { slice, next } = page(directories, body, pageSize(body.Limit, 25, 'Limit'));
    return {
      Directories: slice.map((directory) => ({
        DirectoryId: directory.directoryId,
        DirectoryName: directory.name ?? `${directory.directoryId}.example.com`,
        State: 'REGISTERED',
      })),
      NextToken: next,
    };
  },

  DescribeWorkspaces(state, region, body) {
    const directoryId = body.DirectoryId as string | undefined;
    if (directoryId && state.faults.describeWorkspacesFailsFor?.includes(directoryId))
      throw new ApiError('AccessDeniedException', `not authorized to describe WorkSpaces of ${directoryId}`);
    const ids = body.WorkspaceIds as string[] | undefined;
    const workspaces = regionOf(state, region).workspaces.filter(
      (workspace) =>
        (!directoryId || workspace.directoryId === directoryId) &&
        (!ids || ids.includes(workspace.workspaceId)),
    );
    // The service returns at most 25 WorkSpaces per page.
    const { slice, next } = page(workspaces, body, pageSize(body.Limit, 25, 'Limit'));
    return { Workspaces: slice.map(workspaceShape), NextToken: next };
  },

  DescribeTags(state, region, body) {
    const workspace = findWorkspace(state, region, body.ResourceId);
    if (state.faults.describeTagsFailsFor?.includes(workspace.workspaceId))
      throw new ApiError(
        'AccessDeniedException',
        `not authorized to describe tags of ${workspace.workspaceId}`,
      );
    return {
      TagList: Object.entries(workspace.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    };
  },

  DescribeWorkspacesConnectionStatus(state, region, body) {
    const ids = (body.WorkspaceIds as string[] | undefined) ?? [];
    if (ids.length > 25)
      throw new ApiError('ValidationException', `at most 25 WorkspaceIds per call, got ${ids.length}`);
    state.connectionStatusRequests.push([...ids]);
    if (ids.some((id) => state.faults.connectionStatusFailsFor?.includes(id)))
      throw new ApiError('AccessDeniedException', 'not authorized to describe connection status');
    const known = regionOf(state, region).workspaces.filter(
      (workspace) =>
        (ids.length === 0 || ids.includes(workspace.workspaceId)) &&
        !state.faults.connectionStatusOmits?.includes(workspace.workspaceId),
    );
    // Pages of 10, so that a batch of 25 takes several calls and paging is exercised.
    const { slice, next } = page(known, body, 10);
    return {
      WorkspacesConnectionStatus: slice.map((workspace) => {
        const last = lastConnectionOf(workspace);
        return {
          WorkspaceId: workspace.workspaceId,
          ConnectionState: 'DISCONNECTED',
          ...(last === undefined ? {} : { LastKnownUserConnectionTimestamp: last / 1000 }),
        };
      }),
      NextToken: next,
    };
  },

  TerminateWorkspaces(state, region, body) {
    return removeWorkspaces(
      state,
      region,
      body.TerminateWorkspaceRequests as { WorkspaceId?: string }[] | undefined,
      (workspace) => {
        if (state.faults.terminateRefusedFor?.includes(workspace.workspaceId)) return 'InvalidResourceState';
        if (!TERMINABLE.includes(workspace.state ?? 'AVAILABLE')) return 'InvalidResourceState';
        workspace.state = 'TERMINATING';
        state.terminations.push({ account: state.account, region, workspaceId: workspace.workspaceId });
        return undefined;
      },
    );
  },

  StopWorkspaces(state, region, body) {
    return removeWorkspaces(
      state,
      region,
      body.StopWorkspaceRequests as { WorkspaceId?: string }[] | undefined,
      (workspace) => {
        if ((workspace.state ?? 'AVAILABLE') !== 'AVAILABLE' || workspace.runningMode === 'ALWAYS_ON')
          return 'InvalidResourceState';
        workspace.state = 'STOPPED';
        state.stops.push({ account: state.account, region, workspaceId: workspace.workspaceId });
        return undefined;
      },
    );
  },

  ModifyWorkspaceProperties(state, region, body) {
    const workspace = findWorkspace(state, region, body.WorkspaceId);
    if (state.faults.modifyFailsFor?.includes(workspace.workspaceId)) {
      state.failedModifies.push(workspace.workspaceId);
      throw new ApiError(
        'InvalidResourceStateException',
        `WorkSpace ${workspace.workspaceId} cannot be modified`,
      );
    }
    const properties = (body.WorkspaceProperties ?? {}) as Record<string, unknown>;
    const runningMode = properties.RunningMode as string | undefined;
    if (runningMode !== undefined && !['AUTO_STOP', 'ALWAYS_ON', 'MANUAL'].includes(runningMode))
      throw new ApiError('InvalidParameterValuesException', `invalid RunningMode ${runningMode}`);
    if (!['AVAILABLE', 'STOPPED'].includes(workspace.state ?? 'AVAILABLE'))
      throw new ApiError(
        'InvalidResourceStateException',
        `WorkSpace ${workspace.workspaceId} is ${workspace.state}`,
      );
    if (runningMode !== undefined) workspace.runningMode = runningMode;
    const timeout = properties.RunningModeAutoStopTimeoutInMinutes;
    if (typeof timeout === 'number') workspace.autoStopTimeoutMinutes = timeout;
    // The API may stop returning the AutoStop timeout of a WorkSpace switched to AlwaysOn.
    if (runningMode === 'ALWAYS_ON' && state.faults.dropTimeoutOnAlwaysOn)
      delete workspace.autoStopTimeoutMinutes;
    state.modifies.push({
      account: state.account,
      region,
      workspaceId: workspace.workspaceId,
      runningMode,
      properties,
    });
    return {};
  },
};

/** `ResourceGroupsTaggingAPI_20170126.GetResources` (awsJson1_1), WorkSpaces only. */
export function getResources(state: EmulatorState, region: string, body: Body): unknown {
  if (state.faults.taggingFailsIn?.includes(region))
    throw new ApiError('InternalServiceException', `tagging is unavailable in ${region}`, 500);
  const filters = (body.ResourceTypeFilters as string[] | undefined) ?? [];
  const arns = body.ResourceARNList as string[] | undefined;
  if (arns !== undefined && (body.PaginationToken !== undefined || body.ResourcesPerPage !== undefined))
    throw new ApiError('InvalidParameterException', 'ResourceARNList cannot be combined with pagination');
  if (arns !== undefined && (arns.length === 0 || arns.length > 100))
    throw new ApiError(
      'InvalidParameterException',
      `ResourceARNList holds 1 to 100 ARNs, got ${arns.length}`,
    );
  const arnOf = (workspace: EmulatedWorkspace) =>
    `arn:aws:workspaces:${region}:${state.account}:workspace/${workspace.workspaceId}`;
  const wantsWorkspaces =
    filters.length === 0 || filters.includes('workspaces') || filters.includes('workspaces:workspace');
  // Like the real index, only resources that carry tags are listed.
  const tagged = wantsWorkspaces
    ? regionOf(state, region).workspaces.filter(
        (workspace) =>
          Object.keys(workspace.staleBulkTags ?? workspace.tags ?? {}).length > 0 &&
          !state.faults.taggingOmits?.includes(workspace.workspaceId) &&
          (arns === undefined || arns.includes(arnOf(workspace))),
      )
    : [];
  const { slice, next } = page(
    tagged,
    body,
    pageSize(body.ResourcesPerPage, 100, 'ResourcesPerPage'),
    'PaginationToken',
  );
  return {
    ResourceTagMappingList: slice.map((workspace) => ({
      ResourceARN: arnOf(workspace),
      Tags: Object.entries(workspace.staleBulkTags ?? workspace.tags ?? {}).map(([Key, Value]) => ({
        Key,
        Value,
      })),
    })),
    // The real API answers an empty string, not nothing, on the last page.
    PaginationToken: next ?? '',
  };
}
