import type { SimulatedWorkspace } from '../../../src/simulated/index.js';
import type { EmulatedRegion } from './emulator-config.js';

/**
 * The simulated fleet (the demo's generator) as the emulator's state: the same
 * WorkSpaces, tags and sessions, served over the AWS APIs. Per-WorkSpace faults
 * of the simulated fleet map to the emulator's where they exist.
 */
export function emulatedRegions(fleet: readonly SimulatedWorkspace[]): {
  regions: Record<string, EmulatedRegion>;
  metricQueryFailsFor: string[];
  modifyFailsFor: string[];
  /** WorkSpaces whose tags cannot be read: only `DescribeTags` can fail for one WorkSpace. */
  describeTagsFailsFor: string[];
} {
  const regions: Record<string, EmulatedRegion> = {};
  const metricQueryFailsFor: string[] = [];
  const modifyFailsFor: string[] = [];
  const describeTagsFailsFor: string[] = [];
  for (const simulated of fleet) {
    const { workspace } = simulated;
    const region = (regions[workspace.region] ??= { directories: [], workspaces: [] });
    if (!region.directories.some((directory) => directory.directoryId === workspace.directoryId))
      region.directories.push({ directoryId: workspace.directoryId });
    region.workspaces.push({
      workspaceId: workspace.workspaceId,
      directoryId: workspace.directoryId,
      userName: workspace.userName,
      computerName: workspace.computerName,
      state: workspace.state,
      runningMode: workspace.runningMode,
      autoStopTimeoutMinutes: workspace.autoStopTimeoutMinutes,
      computeType: workspace.computeType,
      bundleId: workspace.bundleId,
      operatingSystem: workspace.operatingSystem,
      rootVolumeSizeGib: workspace.rootVolumeSizeGib,
      userVolumeSizeGib: workspace.userVolumeSizeGib,
      tags: { ...simulated.tags },
      sessions: simulated.sessions.map(({ start, end }) => ({ start, end })),
    });
    if (simulated.faults?.usage) metricQueryFailsFor.push(workspace.workspaceId);
    if (simulated.faults?.modify) modifyFailsFor.push(workspace.workspaceId);
    if (simulated.faults?.tags) describeTagsFailsFor.push(workspace.workspaceId);
  }
  return { regions, metricQueryFailsFor, modifyFailsFor, describeTagsFailsFor };
}
