import type { ConvertibleMode, Interval, RemovalAction, Tags } from '../billing/index.js';
import {
  DEFAULT_AUTOSTOP_TIMEOUT_MINUTES,
  isConvertibleMode,
  MODIFIABLE_STATES,
  RunningMode,
  usageQueryWindow,
} from '../billing/index.js';
import type {
  FleetQuery,
  FleetSource,
  RegionFleet,
  RegionReading,
  Shard,
  WholeRegionSource,
} from '../ports/fleet-source.js';
import { openWholeRegion } from '../ports/fleet-source.js';
import type { ModeSwitcher } from '../ports/mode-switcher.js';
import type { LastUse, UnusedWorkspaces } from '../ports/unused-workspaces.js';
import { simulatedLastUse } from './simulated-last-use.js';
import type { ObservedWorkspace, Workspace } from '../ports/workspace.js';
import type { Read } from '../shared/read.js';
import { ok } from '../shared/read.js';
import type { SimulatedFleetOptions } from './generate-simulated-fleet.js';
import { DEFAULT_SIMULATED_REGIONS, generateSimulatedFleet } from './generate-simulated-fleet.js';
import { sessionsToSamples } from './sessions-to-samples.js';
import type { SimulatedWorkspace } from './simulated-workspace.js';
import { WcoError } from '../shared/errors.js';

/** A region the simulated fleet does not have was asked for: a caller's mistake, not an AWS error. */
export class UnknownRegionError extends WcoError {
  override readonly name = 'UnknownRegionError';
}

/** The resolution of the contract's `UserConnected` samples. */
export const SAMPLE_PERIOD_MINUTES = 5;

/**
 * The embedded fleet behind `wco run --demo`: an in-memory `FleetSource` and
 * `ModeSwitcher`. Reads report each WorkSpace's sessions as 5-minute
 * `UserConnected` samples; `setRunningMode` changes the mode in memory, so the
 * next read shows it. The faults of a `SimulatedWorkspace` make its reads or
 * its modify fail with the AWS-style message they carry.
 */
export class SimulatedFleet implements FleetSource, WholeRegionSource, ModeSwitcher, UnusedWorkspaces {
  readonly regions: readonly string[];
  private readonly byId = new Map<string, SimulatedWorkspace>();

  /**
   * @param workspaces the fleet, e.g. from `generateSimulatedFleet`
   * @param regions the regions to report; default the WorkSpaces' regions, in order of appearance
   */
  /**
   * @param asOf when the fleet is seen: the last connections of `lastConnections` are as of then (default now)
   */
  constructor(
    workspaces: readonly SimulatedWorkspace[],
    regions?: readonly string[],
    private readonly asOf: Date = new Date(),
  ) {
    for (const simulated of workspaces) {
      const id = simulated.workspace.workspaceId;
      if (this.byId.has(id)) throw new RangeError(`WorkSpace ${id} appears twice in the simulated fleet`);
      this.byId.set(id, simulated);
    }
    this.regions = regions ?? [...new Set(workspaces.map((s) => s.workspace.region))];
  }

  /** @example SimulatedFleet.generate({ seed: 42, asOf: new Date('2026-11-30T23:00:00Z') }) */
  static generate(options: SimulatedFleetOptions): SimulatedFleet {
    return new SimulatedFleet(
      generateSimulatedFleet(options),
      options.regions ?? DEFAULT_SIMULATED_REGIONS,
      options.asOf,
    );
  }

  /** The fleet as it is now (running modes changed by `setRunningMode` included). */
  list(): readonly SimulatedWorkspace[] {
    return [...this.byId.values()];
  }

  /**
   * Puts a WorkSpace in the mode an earlier run switched it to: the simulated
   * fleet is generated anew by every process, the service it stands for is not.
   * Unknown ids are ignored (the fleet of another seed).
   */
  restoreMode(workspaceId: string, mode: ConvertibleMode, autoStopTimeoutMinutes?: number): void {
    const simulated = this.byId.get(workspaceId);
    if (!simulated) return;
    const workspace = {
      ...simulated.workspace,
      runningMode: mode,
      autoStopTimeoutMinutes:
        mode === RunningMode.AUTO_STOP
          ? (autoStopTimeoutMinutes ?? simulated.workspace.autoStopTimeoutMinutes)
          : simulated.workspace.autoStopTimeoutMinutes,
    };
    this.byId.set(workspaceId, { ...simulated, workspace });
  }

