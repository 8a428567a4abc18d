import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { OptimizerSettings } from '../../../src/app/run-optimizer.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import type { InMemoryWorkspace } from '../../helpers/in-memory-fleet.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { recordingLog } from '../../helpers/recording-log.js';
import { optimizerSettings } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

// One shard (a directory) across the runs of a day: what its file holds after a rerun that read
// all of it, part of it, or none of it, and what it says when a write fails.

const asOf = new Date('2026-11-15T12:00:00Z');
const november = new Date('2026-11-01T00:00:00Z');
const ACCOUNT = '111122223333';
const DIRECTORY_FILE = 'reports/daily/2026/11/15/111122223333_us-east-1_d-1234567890.csv';
const OTHER_FILE = 'reports/daily/2026/11/15/111122223333_us-east-1_d-2222222222.csv';
const AGGREGATED = 'reports/daily/2026/11/15/aggregated.csv';

const settings = (overrides: Partial<OptimizerSettings> = {}): OptimizerSettings =>
  optimizerSettings(asOf, ACCOUNT, { dryRun: true, ...overrides });

const light = (id: string, directoryId = 'd-1234567890'): InMemoryWorkspace => ({
  workspace: workspace({ workspaceId: id, directoryId }),
  usage: { ok: true, value: hourlyUsage(november, 10) },
});

/** Reads the first `count` WorkSpaces of `directoryId`, then fails as a throttled DescribeWorkspaces would. */
function failingAfter(fleet: InMemoryFleet, directoryId: string, count: number): InMemoryFleet {
  fleet.failingDirectories.set(directoryId, count);
  return fleet;
}

/** The rows of a stored CSV, as `workspace_id:evaluated`. */
async function rowsOf(store: MemoryStore, key: string): Promise<string[]> {
  const records = parse((await store.get(key)) ?? '', { columns: true }) as Record<string, string>[];
  return records.map((record) => `${record.workspace_id}:${record.evaluated}`);
}

async function firstRunOfTheDay(store: MemoryStore, items: InMemoryWorkspace[]): Promise<void> {
  const fleet = new InMemoryFleet(items);
  await runOptimizer({ fleet, switcher: fleet, ...storeBacked(store) }, settings());
}

describe('Function: runShard, across the runs of a day', () => {
  it('keeps the earlier rows of the WorkSpaces a rerun could not read, and says what it could not read', async () => {
    // Arrange
    const store = new MemoryStore();
    await firstRunOfTheDay(store, [light('ws-1'), light('ws-2'), light('ws-3')]);
    const fleet = failingAfter(
      new InMemoryFleet([light('ws-1'), light('ws-2'), light('ws-3')]),
      'd-1234567890',
      1,
    );
    const log = recordingLog();

    // Act
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(store), log },
      settings(),
    );

    // Assert
    expect(await rowsOf(store, DIRECTORY_FILE)).toEqual(['ws-1:yes', 'ws-2:no', 'ws-3:no']);
    expect(await rowsOf(store, AGGREGATED)).toEqual(['ws-1:yes', 'ws-2:no', 'ws-3:no']);
    expect(summary.workspaces).toBe(1);
    expect(summary.keptRows).toBe(2);
    const problem = {
      account: ACCOUNT,
      region: 'us-east-1',
      directoryId: 'd-1234567890',
      scope: 'directory d-1234567890',
      message: 'ThrottlingException: Rate exceeded',
    };
    expect(summary.problems).toEqual([problem]);
    expect(log.lines).toEqual([['error', 'part of the fleet could not be read', problem]]);
  });

  it('keeps the whole earlier file of a directory a rerun could not read at all', async () => {
    // Arrange
    const store = new MemoryStore();
    await firstRunOfTheDay(store, [light('ws-1'), light('ws-2'), light('ws-9', 'd-2222222222')]);
    const fleet = failingAfter(
      new InMemoryFleet([light('ws-1'), light('ws-2'), light('ws-9', 'd-2222222222')]),
      'd-1234567890',
      0,
    );

    // Act
    const { summary } = await runOptimizer({ fleet, switcher: fleet, ...storeBacked(store) }, settings());

    // Assert
    expect(await rowsOf(store, DIRECTORY_FILE)).toEqual(['ws-1:no', 'ws-2:no']);
    expect(await rowsOf(store, AGGREGATED)).toEqual(['ws-1:no', 'ws-2:no', 'ws-9:yes']);
    expect(summary.keptRows).toBe(2);
    expect(summary.workspaces).toBe(1);
  });

  it('drops from its file a WorkSpace that is gone since the earlier run, when the rerun read the whole directory', async () => {
    // Arrange: ws-2 was removed between the runs.
    const store = new MemoryStore();
    await firstRunOfTheDay(store, [light('ws-1'), light('ws-2')]);
    const fleet = new InMemoryFleet([light('ws-1')]);

    // Act
    const { summary } = await runOptimizer({ fleet, switcher: fleet, ...storeBacked(store) }, settings());

    // Assert
    expect(await rowsOf(store, DIRECTORY_FILE)).toEqual(['ws-1:yes']);
    expect(await rowsOf(store, AGGREGATED)).toEqual(['ws-1:yes']);
    expect(summary.keptRows).toBe(0);
  });

  it("leaves out of the day's aggregate a directory that has no WorkSpace left", async () => {
    // Arrange
    const store = new MemoryStore();
    await firstRunOfTheDay(store, [light('ws-1'), light('ws-9', 'd-2222222222')]);
    const fleet = new InMemoryFleet([light('ws-1')]);

    // Act
    const { summary } = await runOptimizer({ fleet, switcher: fleet, ...storeBacked(store) }, settings());

    // Assert
    expect(await rowsOf(store, AGGREGATED)).toEqual(['ws-1:yes']);
    expect(summary.reportKeys).toEqual([DIRECTORY_FILE, AGGREGATED]);
    expect(summary.reportKeys).not.toContain(OTHER_FILE);
  });

  it('logs a ledger write that failed with what it could not write, and fails the run with it', async () => {
    // Arrange: the intent of a conversion cannot be recorded, so nothing is converted.
    const store = new MemoryStore('ledger/');
    const heavy = new InMemoryFleet([
      { ...light('ws-1'), usage: { ok: true, value: hourlyUsage(november, 100) } },
    ]);
    const log = recordingLog();

    // Act: 101 billed hours on AutoStop, over the threshold: switch to AlwaysOn
    const { summary } = await runOptimizer(
      { fleet: heavy, switcher: heavy, ...storeBacked(store), log },
      settings({ dryRun: false }),
    );

    // Assert
    expect(heavy.modifies).toEqual([]);
    const ledgerLines = log.lines.filter(([, message]) => message === 'ledger write failed');
    expect(ledgerLines).toEqual([
      [
        'error',
        'ledger write failed',
        { target: expect.stringContaining('ledger/'), message: expect.stringContaining('AccessDenied') },
      ],
    ]);
    expect(summary.writeFailures).toEqual(expect.arrayContaining([ledgerLines[0]![2]]));
  });
});

