import { describe, expect, it } from 'vitest';
import { ConversionLedger } from '../../../src/app/ledger/conversion-ledger.js';
import type { OptimizerSettings, RunPlan } from '../../../src/app/run-optimizer.js';
import { mergeShards, planRun, runOptimizer, runShardTask } from '../../../src/app/run-optimizer.js';
import type { ShardOutcome } from '../../../src/app/run-shard.js';
import type { InMemoryWorkspace } from '../../helpers/in-memory-fleet.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { recordingLog } from '../../helpers/recording-log.js';
import { optimizerSettings } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

// The sharded deployment's three steps (plan, shard tasks, merge) where they part from the
// single function's path: what one of them cannot do, and what it then tells ops.

const asOf = new Date('2026-11-30T23:00:00Z');
const november = new Date('2026-11-01T00:00:00Z');
const ACCOUNT = '111122223333';
const AGGREGATED = 'reports/daily/2026/11/30/aggregated.csv';

const settings = (overrides: Partial<OptimizerSettings> = {}): OptimizerSettings =>
  optimizerSettings(asOf, ACCOUNT, overrides);

// 100 connected hours bill 101 > 85 (STANDARD): AutoStop -> AlwaysOn.
const heavy = (id: string, directoryId: string, region = 'us-east-1'): InMemoryWorkspace => ({
  workspace: workspace({ workspaceId: id, account: ACCOUNT, region, directoryId }),
  usage: { ok: true, value: hourlyUsage(november, 100) },
});

/** Three directories: two in us-east-1, one in ap-south-1. */
function fleetOfThree(): InMemoryFleet {
  return new InMemoryFleet([
    heavy('ws-a1', 'd-aaaaaaaaaa'),
    heavy('ws-a2', 'd-aaaaaaaaaa'),
    heavy('ws-b1', 'd-bbbbbbbbbb'),
    heavy('ws-c1', 'd-cccccccccc', 'ap-south-1'),
  ]);
}

type TaskDependencies = Parameters<typeof runShardTask>[0];

/** Each shard in a task of its own, all at once. */
async function everyShard(
  plan: RunPlan,
  deps: TaskDependencies,
  keep = (_shard: RunPlan['shards'][number]) => true,
) {
  const tasks = plan.shards.filter(keep).map((shard) => runShardTask(deps, settings(), [shard]));
  return (await Promise.all(tasks)).flat();
}

const errorLines = (log: ReturnType<typeof recordingLog>) => log.lines.filter(([level]) => level === 'error');

/** Plans the run, runs every shard in its own task and merges, as the state machine does. */
async function shardedRun(
  fleet: InMemoryFleet,
  store: MemoryStore,
  chosen: (plan: RunPlan, deps: TaskDependencies) => Promise<readonly ShardOutcome[]> = everyShard,
) {
  const log = recordingLog();
  const deps = { fleet, switcher: fleet, ...storeBacked(store), log };
  const plan = await planRun(deps, { ...settings(), runId: 'run-1' });
  const outcomes = await chosen(plan, deps);
  const summary = await mergeShards(deps, settings(), plan, outcomes);
  return { plan, outcomes, summary, log, deps };
}

