import type { Interval, RemovalAction } from '../billing/index.js';
import type { Read } from '../shared/read.js';
import type { Workspace } from './workspace.js';

/** What the service knows of a WorkSpace's use. */
export interface LastUse {
  /** `LastKnownUserConnectionTimestamp` (epoch ms); `null` when it has none (never connected). */
  readonly lastConnection: number | null;
  /** When it was created (epoch ms), when the source knows it; `DescribeWorkspaces` does not say. */
  readonly createdAt?: number | undefined;
}

/**
 * The last user connection of WorkSpaces, and their removal: what the unused
 * review needs from one account. The only port besides `ModeSwitcher` that
 * alters the fleet, and only when removal is enabled.
 */
export interface UnusedWorkspaces {
  /**
   * The last known use of each of `workspaceIds`. A WorkSpace the
   * service did not answer for, or whose batch failed, is a failed read: its
   * use is unknown. Rejects never.
   */
  lastConnections(
    region: string,
    workspaceIds: readonly string[],
  ): Promise<ReadonlyMap<string, Read<LastUse>>>;
  /**
   * Whether CloudWatch's `UserConnected` shows any connection of each of
   * `workspaceIds` in `window` (hourly data, kept 455 days): the usage history
   * that must agree with the connection status. A failed read: use unknown.
   */
  connectedIn(
    region: string,
    workspaceIds: readonly string[],
    window: Interval,
  ): Promise<ReadonlyMap<string, Read<boolean>>>;
  /** Terminates, stops or switches to AutoStop one WorkSpace; rejects with the service's reason when it refused. */
  remove(workspace: Workspace, action: RemovalAction): Promise<void>;
}
