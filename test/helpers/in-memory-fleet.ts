import type { ConvertibleMode, Tags } from '../../src/billing/index.js';
import type {
  FleetQuery,
  FleetSource,
  RegionFleet,
  RegionReading,
  Shard,
  WholeRegionSource,
} from '../../src/ports/fleet-source.js';
import { openWholeRegion } from '../../src/ports/fleet-source.js';
import type { ModeSwitcher } from '../../src/ports/mode-switcher.js';
import type { ObservedWorkspace, Workspace } from '../../src/ports/workspace.js';
import type { Read } from '../../src/shared/read.js';

const HOUR = 3_600_000;

export function workspace(overrides: Partial<Workspace> = {}): Workspace {
  return {
    workspaceId: 'ws-000000001',
    account: '111122223333',
    region: 'us-east-1',
    directoryId: 'd-1234567890',
    userName: 'alice',
    computerName: 'WSAMZN-0001',
    computeType: 'STANDARD',
    runningMode: 'AUTO_STOP',
    autoStopTimeoutMinutes: 60,
    state: 'AVAILABLE',
    ...overrides,
  };
}

/** `hours` one-hour sessions, each alone on its day, billing 2 clock hours each with I=60. */
export function hourlyUsage(startOfMonth: Date, connectedHours: number): number[] {
  const starts: number[] = [];
  for (let h = 0; h < connectedHours; h += 1) starts.push(startOfMonth.getTime() + h * HOUR);
  return starts;
}

export interface InMemoryWorkspace {
  workspace: Workspace;
  tags?: Read<Tags>;
  /** Connected hourly sample starts. */
  usage?: Read<number[]>;
  confirmedTags?: Read<Tags>;
  modifyError?: string;
}

/** A hand-built fleet for use-case tests: no SDK, no generator, every fact chosen by the test. */
export class InMemoryFleet implements FleetSource, WholeRegionSource, ModeSwitcher {
  readonly modifies: { workspaceId: string; mode: ConvertibleMode }[] = [];
  readonly confirmations: string[] = [];
  readonly failingRegions = new Map<string, string>();
  /** Directories whose reading fails (throttled) after this many WorkSpaces; 0: before the first. */
  readonly failingDirectories = new Map<string, number>();
  /** Directories that start to be read only after this many milliseconds. */
  readonly slowDirectories = new Map<string, number>();

  constructor(private readonly items: InMemoryWorkspace[]) {}

  get regions(): string[] {
    return [
      ...new Set([...this.items.map((item) => item.workspace.region), ...this.failingRegions.keys()]),
    ].sort();
  }

  async openRegion(region: string, query: FleetQuery, only?: readonly Shard[]): Promise<RegionReading> {
    const reading = await openWholeRegion(this, region, query, only);
    const { failingDirectories, slowDirectories } = this;
    return {
      ...reading,
      async *readBatches(shard) {
        const delay = slowDirectories.get(shard.directoryId);
        if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
        const failAfter = failingDirectories.get(shard.directoryId);
        if (failAfter === undefined) return yield* reading.readBatches(shard);
        let left = failAfter;
        for await (const batch of reading.readBatches(shard)) {
          if (left > 0) yield batch.slice(0, left);
          left -= batch.length;
          if (left <= 0) break;
        }
        throw new Error('ThrottlingException: Rate exceeded');
      },
    };
  }

  async readRegion(region: string, _query: FleetQuery): Promise<RegionFleet> {
    const failure = this.failingRegions.get(region);
    if (failure) throw new Error(failure);
    const workspaces: ObservedWorkspace[] = this.items
      .filter((item) => item.workspace.region === region)
      .map((item) => ({
        workspace: item.workspace,
        tags: item.tags ?? { ok: true, value: {} },
        usage: mapRead(item.usage ?? { ok: true, value: [] }, (starts) => ({
          connectedStarts: starts,
          periodMinutes: 60,
        })),
      }));
    return { region, workspaces, problems: [] };
  }

  async confirmTags(target: Workspace): Promise<Read<Tags>> {
    this.confirmations.push(target.workspaceId);
    const item = this.find(target.workspaceId);
    return item.confirmedTags ?? item.tags ?? { ok: true, value: {} };
  }

  async setRunningMode(target: Workspace, mode: ConvertibleMode): Promise<void> {
    const item = this.find(target.workspaceId);
    if (item.modifyError) throw new Error(item.modifyError);
    this.modifies.push({ workspaceId: target.workspaceId, mode });
  }

  private find(workspaceId: string): InMemoryWorkspace {
    const item = this.items.find((candidate) => candidate.workspace.workspaceId === workspaceId);
    if (!item) throw new Error(`unknown WorkSpace ${workspaceId}`);
    return item;
  }
}

function mapRead<T, U>(read: Read<T>, map: (value: T) => U): Read<U> {
  return read.ok ? { ok: true, value: map(read.value) } : read;
}