  /**
   * Puts back a removal an earlier run made (the service keeps it; the fleet is
   * generated anew by every process): a terminated WorkSpace is gone, a stopped
   * one `STOPPED`, one switched to AutoStop in that mode. Unknown ids are ignored.
   */
  restoreRemoval(workspaceId: string, action: RemovalAction): void {
    const simulated = this.byId.get(workspaceId);
    if (!simulated) return;
    if (action === 'TERMINATE') this.byId.delete(workspaceId);
    else if (action === 'TO_AUTO_STOP') this.restoreMode(workspaceId, RunningMode.AUTO_STOP);
    else
      this.byId.set(workspaceId, { ...simulated, workspace: { ...simulated.workspace, state: 'STOPPED' } });
  }

  /** A WorkSpace's connected sessions (sorted, disjoint); empty for an unknown id. */
  sessions(workspaceId: string): readonly Interval[] {
    return this.byId.get(workspaceId)?.sessions ?? [];
  }

  /** The region as read once (`readRegion`), its directories as shards. */
  openRegion(region: string, query: FleetQuery, only?: readonly Shard[]): Promise<RegionReading> {
    return openWholeRegion(this, region, query, only);
  }

  /** The accounts of the fleet's WorkSpaces, sorted. */
  get accounts(): readonly string[] {
    return [...new Set(this.list().map((s) => s.workspace.account))].sort();
  }

  /** The fleet of one account: what that account's credentials would show. Switching goes through the whole fleet. */
  ofAccount(account: string): FleetSource {
    const view: WholeRegionSource = {
      regions: this.regions,
      readRegion: (region, query) => this.readRegionOf(region, query, account),
    };
    return {
      regions: this.regions,
      openRegion: (region, query, only) => openWholeRegion(view, region, query, only),
    };
  }

  readRegion(region: string, query: FleetQuery): Promise<RegionFleet> {
    return this.readRegionOf(region, query, undefined);
  }

  private async readRegionOf(
    region: string,
    query: FleetQuery,
    account: string | undefined,
  ): Promise<RegionFleet> {
    if (!this.regions.includes(region))
      throw new UnknownRegionError(
        `The simulated fleet has no region ${region} (it has ${this.regions.join(', ')})`,
      );
    const inRegion = this.list().filter(
      (s) => s.workspace.region === region && (account === undefined || s.workspace.account === account),
    );
    const window = usageQueryWindow(query.asOf, longestTimeout(inRegion, query), SAMPLE_PERIOD_MINUTES);
    const workspaces = inRegion.map((simulated): ObservedWorkspace => ({
      workspace: simulated.workspace,
      tags: tagsOf(simulated),
      usage:
        simulated.faults?.usage === undefined
          ? ok(sessionsToSamples(simulated.sessions, SAMPLE_PERIOD_MINUTES, window))
          : { ok: false, error: simulated.faults.usage },
    }));
    return { region, workspaces, problems: [] };
  }

  /** As `DescribeWorkspacesConnectionStatus` would answer at the fleet's `asOf`; an unknown id is a failed read. */
  async lastConnections(
    _region: string,
    workspaceIds: readonly string[],
  ): Promise<ReadonlyMap<string, Read<LastUse>>> {
    return new Map(
      workspaceIds.map((id) => {
        const simulated = this.byId.get(id);
        const use: Read<LastUse> = simulated
          ? ok(simulatedLastUse(simulated, this.asOf))
          : { ok: false, error: notFound(id).message };
        return [id, use];
      }),
    );
  }

  /**
   * What CloudWatch would hold: a connection in `window` when a session of this
   * month, or the last connection `lastConnections` gives, falls in it (the
   * fleet's sessions cover this month only; its past is the last connection).
   */
  async connectedIn(
    _region: string,
    workspaceIds: readonly string[],
    window: Interval,
  ): Promise<ReadonlyMap<string, Read<boolean>>> {
    return new Map(
      workspaceIds.map((id): [string, Read<boolean>] => {
        const simulated = this.byId.get(id);
        if (!simulated) return [id, { ok: false, error: notFound(id).message }];
        const last = simulatedLastUse(simulated, this.asOf).lastConnection;
        const overlaps = (session: Interval) => session.start < window.end && session.end > window.start;
        const lastInWindow = last !== null && last >= window.start && last < window.end;
        return [id, ok(simulated.sessions.some(overlaps) || lastInWindow)];
      }),
    );
  }

