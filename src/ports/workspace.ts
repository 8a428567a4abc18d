import type { ConnectedSamples, Tags } from '../billing/index.js';
import type { Read } from '../shared/read.js';

/** One WorkSpace as wco sees it, whatever the source (AWS or the simulated fleet). */
export interface Workspace {
  readonly workspaceId: string;
  readonly account: string;
  readonly region: string;
  readonly directoryId: string;
  readonly userName: string;
  readonly computerName: string;
  /** `WorkspaceProperties.ComputeTypeName`; empty when the service reports none. */
  readonly computeType: string;
  /** `WorkspaceProperties.RunningMode`: `AUTO_STOP`, `ALWAYS_ON`, `MANUAL`, ... */
  readonly runningMode: string;
  /** `WorkspaceProperties.RunningModeAutoStopTimeoutInMinutes`, when set. */
  readonly autoStopTimeoutMinutes: number | undefined;
  /** `State`: `AVAILABLE`, `STOPPED`, `PENDING`, ... */
  readonly state: string;
  readonly bundleId?: string | undefined;
  /** `WorkspaceProperties.OperatingSystemName`, e.g. `WINDOWS_SERVER_2022`. */
  readonly operatingSystem?: string | undefined;
  readonly rootVolumeSizeGib?: number | undefined;
  readonly userVolumeSizeGib?: number | undefined;
  /**
   * The bundle's OS licence when the source knows it (BYOL images); pricing
   * assumes `INCLUDED`, or `BYOL` for Windows 7/10/11, when absent.
   */
  readonly licence?: 'INCLUDED' | 'BYOL' | undefined;
  /**
   * The bundle is a Plus bundle, priced apart from its compute type's plain
   * bundle, when the source knows it. `DescribeWorkspaces` does not say, so the
   * AWS fleet source leaves it unset (docs/finance.md, "Plus bundles").
   */
  readonly plus?: boolean | undefined;
  /**
   * It is a standby WorkSpace or the primary of one (`RelatedWorkspaces` not
   * empty): wco never removes either half of a pair.
   */
  readonly standbyPair?: boolean | undefined;
}

/** A WorkSpace with its tags and month-to-date usage, each read independently. */
export interface ObservedWorkspace {
  readonly workspace: Workspace;
  readonly tags: Read<Tags>;
  readonly usage: Read<ConnectedSamples>;
}