describe('Function: planRun', () => {
  it('lists one shard per directory, in region order, and names the run, its time and its account', async () => {
    // Act
    const plan = await planRun({ fleet: fleetOfThree() }, { ...settings(), runId: 'run-7' });

    // Assert
    expect(plan).toEqual({
      schema: 1,
      runId: 'run-7',
      asOf: '2026-11-30T23:00:00.000Z',
      account: ACCOUNT,
      regions: ['ap-south-1', 'us-east-1'],
      shards: [
        { account: ACCOUNT, region: 'ap-south-1', directoryId: 'd-cccccccccc' },
        { account: ACCOUNT, region: 'us-east-1', directoryId: 'd-aaaaaaaaaa' },
        { account: ACCOUNT, region: 'us-east-1', directoryId: 'd-bbbbbbbbbb' },
      ],
      problems: [],
      unread: [],
      opened: [
        { account: ACCOUNT, region: 'ap-south-1' },
        { account: ACCOUNT, region: 'us-east-1' },
      ],
    });
  });

  it('gives each run its own id when none is given', async () => {
    const first = await planRun({ fleet: fleetOfThree() }, settings());
    const second = await planRun({ fleet: fleetOfThree() }, settings());
    expect(first.runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(second.runId).not.toBe(first.runId);
  });

  it('names a region it cannot list as a problem and an unread part, logs it, and plans the others', async () => {
    // Arrange
    const fleet = fleetOfThree();
    fleet.failingRegions.set('eu-west-1', 'AccessDeniedException: not authorized');
    const log = recordingLog();

    // Act
    const plan = await planRun({ fleet, log }, settings());

    // Assert
    const problem = {
      account: ACCOUNT,
      region: 'eu-west-1',
      scope: 'region',
      message: 'AccessDeniedException: not authorized',
    };
    expect(plan.problems).toEqual([problem]);
    expect(plan.unread).toEqual([{ account: ACCOUNT, region: 'eu-west-1' }]);
    expect(plan.shards.map((shard) => shard.region)).toEqual(['ap-south-1', 'us-east-1', 'us-east-1']);
    expect(plan.opened).toEqual([
      { account: ACCOUNT, region: 'ap-south-1' },
      { account: ACCOUNT, region: 'us-east-1' },
    ]);
    expect(log.lines).toEqual([['error', 'region could not be read', problem]]);
  });
});

describe('Function: runShardTask', () => {
  it('reports each shard of a region that can no longer be opened, with its directory, and keeps its rows', async () => {
    // Arrange: the plan listed the region; by the time the task runs it cannot be read.
    const fleet = fleetOfThree();
    const plan = await planRun({ fleet }, settings());
    fleet.failingRegions.set('us-east-1', 'ThrottlingException: rate exceeded');
    const log = recordingLog();

    // Act
    const outcomes = await runShardTask(
      { fleet, switcher: fleet, ...storeBacked(), log },
      settings(),
      plan.shards.filter((shard) => shard.region === 'us-east-1'),
    );

    // Assert: one outcome per shard, nothing evaluated, nothing converted
    expect(outcomes).toEqual(
      ['d-aaaaaaaaaa', 'd-bbbbbbbbbb'].map((directoryId) => ({
        shard: { account: ACCOUNT, region: 'us-east-1', directoryId },
        counts: expect.objectContaining({ workspaces: 0 }),
        parts: [],
        problems: [
          {
            account: ACCOUNT,
            region: 'us-east-1',
            scope: 'region',
            message: 'ThrottlingException: rate exceeded',
            directoryId,
          },
        ],
        unread: [{ account: ACCOUNT, region: 'us-east-1', directoryId }],
        writeFailures: [],
      })),
    );
    expect(fleet.modifies).toEqual([]);
    expect(errorLines(log)).toEqual([
      [
        'error',
        'region could not be read',
        {
          account: ACCOUNT,
          region: 'us-east-1',
          scope: 'region',
          message: 'ThrottlingException: rate exceeded',
        },
      ],
    ]);
  });

  it("reports the shards of an account that is no longer among the run's accounts, and runs the others", async () => {
    // Arrange: a hub planned over two accounts; the second left the organisation before its task ran.
    const stayed = fleetOfThree();
    const left = new InMemoryFleet([
      {
        ...heavy('ws-x1', 'd-xxxxxxxxxx'),
        workspace: workspace({ workspaceId: 'ws-x1', account: '444455556666' }),
      },
    ]);
    const hub = new InMemoryFleet([]);
    const plan = await planRun(
      {
        fleet: hub,
        accounts: [
          { account: ACCOUNT, fleet: stayed, switcher: stayed },
          { account: '444455556666', fleet: left, switcher: left },
        ],
      },
      settings(),
    );

    // Act
    const outcomes = await runShardTask(
      {
        fleet: hub,
        switcher: hub,
        ...storeBacked(),
        accounts: [{ account: ACCOUNT, fleet: stayed, switcher: stayed }],
      },
      settings({ dryRun: false }),
      plan.shards,
    );

    // Assert
    const gone = outcomes.filter((outcome) => outcome.shard.account === '444455556666');
    expect(gone).toEqual([
      {
        shard: { account: '444455556666', region: 'us-east-1', directoryId: 'd-1234567890' },
        counts: expect.objectContaining({ workspaces: 0 }),
        parts: [],
        problems: [
          {
            account: '444455556666',
            region: 'us-east-1',
            scope: 'account 444455556666',
            message: "the account is no longer among the run's accounts",
            directoryId: 'd-1234567890',
          },
        ],
        unread: [{ account: '444455556666', region: 'us-east-1', directoryId: 'd-1234567890' }],
        writeFailures: [],
      },
    ]);
    expect(left.modifies).toEqual([]);
    expect(stayed.modifies.map((modify) => modify.workspaceId).sort()).toEqual([
      'ws-a1',
      'ws-a2',
      'ws-b1',
      'ws-c1',
    ]);
    expect(outcomes.filter((outcome) => outcome.shard.account === ACCOUNT)).toHaveLength(3);
  });

  it('stores no unused candidates when the run has no unused review', async () => {
    const fleet = fleetOfThree();
    const plan = await planRun({ fleet }, settings());
    const outcomes = await runShardTask(
      { fleet, switcher: fleet, ...storeBacked() },
      settings(),
      plan.shards,
    );
    for (const outcome of outcomes) expect(outcome).not.toHaveProperty('unused');
  });
});

describe('Function: mergeShards', () => {
  it("reports a shard whose task never finished, logs it, and keeps its directory's rows of the day", async () => {
    // Arrange: the day's first run read everything.
    const store = new MemoryStore();
    await shardedRun(fleetOfThree(), store);

    // Act: the rerun's task for d-bbbbbbbbbb failed after its retries.
    const { summary, log } = await shardedRun(fleetOfThree(), store, (plan, deps) =>
      everyShard(plan, deps, (shard) => shard.directoryId !== 'd-bbbbbbbbbb'),
    );

    // Assert
    expect(summary.problems).toEqual([
      {
        region: 'us-east-1',
        scope: 'directory d-bbbbbbbbbb',
        directoryId: 'd-bbbbbbbbbb',
        message: 'its shard task failed after its retries: the directory was not evaluated',
      },
    ]);
    expect(errorLines(log)).toEqual([
      ['error', 'a shard did not finish', { region: 'us-east-1', directoryId: 'd-bbbbbbbbbb' }],
    ]);
    expect(summary.workspaces).toBe(3);
    expect(summary.keptRows).toBe(1);
    expect(await store.get(AGGREGATED)).toContain('ws-b1');
    expect(await store.get('reports/daily/2026/11/30/111122223333_us-east-1_d-bbbbbbbbbb.csv')).toContain(
      'ws-b1',
    );
  });

  it('adds up the same summary and writes the same bytes whatever order the shard tasks finished in', async () => {
    // Arrange
    const inOrder = new MemoryStore();
    const reversed = new MemoryStore();

    // Act
    const first = await shardedRun(fleetOfThree(), inOrder);
    const second = await shardedRun(fleetOfThree(), reversed, async (plan, deps) =>
      (await everyShard(plan, deps)).reverse(),
    );

    // Assert
    expect(second.summary).toEqual(first.summary);
    expect(first.summary.reportKeys).toEqual([
      'reports/daily/2026/11/30/111122223333_ap-south-1_d-cccccccccc.csv',
      'reports/daily/2026/11/30/111122223333_us-east-1_d-aaaaaaaaaa.csv',
      'reports/daily/2026/11/30/111122223333_us-east-1_d-bbbbbbbbbb.csv',
      AGGREGATED,
      'reports/monthly/2026-11/aggregated.csv',
      'reports/monthly/2026-11/summary.csv',
      'reports/monthly/2026-11/summary.html',
    ]);
    expect(await reversed.get(AGGREGATED)).toBe(await inOrder.get(AGGREGATED));
    expect(first.summary.regions).toEqual(['ap-south-1', 'us-east-1']);
  });

  it("names the plan's regions in the summary, those it could not list too", async () => {
    const fleet = fleetOfThree();
    fleet.failingRegions.set('eu-west-1', 'AccessDeniedException: not authorized');
    const { summary } = await shardedRun(fleet, new MemoryStore());
    expect(summary.regions).toEqual(['ap-south-1', 'eu-west-1', 'us-east-1']);
    expect(summary.problems).toEqual([expect.objectContaining({ region: 'eu-west-1', scope: 'region' })]);
  });
});

describe('Function: runOptimizer, what one process cannot read', () => {
  it('converts nothing in a region whose ledger cannot be read, reports and logs it, and still reports the region', async () => {
    // Arrange: without the month's ledger wco cannot tell what it converted already.
    class UnreadableLedger extends ConversionLedger {
      override open(): never {
        throw new Error('SlowDown: reduce your request rate');
      }
    }
    const fleet = fleetOfThree();
    const store = new MemoryStore();
    const log = recordingLog();

    // Act
    const { summary, results } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(store), ledger: new UnreadableLedger(store), log },
      settings({ dryRun: false }),
    );

    // Assert
    expect(fleet.modifies).toEqual([]);
    const problems = ['ap-south-1', 'us-east-1'].map((region) => ({
      account: ACCOUNT,
      region,
      scope: 'ledger',
      message: 'the conversion ledger could not be read: SlowDown: reduce your request rate',
    }));
    expect(summary.problems).toEqual(problems);
    expect(errorLines(log)).toEqual(
      problems.map((problem) => [
        'error',
        'ledger could not be read; nothing in the region is converted',
        problem,
      ]),
    );
    expect(results.map((result) => result.workspace.workspaceId)).toEqual([
      'ws-c1',
      'ws-a1',
      'ws-a2',
      'ws-b1',
    ]);
    expect(await store.get(AGGREGATED)).toContain('ws-c1');
  });

  it("logs an account it cannot reach, and keeps that account's regions as unread", async () => {
    // Arrange
    const reachable = fleetOfThree();
    const unreachable = new InMemoryFleet([
      {
        ...heavy('ws-x1', 'd-xxxxxxxxxx'),
        workspace: workspace({ workspaceId: 'ws-x1', account: '444455556666', region: 'eu-west-1' }),
      },
    ]);
    const log = recordingLog();
    const store = new MemoryStore();
    const hub = new InMemoryFleet([]);
    const accounts = [
      { account: ACCOUNT, fleet: reachable, switcher: reachable },
      {
        account: '444455556666',
        fleet: unreachable,
        switcher: unreachable,
        reach: () => Promise.reject(new Error('AccessDenied: sts:AssumeRole')),
      },
    ];

    // Act
    const { summary } = await runOptimizer(
      { fleet: hub, switcher: hub, ...storeBacked(store), accounts, log },
      settings({ dryRun: false }),
    );

    // Assert
    const problem = {
      account: '444455556666',
      region: '',
      scope: 'account 444455556666',
      message: 'AccessDenied: sts:AssumeRole',
    };
    expect(summary.problems).toEqual([problem]);
    expect(errorLines(log)).toEqual([
      ['error', 'account could not be reached; none of its WorkSpaces is evaluated', problem],
    ]);
    expect(unreachable.modifies).toEqual([]);
    expect(summary.workspaces).toBe(4);
  });

  it('returns the results in directory order within each region, whatever order the directories finished in', async () => {
    // Arrange: the first directory is the slowest to read.
    const fleet = new InMemoryFleet([
      heavy('ws-z1', 'd-aaaaaaaaaa'),
      heavy('ws-y1', 'd-bbbbbbbbbb'),
      heavy('ws-z2', 'd-aaaaaaaaaa'),
      heavy('ws-x1', 'd-cccccccccc'),
    ]);
    fleet.slowDirectories.set('d-aaaaaaaaaa', 30);

    // Act
    const { results } = await runOptimizer({ fleet, switcher: fleet, ...storeBacked() }, settings());

    // Assert
    expect(results.map((result) => result.workspace.workspaceId)).toEqual([
      'ws-z1',
      'ws-z2',
      'ws-y1',
      'ws-x1',
    ]);
  });
});