  /** Terminates (the WorkSpace goes), stops or switches to AutoStop in memory; rejects like the service would. */
  async remove(workspace: Workspace, action: RemovalAction): Promise<void> {
    const simulated = this.byId.get(workspace.workspaceId);
    if (!simulated) throw notFound(workspace.workspaceId);
    if (action === 'TO_AUTO_STOP') return this.setRunningMode(workspace, RunningMode.AUTO_STOP);
    if (simulated.faults?.modify !== undefined) throw awsError(simulated.faults.modify);
    if (action === 'TERMINATE') {
      this.byId.delete(workspace.workspaceId);
      return;
    }
    this.byId.set(workspace.workspaceId, {
      ...simulated,
      workspace: { ...simulated.workspace, state: 'STOPPED' },
    });
  }

  async confirmTags(workspace: Workspace): Promise<Read<Tags>> {
    const simulated = this.byId.get(workspace.workspaceId);
    if (!simulated) return { ok: false, error: notFound(workspace.workspaceId).message };
    return tagsOf(simulated);
  }

  /** Rejects like `ModifyWorkspaceProperties` would: unknown WorkSpace, wrong state, or the WorkSpace's modify fault. */
  async setRunningMode(
    workspace: Workspace,
    mode: ConvertibleMode,
    options: { readonly autoStopTimeoutMinutes?: number | undefined } = {},
  ): Promise<void> {
    const simulated = this.byId.get(workspace.workspaceId);
    if (!simulated) throw notFound(workspace.workspaceId);
    if (!isConvertibleMode(mode))
      throw awsError(`InvalidParameterValuesException: Invalid running mode ${String(mode)}`);
    if (simulated.faults?.modify !== undefined) throw awsError(simulated.faults.modify);
    const current = simulated.workspace;
    if (!MODIFIABLE_STATES.has(current.state))
      throw awsError(
        `InvalidResourceStateException: The specified WorkSpace ${current.workspaceId} has an invalid state (${current.state}) for this operation.`,
      );
    const autoStopTimeoutMinutes =
      mode === RunningMode.AUTO_STOP
        ? (options.autoStopTimeoutMinutes ??
          current.autoStopTimeoutMinutes ??
          DEFAULT_AUTOSTOP_TIMEOUT_MINUTES)
        : current.autoStopTimeoutMinutes;
    this.byId.set(current.workspaceId, {
      ...simulated,
      workspace: { ...current, runningMode: mode, autoStopTimeoutMinutes },
    });
  }
}

// The query must reach back far enough for the longest idle tail running into this month.
function longestTimeout(workspaces: readonly SimulatedWorkspace[], query: FleetQuery): number {
  let longest = Math.max(
    query.assumedTimeoutMinutes,
    DEFAULT_AUTOSTOP_TIMEOUT_MINUTES,
    ...(query.recordedTimeouts?.values() ?? []),
  );
  for (const { workspace } of workspaces) longest = Math.max(longest, workspace.autoStopTimeoutMinutes ?? 0);
  return longest;
}

function tagsOf(simulated: SimulatedWorkspace): Read<Tags> {
  return simulated.faults?.tags === undefined
    ? ok(simulated.tags)
    : { ok: false, error: simulated.faults.tags };
}

function notFound(workspaceId: string): Error {
  return awsError(`ResourceNotFoundException: The specified WorkSpace ${workspaceId} could not be found.`);
}

/**
 * An Error named like the SDK's exception, so that `errorMessage` prints the message back unchanged.
 * A plain `Error`, not a `WcoError`, on purpose: it stands in for an SDK error.
 */
function awsError(message: string): Error {
  const match = /^([A-Z][A-Za-z]+(?:Exception|Error)): (.*)$/s.exec(message);
  const error = new Error(match ? match[2] : message);
  if (match) error.name = match[1] as string;
  return error;
}
