import { describe, expect, it } from 'vitest';
import type { OptimizerSettings } from '../../../src/app/run-optimizer.js';
import { mergeShards, planRun, runOptimizer, runShardTask } from '../../../src/app/run-optimizer.js';
import type { AccountFleet } from '../../../src/ports/account-fleet.js';
import type { InMemoryWorkspace } from '../../helpers/in-memory-fleet.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { optimizerSettings } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

const asOf = new Date('2026-11-30T23:00:00Z');
const november = new Date('2026-11-01T00:00:00Z');
const HUB = '999999999999';
const ONE = '111111111111';
const TWO = '222222222222';
const GONE = '555555555555';

const settings = (overrides: Partial<OptimizerSettings> = {}): OptimizerSettings =>
  optimizerSettings(asOf, HUB, overrides);

// 100 connected hours bill 101 > 85 (STANDARD): AutoStop -> AlwaysOn.
const heavy = (account: string, id: string, region = 'us-east-1'): InMemoryWorkspace => ({
  workspace: workspace({ workspaceId: id, account, region, directoryId: `d-${account.slice(0, 10)}` }),
  usage: { ok: true, value: hourlyUsage(november, 100) },
});

function accountsOf(reachable = true) {
  const one = new InMemoryFleet([heavy(ONE, 'ws-one-1'), heavy(ONE, 'ws-one-2', 'eu-west-1')]);
  const two = new InMemoryFleet([heavy(TWO, 'ws-two-1')]);
  const gone = new InMemoryFleet([heavy(GONE, 'ws-gone-1')]);
  const reached: string[] = [];
  const reach = (account: string, ok: boolean) => async () => {
    reached.push(account);
    if (!ok)
      throw new Error(
        `the member role arn:aws:iam::${account}:role/wco-member could not be assumed: AccessDenied`,
      );
  };
  const accounts: AccountFleet[] = [
    { account: ONE, fleet: one, switcher: one, reach: reach(ONE, true) },
    { account: TWO, fleet: two, switcher: two, reach: reach(TWO, true) },
    { account: GONE, fleet: gone, switcher: gone, reach: reach(GONE, reachable) },
  ];
  return { one, two, gone, accounts, reached };
}

describe('Function: runOptimizer over several accounts', () => {
  it('reads, decides and converts each account with its own fleet, and reports the account it cannot reach as a problem', async () => {
    // Arrange
    const { one, two, gone, accounts, reached } = accountsOf(false);
    const store = new MemoryStore();
    const hub = new InMemoryFleet([]);

    // Act
    const { summary, results } = await runOptimizer(
      { fleet: hub, switcher: hub, accounts, ...storeBacked(store) },
      settings({ regionConcurrency: 2 }),
    );

    // Assert: each account's WorkSpaces converted through its own switcher, none through another's.
    expect(one.modifies.map((m) => m.workspaceId).sort()).toEqual(['ws-one-1', 'ws-one-2']);
    expect(two.modifies.map((m) => m.workspaceId)).toEqual(['ws-two-1']);
    expect(gone.modifies).toEqual([]);
    expect(hub.modifies).toEqual([]);
    expect(results.map((r) => `${r.workspace.account}/${r.workspace.workspaceId}`).sort()).toEqual([
      `${ONE}/ws-one-1`,
      `${ONE}/ws-one-2`,
      `${TWO}/ws-two-1`,
    ]);
    expect(summary.workspaces).toBe(3);
    // One problem for the account, however many regions it has; the others are complete.
    expect(summary.problems).toEqual([
      expect.objectContaining({
        account: GONE,
        scope: `account ${GONE}`,
        message: expect.stringMatching(/could not be assumed/),
      }),
    ]);
    expect(reached.sort()).toEqual([ONE, TWO, GONE].sort());
    // The ledger is each account's own.
    const ledgerKeys = [...store.objects.keys()].filter((key) => key.startsWith('ledger/2026-11/'));
    expect(ledgerKeys.filter((key) => key.includes(`${ONE}_`))).toHaveLength(2);
    expect(ledgerKeys.filter((key) => key.includes(`${TWO}_`))).toHaveLength(1);
  });

  it("keeps the day's earlier rows of an account that cannot be reached on a rerun", async () => {
    // Arrange: the day's first run reaches every account; the rerun cannot reach one.
    const store = new MemoryStore();
    const hub = new InMemoryFleet([]);
    const first = accountsOf(true);
    await runOptimizer(
      { fleet: hub, switcher: hub, accounts: first.accounts, ...storeBacked(store) },
      settings({ dryRun: true }),
    );
    const rerun = accountsOf(false);

    // Act
    await runOptimizer(
      { fleet: hub, switcher: hub, accounts: rerun.accounts, ...storeBacked(store) },
      settings({ dryRun: true }),
    );

    // Assert
    const aggregated = (await store.get('reports/daily/2026/11/30/aggregated.csv')) ?? '';
    expect(aggregated).toContain('ws-gone-1');
    expect(aggregated).toContain('ws-one-1');
  });

  it('plans one shard per account, region and directory for the sharded deployment, and its steps add up as one run', async () => {
    // Arrange
    const { one, two, accounts } = accountsOf(false);
    const store = new MemoryStore();
    const hub = new InMemoryFleet([]);
    const deps = { fleet: hub, switcher: hub, accounts, ...storeBacked(store) };

    // Act: plan, two shard tasks, merge
    const plan = await planRun(deps, { ...settings(), runId: 'run-1' });
    const outcomes = [
      ...(await runShardTask(deps, settings(), plan.shards.slice(0, 1))),
      ...(await runShardTask(deps, settings(), plan.shards.slice(1))),
    ];
    const summary = await mergeShards(deps, settings(), plan, outcomes);

    // Assert
    expect(plan.shards.map((shard) => `${shard.account}/${shard.region}`)).toEqual([
      `${ONE}/eu-west-1`,
      `${ONE}/us-east-1`,
      `${TWO}/us-east-1`,
    ]);
    expect(plan.problems).toEqual([expect.objectContaining({ account: GONE, scope: `account ${GONE}` })]);
    expect(plan.unread).toEqual([{ account: GONE, region: 'us-east-1' }]);
    expect(one.modifies).toHaveLength(2);
    expect(two.modifies).toHaveLength(1);
    expect(summary.workspaces).toBe(3);
    expect(summary.accounts?.map((counts) => [counts.account, counts.workspaces, counts.toAlwaysOn])).toEqual(
      [
        [ONE, 2, 2],
        [TWO, 1, 1],
      ],
    );
    expect(summary.problems).toHaveLength(1);
  });
});
