import { describe, expect, it } from 'vitest';
import type { UnusedCandidate } from '../../../src/app/unused/review-unused.js';
import { capRemovals, removeInRegion, reviewRegionUse } from '../../../src/app/unused/review-unused.js';
import { UnusedVerdict } from '../../../src/billing/index.js';
import type { UnusedWorkspaces } from '../../../src/ports/unused-workspaces.js';
import type { Workspace } from '../../../src/ports/workspace.js';
import { workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { unusedReviewContext } from '../../helpers/unused-review.js';

const ACCOUNT = '111111111111';
const DAY_BEFORE = new Date('2026-11-29T23:00:00Z');
const MONTH_END = new Date('2026-11-30T23:00:00Z');

/** Last connections by WorkSpace id; records what it removes. */
class Reader implements UnusedWorkspaces {
  constructor(
    private readonly last: Record<string, string>,
    readonly removed: string[],
  ) {}
  async connectedIn(_region: string, ids: readonly string[]) {
    return new Map(ids.map((id) => [id, { ok: true as const, value: false }]));
  }
  async lastConnections(_region: string, ids: readonly string[]) {
    return new Map(
      ids.map((id) => [id, { ok: true as const, value: { lastConnection: Date.parse(this.last[id]!) } }]),
    );
  }
  async remove(target: Workspace): Promise<void> {
    this.removed.push(target.workspaceId);
  }
}

/** Region -> WorkSpace -> last connection. The first region holds the most recently used. */
const FLEET: Record<string, Record<string, string>> = {
  'eu-west-1': { 'ws-eu-sep': '2026-09-15T00:00:00Z', 'ws-eu-aug': '2026-08-15T00:00:00Z' },
  'us-east-1': { 'ws-us-may': '2026-05-15T00:00:00Z', 'ws-us-jun': '2026-06-15T00:00:00Z' },
};

/** One run over both regions, reviewed in `order`, with a cap of `cap`; resolves to the verdicts and removals. */
async function runAt(store: MemoryStore, asOf: Date, cap: number, order: readonly string[]) {
  const context = unusedReviewContext(store, asOf, {
    settings: { ...unusedReviewContext(store, asOf).settings, maxPerRun: cap },
  });
  const removed: string[] = [];
  // Both regions at once, the first of `order` finishing first.
  const reviewed = await Promise.all(
    order.map(async (region, index) => {
      for (let turn = 0; turn < index; turn += 1) await Promise.resolve();
      const ids = Object.keys(FLEET[region]!);
      const candidates = ids.map((id): UnusedCandidate => ({
        workspace: workspace({ workspaceId: id, account: ACCOUNT, region, state: 'AVAILABLE' }),
        tags: {},
        connectedThisMonth: false,
      }));
      return reviewRegionUse(
        context,
        { account: ACCOUNT, region },
        new Reader(FLEET[region]!, removed),
        candidates,
      );
    }),
  );
  const capped = capRemovals(reviewed, cap);
  const outcomes = await Promise.all(
    reviewed.map((region, index) => removeInRegion(context, region, capped[index]!)),
  );
  const verdicts = Object.fromEntries(
    outcomes.flatMap((outcome) => outcome.rows.map((row) => [row.workspace.workspaceId, row.verdict])),
  );
  return { verdicts, removed: removed.sort() };
}

describe('Function: capRemovals, the per-run cap over the whole run', () => {
  it.each([[['eu-west-1', 'us-east-1']], [['us-east-1', 'eu-west-1']]])(
    'keeps the longest unused of the fleet, whichever region finishes first (%j)',
    async (order) => {
      // Arrange
      const store = new MemoryStore();
      await runAt(store, DAY_BEFORE, 2, order);

      // Act
      const { verdicts, removed } = await runAt(store, MONTH_END, 3, order);

      // Assert: May (6 months), June (5), August (3) go; September (2) waits for the next run
      expect(removed).toEqual(['ws-eu-aug', 'ws-us-jun', 'ws-us-may']);
      expect(verdicts).toEqual({
        'ws-eu-aug': UnusedVerdict.REMOVE,
        'ws-eu-sep': UnusedVerdict.CAP_REACHED,
        'ws-us-may': UnusedVerdict.REMOVE,
        'ws-us-jun': UnusedVerdict.REMOVE,
      });
    },
  );

  it('removes nothing with a cap of 0, and at most the cap across every region', async () => {
    // Arrange
    const store = new MemoryStore();
    await runAt(store, DAY_BEFORE, 0, ['eu-west-1', 'us-east-1']);

    // Act
    const none = await runAt(store, MONTH_END, 0, ['eu-west-1', 'us-east-1']);
    const one = await runAt(store, new Date(MONTH_END.getTime() + 1_800_000), 1, ['eu-west-1', 'us-east-1']);

    // Assert
    expect(none.removed).toEqual([]);
    expect(one.removed).toEqual(['ws-us-may']);
  });
});
