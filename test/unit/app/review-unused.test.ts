import { describe, expect, it } from 'vitest';
import type { UnusedCandidate } from '../../../src/app/unused/review-unused.js';
import { RemovalOutcome, reviewUnusedRegion } from '../../../src/app/unused/review-unused.js';
import { unusedLedgerKey } from '../../../src/app/unused/unused-ledger.js';
import type { Interval } from '../../../src/billing/index.js';
import { UnusedVerdict } from '../../../src/billing/index.js';
import type { LastUse, UnusedWorkspaces } from '../../../src/ports/unused-workspaces.js';
import type { Workspace } from '../../../src/ports/workspace.js';
import type { Read } from '../../../src/shared/read.js';
import { workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { unusedReviewContext } from '../../helpers/unused-review.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const DAY_BEFORE = new Date('2026-11-29T23:00:00Z');
const MONTH_END = new Date('2026-11-30T23:00:00Z');

/** A reader that answers from a table and records, with the ledger's state at that moment, every removal. */
class RecordingReader implements UnusedWorkspaces {
  readonly removals: { workspaceId: string; ledgerAtCall: string | undefined }[] = [];
  /** The ids whose usage history was asked for, and the window, per call. */
  readonly historyAsked: { ids: readonly string[]; window: Interval }[] = [];
  constructor(
    private readonly uses: Record<string, Read<LastUse>>,
    private readonly store: MemoryStore,
    private readonly refuse: readonly string[] = [],
    /** CloudWatch's answer per WorkSpace; default no connection. */
    private readonly history: Record<string, Read<boolean>> = {},
  ) {}

  async connectedIn(_region: string, ids: readonly string[], window: Interval) {
    this.historyAsked.push({ ids, window });
    return new Map(ids.map((id) => [id, this.history[id] ?? { ok: true as const, value: false }]));
  }

  async lastConnections(_region: string, ids: readonly string[]) {
    return new Map(ids.map((id) => [id, this.uses[id] ?? { ok: false as const, error: 'not answered' }]));
  }

  async remove(target: Workspace): Promise<void> {
    this.removals.push({
      workspaceId: target.workspaceId,
      ledgerAtCall: this.store.objects.get(unusedLedgerKey(ACCOUNT, REGION))?.body,
    });
    if (this.refuse.includes(target.workspaceId)) throw new Error('InvalidResourceState: refused');
  }
}

const candidate = (id: string): UnusedCandidate => ({
  workspace: workspace({ workspaceId: id, account: ACCOUNT, region: REGION, state: 'AVAILABLE' }),
  tags: {},
  connectedThisMonth: false,
});

const context = unusedReviewContext;

const old = { ok: true as const, value: { lastConnection: Date.parse('2026-05-01T00:00:00Z') } };

describe('Function: reviewUnusedRegion', () => {
  it('records each removal as INTENDED in the ledger before the call, and settles it after', async () => {
    // Arrange
    const store = new MemoryStore();
    const reader = new RecordingReader({ 'ws-a': old, 'ws-b': old }, store, ['ws-b']);
    const scope = { account: ACCOUNT, region: REGION };
    await reviewUnusedRegion(context(store, DAY_BEFORE), scope, reader, [
      candidate('ws-a'),
      candidate('ws-b'),
    ]);

    // Act
    const outcome = await reviewUnusedRegion(context(store, MONTH_END), scope, reader, [
      candidate('ws-a'),
      candidate('ws-b'),
    ]);

    // Assert
    expect(reader.removals.map((call) => call.workspaceId)).toEqual(['ws-a', 'ws-b']);
    for (const call of reader.removals)
      expect(JSON.parse(call.ledgerAtCall!).workspaces[call.workspaceId].removal.status).toBe('INTENDED');
    const settled = JSON.parse(store.objects.get(unusedLedgerKey(ACCOUNT, REGION))!.body).workspaces;
    expect(settled['ws-a'].removal.status).toBe('DONE');
    expect(settled['ws-b'].removal).toMatchObject({
      status: 'FAILED',
      error: 'InvalidResourceState: refused',
    });
    expect(outcome.rows.map((row) => [row.workspace.workspaceId, row.outcome])).toEqual([
      ['ws-a', RemovalOutcome.DONE],
      ['ws-b', RemovalOutcome.FAILED],
    ]);
  });

  it('makes no call when the intent cannot be written, and reports the failed write', async () => {
    // Arrange
    const store = new MemoryStore();
    const reader = new RecordingReader({ 'ws-a': old }, store);
    const scope = { account: ACCOUNT, region: REGION };
    await reviewUnusedRegion(context(store, DAY_BEFORE), scope, reader, [candidate('ws-a')]);
    store.failingPrefixes = ['ledger/unused/'];

    // Act
    const outcome = await reviewUnusedRegion(context(store, MONTH_END), scope, reader, [candidate('ws-a')]);

    // Assert
    expect(reader.removals).toEqual([]);
    expect(outcome.rows[0]).toMatchObject({ verdict: UnusedVerdict.REMOVE, outcome: RemovalOutcome.FAILED });
    expect(outcome.writeFailures).toHaveLength(1);
  });

  it('lists a WorkSpace whose connection status could not be read as unknown, and never removes it', async () => {
    // Arrange
    const store = new MemoryStore();
    const reader = new RecordingReader({}, store);
    const scope = { account: ACCOUNT, region: REGION };
    await reviewUnusedRegion(context(store, DAY_BEFORE), scope, reader, [candidate('ws-a')]);

    // Act
    const outcome = await reviewUnusedRegion(context(store, MONTH_END), scope, reader, [candidate('ws-a')]);

    // Assert
    expect(reader.removals).toEqual([]);
    expect(outcome.rows[0]).toMatchObject({
      review: { status: 'UNKNOWN' },
      verdict: UnusedVerdict.USE_UNKNOWN,
      error: 'not answered',
    });
  });

  it('checks the usage history of the checked months for those the status says are unused, and believes a connection there', async () => {
    // Arrange: the status says May for both; CloudWatch saw ws-b in October, and could not answer for ws-c
    const store = new MemoryStore();
    const recent = { ok: true as const, value: { lastConnection: Date.parse('2026-11-02T10:00:00Z') } };
    const reader = new RecordingReader({ 'ws-a': old, 'ws-b': old, 'ws-c': old, 'ws-d': recent }, store, [], {
      'ws-b': { ok: true, value: true },
      'ws-c': { ok: false, error: 'GetMetricData: Throttling' },
    });

    // Act
    const outcome = await reviewUnusedRegion(
      context(store, MONTH_END),
      { account: ACCOUNT, region: REGION },
      reader,
      ['ws-a', 'ws-b', 'ws-c', 'ws-d'].map(candidate),
    );

    // Assert: two months checked, October 1st to T; ws-d's status already shows use
    expect(reader.historyAsked).toEqual([
      {
        ids: ['ws-a', 'ws-b', 'ws-c'],
        window: { start: Date.parse('2026-10-01T00:00:00Z'), end: MONTH_END.getTime() },
      },
    ]);
    expect(outcome.rows.map((row) => [row.workspace.workspaceId, row.review.status, row.error])).toEqual([
      ['ws-a', 'UNUSED', undefined],
      ['ws-c', 'UNKNOWN', 'GetMetricData: Throttling'],
    ]);
  });

  describe('a removal whose run died between its intent and its outcome', () => {
    /** The ledger as a run left it after writing ws-a's intent at `claimedAt`, and no outcome. */
    async function diedAt(store: MemoryStore, claimedAt: string) {
      await store.create(
        unusedLedgerKey(ACCOUNT, REGION),
        JSON.stringify({
          schema: 1,
          account: ACCOUNT,
          region: REGION,
          workspaces: {
            'ws-a': {
              announced: { month: '2026-11', asOf: DAY_BEFORE.toISOString() },
              removal: {
                month: '2026-11',
                action: 'TERMINATE',
                status: 'INTENDED',
                runId: 'run-died',
                asOf: MONTH_END.toISOString(),
                claimedAt,
              },
            },
          },
        }),
      );
    }
    const terminating: UnusedCandidate = {
      ...candidate('ws-a'),
      workspace: workspace({ workspaceId: 'ws-a', account: ACCOUNT, region: REGION, state: 'TERMINATING' }),
    };
    const stored = (store: MemoryStore) =>
      JSON.parse(store.objects.get(unusedLedgerKey(ACCOUNT, REGION))!.body).workspaces['ws-a'].removal;

    it('is settled DONE, with no call, when the WorkSpace shows it terminating', async () => {
      // Arrange: claimed an hour before this run's wall clock
      const store = new MemoryStore();
      await diedAt(store, '2026-11-30T23:00:00.000Z');
      const reader = new RecordingReader({ 'ws-a': old }, store);

      // Act
      const outcome = await reviewUnusedRegion(
        context(store, MONTH_END, { now: () => new Date('2026-12-01T00:00:00Z') }),
        { account: ACCOUNT, region: REGION },
        reader,
        [terminating],
      );

      // Assert
      expect(reader.removals).toEqual([]);
      expect(outcome.rows[0]).toMatchObject({
        verdict: UnusedVerdict.ALREADY_REMOVED,
        outcome: RemovalOutcome.EARLIER,
      });
      expect(stored(store)).toMatchObject({ status: 'DONE', settledAt: '2026-12-01T00:00:00.000Z' });
    });

    it('is settled FAILED and tried again when the WorkSpace shows nothing done', async () => {
      // Arrange
      const store = new MemoryStore();
      await diedAt(store, '2026-11-30T23:00:00.000Z');
      const reader = new RecordingReader({ 'ws-a': old }, store);

      // Act
      const outcome = await reviewUnusedRegion(
        context(store, MONTH_END, { now: () => new Date('2026-12-01T00:00:00Z') }),
        { account: ACCOUNT, region: REGION },
        reader,
        [candidate('ws-a')],
      );

      // Assert
      expect(reader.removals.map((call) => call.workspaceId)).toEqual(['ws-a']);
      expect(outcome.rows[0]).toMatchObject({ verdict: UnusedVerdict.REMOVE, outcome: RemovalOutcome.DONE });
      expect(stored(store)).toMatchObject({ status: 'DONE', runId: 'run-2026-11-30T23:00:00.000Z' });
    });

    it('is left to its run while the claim is younger than 15 minutes', async () => {
      // Arrange
      const store = new MemoryStore();
      await diedAt(store, '2026-11-30T23:55:00.000Z');
      const reader = new RecordingReader({ 'ws-a': old }, store);

      // Act
      const outcome = await reviewUnusedRegion(
        context(store, MONTH_END, { now: () => new Date('2026-12-01T00:00:00Z') }),
        { account: ACCOUNT, region: REGION },
        reader,
        [candidate('ws-a')],
      );

      // Assert
      expect(reader.removals).toEqual([]);
      expect(outcome.rows[0]).toMatchObject({ verdict: UnusedVerdict.ALREADY_REMOVED });
      expect(stored(store)).toMatchObject({ status: 'INTENDED' });
    });

    it('is never settled from states read before it was claimed (a rerun of the sharded merge), nor removed again', async () => {
      // Arrange: the shards read the fleet at 23:00; a merge claimed ws-a at 23:20 and died; its rerun is at 00:00.
      const store = new MemoryStore();
      await diedAt(store, '2026-11-30T23:20:00.000Z');
      const reader = new RecordingReader({ 'ws-a': old }, store);

      // Act: the candidate still shows AVAILABLE, as the shard read it.
      const outcome = await reviewUnusedRegion(
        context(store, MONTH_END, {
          now: () => new Date('2026-12-01T00:00:00Z'),
          statesReadFrom: new Date('2026-11-30T23:00:00Z'),
        }),
        { account: ACCOUNT, region: REGION },
        reader,
        [candidate('ws-a')],
      );

      // Assert: left INTENDED for a run that reads the fleet anew.
      expect(reader.removals).toEqual([]);
      expect(outcome.rows[0]).toMatchObject({
        verdict: UnusedVerdict.ALREADY_REMOVED,
        outcome: RemovalOutcome.EARLIER,
      });
      expect(stored(store)).toMatchObject({ status: 'INTENDED', runId: 'run-died' });
    });

    it('is settled from states read after it was claimed', async () => {
      // Arrange
      const store = new MemoryStore();
      await diedAt(store, '2026-11-30T23:00:00.000Z');
      const reader = new RecordingReader({ 'ws-a': old }, store);

      // Act
      const outcome = await reviewUnusedRegion(
        context(store, MONTH_END, {
          now: () => new Date('2026-12-01T00:00:00Z'),
          statesReadFrom: new Date('2026-11-30T23:30:00Z'),
        }),
        { account: ACCOUNT, region: REGION },
        reader,
        [terminating],
      );

      // Assert
      expect(reader.removals).toEqual([]);
      expect(outcome.rows[0]).toMatchObject({ outcome: RemovalOutcome.EARLIER });
      expect(stored(store)).toMatchObject({ status: 'DONE' });
    });
  });

  it('ages a never-used WorkSpace from its first sighting in the ledger', async () => {
    // Arrange: first seen in September
    const store = new MemoryStore();
    const never = { ok: true as const, value: { lastConnection: null } };
    const reader = new RecordingReader({ 'ws-new': never }, store);
    const scope = { account: ACCOUNT, region: REGION };
    const september = new Date('2026-09-15T23:00:00Z');
    await reviewUnusedRegion(context(store, september, { month: '2026-09' }), scope, reader, [
      candidate('ws-new'),
    ]);

    // Act
    const outcome = await reviewUnusedRegion(context(store, DAY_BEFORE), scope, reader, [
      candidate('ws-new'),
    ]);

    // Assert
    expect(outcome.rows[0]).toMatchObject({
      lastConnection: null,
      since: { at: september.getTime(), source: 'FIRST_SEEN' },
      review: { status: 'UNUSED', monthsUnused: 2 },
    });
  });

  it('writes nothing to the ledger in a dry run', async () => {
    // Arrange
    const store = new MemoryStore();
    const reader = new RecordingReader({ 'ws-a': old }, store);

    // Act
    await reviewUnusedRegion(
      context(store, MONTH_END, { dryRun: true }),
      { account: ACCOUNT, region: REGION },
      reader,
      [candidate('ws-a')],
    );

    // Assert
    expect(store.objects.size).toBe(0);
    expect(reader.removals).toEqual([]);
  });
});
