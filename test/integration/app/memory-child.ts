/**
 * A run of a synthetic fleet in a process of its own, for the memory test:
 * argv <streaming|whole-region> <WorkSpaces> <output folder>. The fleet is
 * generated a batch at a time from each WorkSpace's index (nothing of it is
 * held), 16 directories, ~230 connected hours each; reports and ledger go to
 * a local folder. `whole-region` reads each region at once first, as runs did
 * before they streamed. Prints one JSON line with what the run saw.
 */
import type { ConvertibleMode, Tags } from '../../../src/billing/index.js';
import { thresholdPolicy } from '../../../src/billing/index.js';
import { ConversionLedger } from '../../../src/app/ledger/conversion-ledger.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import type {
  FleetQuery,
  FleetSource,
  RegionFleet,
  RegionReading,
  Shard,
  WholeRegionSource,
} from '../../../src/ports/fleet-source.js';
import { MAX_BATCH, openWholeRegion } from '../../../src/ports/fleet-source.js';
import type { ModeSwitcher } from '../../../src/ports/mode-switcher.js';
import type { ObservedWorkspace, Workspace } from '../../../src/ports/workspace.js';
import { StoredReports } from '../../../src/report/stored-reports.js';
import type { Read } from '../../../src/shared/read.js';
import { LocalFolderStore } from '../../../src/store/local-folder-store.js';

const [mode = 'streaming', count = '20000', folder = '/tmp/wco-memory'] = process.argv.slice(2);
const REGION = 'eu-west-1';
const DIRECTORIES = 16;
const HOUR = 3_600_000;
const asOf = new Date('2026-11-25T23:00:00Z');
const monthStart = Date.UTC(2026, 10, 1);
const total = Number(count);

function workspaceAt(index: number): Workspace {
  return {
    workspaceId: `ws-${index.toString(36).padStart(9, '0')}`,
    account: '123456789012',
    region: REGION,
    directoryId: `d-${(index % DIRECTORIES).toString(16).padStart(10, '0')}`,
    userName: `user.${index}`,
    computerName: `WSAMZN-${index}`,
    computeType: ['STANDARD', 'PERFORMANCE', 'POWER', 'VALUE'][index % 4]!,
    runningMode: index % 3 === 0 ? 'ALWAYS_ON' : 'AUTO_STOP',
    autoStopTimeoutMinutes: 60,
    state: 'AVAILABLE',
  };
}

function observedAt(index: number): ObservedWorkspace {
  // 6 to 12 connected hours a day, every day before T: the month-to-date samples of a working user.
  const hoursPerDay = 6 + (index % 7);
  const connectedStarts: number[] = [];
  for (let day = 0; day < 24; day += 1)
    for (let hour = 0; hour < hoursPerDay; hour += 1)
      connectedStarts.push(monthStart + day * 24 * HOUR + (8 + hour) * HOUR);
  return {
    workspace: workspaceAt(index),
    tags: { ok: true, value: index % 10 === 0 ? { CostCenter: `cc-${index % 97}` } : {} },
    usage: { ok: true, value: { connectedStarts, periodMinutes: 60 } },
  };
}

class SyntheticFleet implements FleetSource, WholeRegionSource, ModeSwitcher {
  readonly regions = [REGION];

  async openRegion(region: string, query: FleetQuery, only?: readonly Shard[]): Promise<RegionReading> {
    if (mode === 'whole-region') return openWholeRegion(this, region, query, only);
    const shards = Array.from({ length: DIRECTORIES }, (_, n) => ({
      account: '123456789012',
      region,
      directoryId: workspaceAt(n).directoryId,
    }));
    return {
      shards,
      async *readBatches(shard) {
        const first = shards.findIndex((candidate) => candidate.directoryId === shard.directoryId);
        let batch: ObservedWorkspace[] = [];
        for (let index = first; index < total; index += DIRECTORIES) {
          batch.push(observedAt(index));
          if (batch.length === MAX_BATCH) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      },
    };
  }

  /** The region read at once, every WorkSpace with its samples: what a run held before it streamed. */
  async readRegion(region: string): Promise<RegionFleet> {
    return {
      region,
      workspaces: Array.from({ length: total }, (_, index) => observedAt(index)),
      problems: [],
    };
  }

  async confirmTags(): Promise<Read<Tags>> {
    return { ok: true, value: {} };
  }

  async setRunningMode(_workspace: Workspace, _mode: ConvertibleMode): Promise<void> {}
}

const store = new LocalFolderStore(folder);
const fleet = new SyntheticFleet();
const { summary } = await runOptimizer(
  { fleet, switcher: fleet, reports: new StoredReports(store), ledger: new ConversionLedger(store) },
  {
    asOf,
    dryRun: true,
    forceMonthEnd: false,
    thresholds: thresholdPolicy(),
    assumedTimeoutMinutes: 60,
    account: '123456789012',
    regionConcurrency: 4,
    modifyConcurrency: 8,
    keepResults: false,
  },
);
process.stdout.write(
  `${JSON.stringify({ workspaces: summary.workspaces, writeFailures: summary.writeFailures.length, reportKeys: summary.reportKeys.length })}\n`,
);
