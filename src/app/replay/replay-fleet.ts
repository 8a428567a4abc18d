import type { ConnectedSamples, ConvertibleMode, Tags } from '../../billing/index.js';
import {
  countBefore,
  DEFAULT_AUTOSTOP_TIMEOUT_MINUTES,
  idleTimeoutMinutes,
  isConvertibleMode,
  MODIFIABLE_STATES,
  RunningMode,
  usageQueryWindow,
} from '../../billing/index.js';
import type { WorkspaceHistory } from '../../ports/fleet-history.js';
import type {
  FleetQuery,
  FleetSource,
  RegionFleet,
  RegionReading,
  Shard,
  WholeRegionSource,
} from '../../ports/fleet-source.js';
import { openWholeRegion } from '../../ports/fleet-source.js';
import type { ModeSwitcher } from '../../ports/mode-switcher.js';
import type { ObservedWorkspace, Workspace } from '../../ports/workspace.js';
import { WcoError } from '../../shared/errors.js';
import type { Read } from '../../shared/read.js';
import { ok } from '../../shared/read.js';

const MINUTE_MS = 60_000;

interface Tracked {
  readonly history: WorkspaceHistory;
  workspace: Workspace;
}

/** A conversion the replayed fleet refused, as `ModifyWorkspaceProperties` would. */
export class ReplayModifyError extends WcoError {
  override readonly name = 'ReplayModifyError';
}

/**
 * A fleet's history played back to the optimizer, one run at a time, in
 * memory: each `readRegion` shows the WorkSpaces that existed at the run's `T`
 * with their usage of `T`'s month up to `T`, in the modes earlier runs left
 * them in; `setRunningMode` changes the mode for the next runs. Nothing real is
 * touched. Usage samples are shown exactly as the history holds them, cut at
 * `T`: runs must be on whole hours when the history is hourly.
 */
export class ReplayFleet implements FleetSource, WholeRegionSource, ModeSwitcher {
  readonly regions: readonly string[];
  private readonly byId = new Map<string, Tracked>();
  private readonly longestTimeout: number;

  constructor(
    histories: readonly WorkspaceHistory[],
    regions: readonly string[],
    assumedTimeoutMinutes: number,
  ) {
    this.regions = regions;
    let longest = Math.max(assumedTimeoutMinutes, DEFAULT_AUTOSTOP_TIMEOUT_MINUTES);
    for (const history of histories) {
      this.byId.set(history.workspace.workspaceId, { history, workspace: history.workspace });
      longest = Math.max(longest, history.workspace.autoStopTimeoutMinutes ?? 0);
    }
    this.longestTimeout = longest;
  }

  /** The running mode a WorkSpace has now (after the runs so far). */
  modeOf(workspaceId: string): string | undefined {
    return this.byId.get(workspaceId)?.workspace.runningMode;
  }

  /** The region as read once (`readRegion`), its directories as shards. */
  openRegion(region: string, query: FleetQuery, only?: readonly Shard[]): Promise<RegionReading> {
    return openWholeRegion(this, region, query, only);
  }

  async readRegion(region: string, query: FleetQuery): Promise<RegionFleet> {
    const t = query.asOf.getTime();
    const window = usageQueryWindow(query.asOf, this.longestTimeout, 60);
    const workspaces: ObservedWorkspace[] = [];
    for (const tracked of this.byId.values()) {
      const { history, workspace } = tracked;
      if (workspace.region !== region || !existsAt(history, t)) continue;
      const usage = history.faults?.usage;
      workspaces.push({
        workspace: { ...workspace, state: history.state ?? this.stateAt(tracked, t) },
        tags: history.tags,
        usage:
          usage !== undefined
            ? { ok: false, error: usage }
            : history.usage.ok
              ? ok(between(history.usage.value, window.start, t))
              : history.usage,
      });
    }
    return { region, workspaces, problems: [] };
  }

  async confirmTags(workspace: Workspace): Promise<Read<Tags>> {
    const tracked = this.byId.get(workspace.workspaceId);
    return tracked
      ? tracked.history.tags
      : { ok: false, error: `unknown WorkSpace ${workspace.workspaceId}` };
  }

  /** Rejects like `ModifyWorkspaceProperties`: an unknown WorkSpace, one that fails every modify, a state that refuses it. */
  async setRunningMode(
    workspace: Workspace,
    mode: ConvertibleMode,
    options: { readonly autoStopTimeoutMinutes?: number | undefined } = {},
  ): Promise<void> {
    const tracked = this.byId.get(workspace.workspaceId);
    if (!tracked) throw new ReplayModifyError(`unknown WorkSpace ${workspace.workspaceId}`);
    if (!isConvertibleMode(mode)) throw new ReplayModifyError(`invalid running mode ${String(mode)}`);
    const fault = tracked.history.faults?.modify;
    if (fault !== undefined) throw new ReplayModifyError(fault);
    if (!MODIFIABLE_STATES.has(workspace.state))
      throw new ReplayModifyError(`${workspace.workspaceId} is ${workspace.state}: its mode cannot change`);
    const current = tracked.workspace;
    tracked.workspace = {
      ...current,
      runningMode: mode,
      // As the service does: a switch to AutoStop sets the timeout, a switch to AlwaysOn keeps the stored one.
      autoStopTimeoutMinutes:
        mode === RunningMode.AUTO_STOP
          ? (options.autoStopTimeoutMinutes ??
            current.autoStopTimeoutMinutes ??
            DEFAULT_AUTOSTOP_TIMEOUT_MINUTES)
          : current.autoStopTimeoutMinutes,
    };
  }

  /** An AutoStop WorkSpace is running (`AVAILABLE`) until its idle timeout after the last connected sample. */
  private stateAt(tracked: Tracked, t: number): string {
    const { workspace, history } = tracked;
    if (workspace.runningMode !== RunningMode.AUTO_STOP || !history.usage.ok) return 'AVAILABLE';
    const samples = history.usage.value;
    const last = samples.connectedStarts[countBefore(samples.connectedStarts, t) - 1];
    if (last === undefined) return 'STOPPED';
    const timeout = idleTimeoutMinutes(workspace.runningMode, workspace.autoStopTimeoutMinutes, 0);
    return last + (samples.periodMinutes + timeout) * MINUTE_MS > t ? 'AVAILABLE' : 'STOPPED';
  }
}

/** Whether the WorkSpace existed at `t`. */
export function existsAt(history: WorkspaceHistory, t: number): boolean {
  const existence = history.existence;
  return existence === undefined || (existence.start <= t && t < existence.end);
}

/** The samples that start in `[from, to)`; `connectedStarts` must be ascending. */
export function between(samples: ConnectedSamples, from: number, to: number): ConnectedSamples {
  const starts = samples.connectedStarts;
  return {
    connectedStarts: starts.slice(countBefore(starts, from), countBefore(starts, to)),
    periodMinutes: samples.periodMinutes,
  };
}