describe('Function: runOptimizer, results and the end of the run', () => {
  it('returns no results when told not to keep them, and still hands each to onResult', async () => {
    const fleet = new InMemoryFleet([light('ws-1'), light('ws-2')]);
    const seen: string[] = [];
    const { results, summary } = await runOptimizer(
      {
        fleet,
        switcher: fleet,
        ...storeBacked(),
        onResult: (result) => seen.push(result.workspace.workspaceId),
      },
      settings({ keepResults: false }),
    );
    expect(results).toEqual([]);
    expect(seen.sort()).toEqual(['ws-1', 'ws-2']);
    expect(summary.workspaces).toBe(2);
  });

  it('returns every result when keepResults is not said, or said true', async () => {
    const fleet = new InMemoryFleet([light('ws-1'), light('ws-2')]);
    const deps = { fleet, switcher: fleet, ...storeBacked() };
    expect((await runOptimizer(deps, settings())).results).toHaveLength(2);
    expect((await runOptimizer(deps, settings({ keepResults: true }))).results).toHaveLength(2);
  });

  it("writes the day's aggregate, with no row, for a fleet with no WorkSpace", async () => {
    const store = new MemoryStore();
    const fleet = new InMemoryFleet([]);
    const { summary } = await runOptimizer({ fleet, switcher: fleet, ...storeBacked(store) }, settings());
    expect(summary.reportKeys).toEqual([AGGREGATED]);
    expect(await rowsOf(store, AGGREGATED)).toEqual([]);
  });

  it("fails the run and leaves the day's aggregate as it was when the earlier rows of an unread directory cannot be kept", async () => {
    // Arrange: the rerun cannot read d-2222222222, and cannot rewrite its file either.
    const store = new MemoryStore();
    await firstRunOfTheDay(store, [light('ws-1'), light('ws-9', 'd-2222222222')]);
    const before = await store.get(AGGREGATED);
    const fleet = failingAfter(
      new InMemoryFleet([light('ws-1'), light('ws-9', 'd-2222222222')]),
      'd-2222222222',
      0,
    );
    store.failingPrefixes.push(OTHER_FILE);
    const log = recordingLog();

    // Act
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(store), log },
      settings(),
    );

    // Assert
    const failure = {
      target: `memory://${OTHER_FILE}`,
      message: `StoreError: AccessDenied: cannot write ${OTHER_FILE}`,
    };
    expect(summary.writeFailures).toEqual([failure]);
    expect(log.lines.filter(([, message]) => message === 'report write failed')).toEqual([
      ['error', 'report write failed', failure],
    ]);
    expect(await store.get(AGGREGATED)).toBe(before);
    expect(summary.reportKeys).toEqual([DIRECTORY_FILE]);
  });
});
