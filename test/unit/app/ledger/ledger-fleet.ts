import type { Interval } from '../../../../src/billing/index.js';
import type { SimulatedWorkspace } from '../../../../src/simulated/index.js';
import { SimulatedFleet } from '../../../../src/simulated/index.js';
import type { Workspace } from '../../../../src/ports/workspace.js';
import type { ConvertibleMode } from '../../../../src/billing/index.js';
import type { FleetQuery, RegionFleet } from '../../../../src/ports/fleet-source.js';
import { ConversionLedger } from '../../../../src/app/ledger/conversion-ledger.js';
import type { OptimizerSettings } from '../../../../src/app/run-optimizer.js';
import { runOptimizer } from '../../../../src/app/run-optimizer.js';
import { StoredReports } from '../../../../src/report/stored-reports.js';
import { MemoryStore } from '../../../helpers/memory-store.js';
import { RecordingSink } from '../../../helpers/recording-sink.js';
import { optimizerSettings } from '../../../helpers/run-settings.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const NOVEMBER = Date.UTC(2026, 10, 1);

/** A WorkSpace of a hand-made month: `hoursPerDay` connected hours every day from 09:00, from `firstDay` on. */
export interface LedgerTestWorkspace {
  readonly id: string;
  readonly runningMode: 'AUTO_STOP' | 'ALWAYS_ON';
  readonly hoursPerDay: number;
  readonly firstDay?: number;
  readonly autoStopTimeoutMinutes?: number | undefined;
  readonly tags?: Record<string, string>;
}

/** Sessions of a month: usage only grows as the month goes on. */
export function dailySessions(hoursPerDay: number, firstDay = 1): Interval[] {
  const sessions: Interval[] = [];
  if (hoursPerDay <= 0) return sessions;
  for (let day = firstDay; day <= 30; day += 1) {
    const start = NOVEMBER + (day - 1) * DAY + 9 * HOUR;
    sessions.push({ start, end: start + hoursPerDay * HOUR });
  }
  return sessions;
}

export function simulatedWorkspace(spec: LedgerTestWorkspace): SimulatedWorkspace {
  const workspace: Workspace = {
    workspaceId: spec.id,
    account: '111122223333',
    region: 'us-east-1',
    directoryId: 'd-1234567890',
    userName: `user-${spec.id}`,
    computerName: `WSAMZN-${spec.id}`,
    computeType: 'STANDARD',
    runningMode: spec.runningMode,
    autoStopTimeoutMinutes:
      spec.runningMode === 'AUTO_STOP' ? (spec.autoStopTimeoutMinutes ?? 60) : spec.autoStopTimeoutMinutes,
    state: 'AVAILABLE',
  };
  return {
    workspace,
    tags: spec.tags ?? {},
    sessions: dailySessions(spec.hoursPerDay, spec.firstDay),
    archetype: 'FULL_TIME',
  };
}

/**
 * The simulated fleet, counting every running-mode change that landed, by
 * WorkSpace: what "changed mode at most once a month by wco's hand" is checked on.
 */
export class CountingFleet extends SimulatedFleet {
  readonly changes: { workspaceId: string; mode: ConvertibleMode }[] = [];
  /** Modifies that fail (as the API would), by WorkSpace id, counted down. */
  readonly failingModifies = new Map<string, number>();
  /** Drops the AutoStop timeout of a WorkSpace switched to AlwaysOn, as the API may. */
  dropTimeoutOnAlwaysOn = false;
  /** Reports 60 minutes for a WorkSpace switched to AlwaysOn (a reset rather than a drop). */
  resetTimeoutOnAlwaysOn = false;

  constructor(specs: readonly LedgerTestWorkspace[]) {
    super(specs.map(simulatedWorkspace));
  }

  override async setRunningMode(
    workspace: Workspace,
    mode: ConvertibleMode,
    options?: { readonly autoStopTimeoutMinutes?: number | undefined },
  ): Promise<void> {
    const failures = this.failingModifies.get(workspace.workspaceId) ?? 0;
    if (failures > 0) {
      this.failingModifies.set(workspace.workspaceId, failures - 1);
      const error = new Error('Rate exceeded');
      error.name = 'ThrottlingException';
      throw error;
    }
    await super.setRunningMode(workspace, mode, options);
    if (mode === 'ALWAYS_ON' && this.dropTimeoutOnAlwaysOn) this.forgotten.add(workspace.workspaceId);
    else this.forgotten.delete(workspace.workspaceId);
    if (mode === 'ALWAYS_ON' && this.resetTimeoutOnAlwaysOn) this.reset.add(workspace.workspaceId);
    else this.reset.delete(workspace.workspaceId);
    this.changes.push({ workspaceId: workspace.workspaceId, mode });
  }

  /** An operator changes the mode by hand: not wco's change, not counted. */
  async operatorSets(workspaceId: string, mode: ConvertibleMode): Promise<void> {
    const simulated = this.list().find((candidate) => candidate.workspace.workspaceId === workspaceId)!;
    await super.setRunningMode({ ...simulated.workspace, state: 'AVAILABLE' }, mode);
    this.forgotten.delete(workspaceId);
    this.reset.delete(workspaceId);
  }

  private readonly reset = new Set<string>();

  private readonly forgotten = new Set<string>();

  /** As the service answers: without the timeouts it forgot. */
  override async readRegion(region: string, query: FleetQuery): Promise<RegionFleet> {
    const fleet = await super.readRegion(region, query);
    return {
      ...fleet,
      workspaces: fleet.workspaces.map((observed) =>
        this.forgotten.has(observed.workspace.workspaceId)
          ? { ...observed, workspace: { ...observed.workspace, autoStopTimeoutMinutes: undefined } }
          : this.reset.has(observed.workspace.workspaceId)
            ? { ...observed, workspace: { ...observed.workspace, autoStopTimeoutMinutes: 60 } }
            : observed,
      ),
    };
  }

  modeOf(workspaceId: string): string {
    return this.list().find((simulated) => simulated.workspace.workspaceId === workspaceId)!.workspace
      .runningMode;
  }
}

/**
 * A month of runs on one fleet, one store (reports and ledger) and one sink.
 * Each run's wall clock is `gapMinutes` after the later of its `T` and the
 * previous run's clock: 16 (the default) lets the previous run's claims expire.
 */
export class LedgerWorld {
  readonly fleet: CountingFleet;
  readonly store = new MemoryStore();
  readonly sink = new RecordingSink();
  private clock = 0;

  constructor(specs: readonly LedgerTestWorkspace[]) {
    this.fleet = new CountingFleet(specs);
  }

  run(asOf: Date, options: Partial<OptimizerSettings> & { readonly gapMinutes?: number } = {}) {
    const { gapMinutes = 16, ...overrides } = options;
    this.clock = Math.max(this.clock, asOf.getTime()) + gapMinutes * 60_000;
    const now = new Date(this.clock);
    return runOptimizer(
      {
        fleet: this.fleet,
        switcher: this.fleet,
        reports: new StoredReports(this.store),
        ledger: new ConversionLedger(this.store),
        events: this.sink,
        now: () => now,
      },
      optimizerSettings(asOf, '111122223333', overrides),
    );
  }
}
