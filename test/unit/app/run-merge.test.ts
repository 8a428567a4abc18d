import { describe, expect, it } from 'vitest';
import type { OptimizerSettings } from '../../../src/app/run-optimizer.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import type { InMemoryWorkspace } from '../../helpers/in-memory-fleet.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { recordingLog } from '../../helpers/recording-log.js';
import { RecordingSink } from '../../helpers/recording-sink.js';
import { optimizerSettings } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

// The end of a run (`mergeRun`), the same for one process and the sharded merge: what it
// writes, publishes, counts and says when a write or a publish fails.

const monthEnd = new Date('2026-11-30T23:00:00Z');
const midMonth = new Date('2026-11-15T12:00:00Z');
const november = new Date('2026-11-01T00:00:00Z');
const ACCOUNT = '111122223333';

const settings = (overrides: Partial<OptimizerSettings> = {}): OptimizerSettings =>
  optimizerSettings(monthEnd, ACCOUNT, overrides);

// 100 connected hours bill 101 > 85 (STANDARD): AutoStop -> AlwaysOn.
const heavy = (id: string, account = ACCOUNT): InMemoryWorkspace => ({
  workspace: workspace({ workspaceId: id, account }),
  usage: { ok: true, value: hourlyUsage(november, 100) },
});

const errorLines = (log: ReturnType<typeof recordingLog>) => log.lines.filter(([level]) => level === 'error');
const RUN_COMPLETED = 'Optimizer Run Completed';

