import type { ConnectedSamples, Tags } from '../billing/index.js';

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
}

/** A read that may fail for one WorkSpace without failing the others. */
export type Read<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** A WorkSpace with its tags and month-to-date usage, each read independently. */
export interface ObservedWorkspace {
  readonly workspace: Workspace;
  readonly tags: Read<Tags>;
  readonly usage: Read<ConnectedSamples>;
}

export function ok<T>(value: T): Read<T> {
  return { ok: true, value };
}

export function failed<T>(error: unknown): Read<T> {
  return { ok: false, error: errorMessage(error) };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
