import { describe, expect, it } from 'vitest';
import { mergeShards, planRun, runShardTask } from '../../../src/app/run-optimizer.js';
import { RunRecords } from '../../../src/app/run-records.js';
import { UnusedLedger } from '../../../src/app/unused/unused-ledger.js';
import { RemovalAction as Action } from '../../../src/billing/index.js';
import type { AccountFleet } from '../../../src/ports/account-fleet.js';
import { parseCsvRecords } from '../../../src/report/csv.js';
import { unusedKey } from '../../../src/report/unused-report.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { optimizerSettings } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';
import { UnusedSinceMay } from '../../helpers/unused-review.js';

const asOf = new Date('2026-11-30T23:00:00Z');
const november = new Date('2026-11-01T00:00:00Z');
const HUB = '999999999999';
const ONE = '111111111111';
const TWO = '222222222222';

/** A WorkSpace connected `hours` hours this month (0: a candidate for the unused review). */
const connected = (hours: number) => (account: string, id: string) => ({
  workspace: workspace({
    workspaceId: id,
    account,
    region: 'us-east-1',
    directoryId: `d-${account.slice(0, 10)}`,
  }),
  usage: { ok: true as const, value: hourlyUsage(november, hours) },
});
const idle = connected(0);
const busy = connected(20);

function accounts(twoReachableAtMerge: { value: boolean }) {
  const one = new InMemoryFleet([idle(ONE, 'ws-one-idle'), busy(ONE, 'ws-one-busy')]);
  const two = new InMemoryFleet([idle(TWO, 'ws-two-idle')]);
  const readers = { [ONE]: new UnusedSinceMay(), [TWO]: new UnusedSinceMay() };
  const fleets: AccountFleet[] = [
    { account: ONE, fleet: one, switcher: one, unused: readers[ONE] },
    {
      account: TWO,
      fleet: two,
      switcher: two,
      unused: readers[TWO],
      reach: async () => {
        if (!twoReachableAtMerge.value) throw new Error('AccessDenied');
      },
    },
  ];
  return { fleets, readers };
}

const settings = () =>
  optimizerSettings(asOf, HUB, {
    unused: { months: 2, removal: true, action: Action.TERMINATE, maxPerRun: 10 },
  });

/** A hub with no WorkSpaces of its own over `fleets`, its reports and both ledgers in `store`. */
function runDependencies(store: MemoryStore, fleets: AccountFleet[]) {
  const hub = new InMemoryFleet([]);
  return {
    fleet: hub,
    switcher: hub,
    accounts: fleets,
    ...storeBacked(store),
    unusedLedger: new UnusedLedger(store),
  };
}

describe('Function: mergeShards, the unused review', () => {
  it('reviews the candidates the shards stored in the run records, each account with its own reader, and reports an account it cannot reach', async () => {
    // Arrange: plan and shard tasks with both accounts reachable; the run records in the store, as JSON.
    const store = new MemoryStore();
    const reachable = { value: true };
    const { fleets, readers } = accounts(reachable);
    const deps = runDependencies(store, fleets);
    const records = new RunRecords(store);
    const plan = await planRun(deps, { ...settings(), runId: 'run-1' });
    for (const shard of plan.shards)
      for (const outcome of await runShardTask(deps, settings(), [shard]))
        await records.saveOutcome('run-1', outcome);
    const stored = await records.readOutcomes('run-1');
    reachable.value = false;

    // Act
    const summary = await mergeShards(deps, settings(), plan, stored);

    // Assert: only no-connection WorkSpaces were stored, and asked of their own account only.
    expect(
      stored
        .flatMap((outcome) => outcome.unused?.candidates.map((c) => c.workspace.workspaceId) ?? [])
        .sort(),
    ).toEqual(['ws-one-idle', 'ws-two-idle']);
    expect(readers[ONE].asked).toEqual(['ws-one-idle']);
    expect(readers[TWO].asked).toEqual([]);
    expect(summary.problems).toEqual([
      expect.objectContaining({
        account: TWO,
        scope: `account ${TWO}`,
        message: expect.stringContaining('AccessDenied'),
      }),
    ]);
    const rows = parseCsvRecords((await store.get(unusedKey('2026-11')))!).map(({ record }) => record);
    expect(rows.map((row) => [row.workspace_id, row.use, row.verdict])).toEqual([
      ['ws-one-idle', 'UNUSED', 'NOT_ANNOUNCED'],
    ]);
    expect(summary.unused).toMatchObject({ listed: 1, newlyListed: 1 });
  });

  it('reports the candidates of an account no longer among the run accounts, and reviews the others', async () => {
    // Arrange
    const store = new MemoryStore();
    const { fleets, readers } = accounts({ value: true });
    const deps = runDependencies(store, fleets);
    const plan = await planRun(deps, { ...settings(), runId: 'run-1' });
    const outcomes = await runShardTask(deps, settings(), plan.shards);

    // Act: the merge's accounts lack TWO.
    const summary = await mergeShards({ ...deps, accounts: [fleets[0]!] }, settings(), plan, outcomes);

    // Assert
    expect(readers[ONE].asked).toEqual(['ws-one-idle']);
    expect(summary.problems).toEqual([
      expect.objectContaining({ account: TWO, message: expect.stringContaining('no longer among') }),
    ]);
    expect(summary.unused?.listed).toBe(1);
  });
});