describe('Function: mergeRun (through runOptimizer)', () => {
  it("logs a failed write of the day's aggregate once, fails the run with it and notes it in the month's summary", async () => {
    // Arrange
    const fleet = new InMemoryFleet([heavy('ws-1')]);
    const store = new MemoryStore('reports/daily/2026/11/30/aggregated.csv');
    const log = recordingLog();

    // Act
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(store), log },
      settings(),
    );

    // Assert
    const failure = {
      target: 'memory://reports/daily/2026/11/30/aggregated.csv',
      message: 'StoreError: AccessDenied: cannot write reports/daily/2026/11/30/aggregated.csv',
    };
    expect(summary.writeFailures).toEqual([failure]);
    expect(errorLines(log)).toEqual([['error', 'report write failed', failure]]);
    expect(summary.reportKeys).not.toContain('reports/daily/2026/11/30/aggregated.csv');
    expect(await store.get('reports/monthly/2026-11/summary.html')).toContain(
      'The month-end run (2026-11-30T23:00:00.000Z) could not write its daily report memory://reports/daily/2026/11/30/aggregated.csv: StoreError: AccessDenied',
    );
  });

  it('writes no monthly file mid-month, and its aggregate is the only report of the day besides the directories', async () => {
    const fleet = new InMemoryFleet([heavy('ws-1')]);
    const store = new MemoryStore();
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(store) },
      settings({ asOf: midMonth }),
    );
    expect(summary.monthEnd).toBe(false);
    expect(summary.reportKeys).toEqual([
      'reports/daily/2026/11/15/111122223333_us-east-1_d-1234567890.csv',
      'reports/daily/2026/11/15/aggregated.csv',
    ]);
    expect(summary.reportLocation).toBe(storeBacked(store).reports.location);
  });

  it('counts the events it published and those left for the next run, and logs what failed', async () => {
    // Arrange: EventBridge refuses the conversion events, and takes the run event.
    const fleet = new InMemoryFleet([heavy('ws-1'), heavy('ws-2')]);
    const sink = new RecordingSink((event) => event.detailType !== RUN_COMPLETED);
    const log = recordingLog();

    // Act
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(), events: sink, log },
      settings(),
    );

    // Assert
    expect(summary.events).toEqual({ published: 0, pending: 2 });
    expect(errorLines(log)).toEqual([
      [
        'error',
        'conversion events could not all be published',
        { message: 'events: PutEvents failed for 2 entry' },
      ],
    ]);
    expect(summary.writeFailures).toEqual([
      { target: 'events', message: 'events: PutEvents failed for 2 entry' },
    ]);
    expect(sink.events.map((event) => event.detailType)).toEqual([RUN_COMPLETED]);
  });

  it('publishes the pending events on the next run and counts them there', async () => {
    // Arrange
    const store = new MemoryStore();
    const fleet = new InMemoryFleet([heavy('ws-1'), heavy('ws-2')]);
    await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(store), events: new RecordingSink(() => true) },
      settings({ asOf: midMonth }),
    );
    const sink = new RecordingSink();

    // Act
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(store), events: sink },
      settings({ asOf: new Date('2026-11-16T12:00:00Z') }),
    );

    // Assert
    expect(summary.events).toEqual({ published: 2, pending: 0 });
    expect(summary.writeFailures).toEqual([]);
    expect(sink.events.map((event) => event.detailType)).toEqual([
      'WorkSpace Running Mode Changed',
      'WorkSpace Running Mode Changed',
      RUN_COMPLETED,
    ]);
  });

  it('publishes no conversion event in a dry run, only the run event', async () => {
    const fleet = new InMemoryFleet([heavy('ws-1')]);
    const sink = new RecordingSink();
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(), events: sink },
      settings({ dryRun: true }),
    );
    expect(sink.events.map((event) => event.detailType)).toEqual([RUN_COMPLETED]);
    expect(summary.events).toEqual({ published: 0, pending: 0 });
  });

  it('fails the run when the run event cannot be published, and logs it', async () => {
    const fleet = new InMemoryFleet([heavy('ws-1')]);
    const log = recordingLog();
    const { summary } = await runOptimizer(
      {
        fleet,
        switcher: fleet,
        ...storeBacked(),
        events: new RecordingSink((event) => event.detailType === RUN_COMPLETED),
        log,
      },
      settings(),
    );
    const failure = { target: 'events', message: 'PutEvents failed for 1 entry' };
    expect(summary.writeFailures).toEqual([failure]);
    expect(errorLines(log)).toEqual([['error', 'the run event could not be published', failure]]);
    expect(summary.events).toEqual({ published: 1, pending: 0 });
  });

  it('counts each account apart, in account order, with its conversions and savings', async () => {
    // Arrange
    const first = new InMemoryFleet([heavy('ws-b1', '999988887777'), heavy('ws-b2', '999988887777')]);
    const second = new InMemoryFleet([heavy('ws-a1', '111100001111')]);
    const hub = new InMemoryFleet([]);

    // Act
    const { summary } = await runOptimizer(
      {
        fleet: hub,
        switcher: hub,
        ...storeBacked(),
        accounts: [
          { account: '999988887777', fleet: first, switcher: first },
          { account: '111100001111', fleet: second, switcher: second },
        ],
      },
      settings(),
    );

    // Assert (no prices: no savings figure)
    expect(summary.accounts).toEqual([
      {
        account: '111100001111',
        workspaces: 1,
        toAlwaysOn: 1,
        toAutoStop: 0,
        savings: {},
      },
      {
        account: '999988887777',
        workspaces: 2,
        toAlwaysOn: 2,
        toAutoStop: 0,
        savings: {},
      },
    ]);
    expect(summary.workspaces).toBe(3);
  });

  it("keeps the day's earlier rows of a region a rerun cannot read, and counts them", async () => {
    // Arrange: the day's first run reads both regions; the rerun cannot read eu-west-1.
    const store = new MemoryStore();
    const both = new InMemoryFleet([
      heavy('ws-1'),
      { ...heavy('ws-2'), workspace: workspace({ workspaceId: 'ws-2', region: 'eu-west-1' }) },
    ]);
    await runOptimizer({ fleet: both, switcher: both, ...storeBacked(store) }, settings({ dryRun: true }));
    const rerun = new InMemoryFleet([heavy('ws-1')]);
    rerun.failingRegions.set('eu-west-1', 'AccessDenied');

    // Act
    const { summary } = await runOptimizer(
      { fleet: rerun, switcher: rerun, ...storeBacked(store) },
      settings({ dryRun: true }),
    );

    // Assert
    expect(summary.keptRows).toBe(1);
    expect(summary.reportKeys).toContain('reports/daily/2026/11/30/111122223333_eu-west-1_d-1234567890.csv');
    expect(await store.get('reports/daily/2026/11/30/aggregated.csv')).toContain('ws-2');
  });
});
