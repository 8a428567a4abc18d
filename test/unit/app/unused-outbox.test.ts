import { describe, expect, it } from 'vitest';
import type { UnusedCandidate } from '../../../src/app/unused/review-unused.js';
import { reviewUnusedRegion } from '../../../src/app/unused/review-unused.js';
import { UnusedLedger, unusedLedgerKey } from '../../../src/app/unused/unused-ledger.js';
import { drainUnusedOutbox } from '../../../src/app/unused/unused-outbox.js';
import { queryAudit } from '../../../src/audit/audit-query.js';
import { optimizerEventBridgeEvent } from '../../../src/audit/event-bridge-event.js';
import { processAuditBatch } from '../../../src/audit/process-audit-batch.js';
import { EventPublishError } from '../../../src/aws/eventbridge-sink.js';
import type { EventSink, OptimizerEvent } from '../../../src/ports/event-sink.js';
import { OptimizerDetailType } from '../../../src/ports/event-sink.js';
import { message } from '../../helpers/audit/audit-messages.js';
import { workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { unusedReviewContext, UnusedSinceMay } from '../../helpers/unused-review.js';

const ACCOUNT = '111111111111';
const OTHER = '222222222222';
const REGION = 'eu-west-1';
const DAY_BEFORE = new Date('2026-11-29T23:00:00Z');
const MONTH_END = new Date('2026-11-30T23:00:00Z');

/** Records what it publishes; fails every publish while `failing`, or only the events `failOnly` picks. */
class Sink implements EventSink {
  readonly published: OptimizerEvent[] = [];
  failing = false;
  failOnly: ((event: OptimizerEvent) => boolean) | undefined;
  async publish(events: readonly OptimizerEvent[]): Promise<void> {
    if (this.failing) throw new Error('PutEvents: ServiceUnavailable');
    const failed = events.filter((event) => this.failOnly?.(event) ?? false);
    this.published.push(...events.filter((event) => !failed.includes(event)));
    if (failed.length > 0) throw new EventPublishError('some failed', ['InternalFailure'], failed);
  }
}

const candidate = (account: string, id: string): UnusedCandidate => ({
  workspace: workspace({ workspaceId: id, account, region: REGION, state: 'AVAILABLE' }),
  tags: {},
  connectedThisMonth: false,
});

const RUN = { account: ACCOUNT, months: 2, removal: true, now: MONTH_END };

/** A run's review of one account region; removal of `refuse` fails. */
async function review(
  store: MemoryStore,
  asOf: Date,
  account: string,
  ids: readonly string[],
  refuse: readonly string[] = [],
) {
  const reader = new UnusedSinceMay(refuse);
  await reviewUnusedRegion(
    unusedReviewContext(store, asOf, { now: () => new Date(asOf.getTime() + 60_000) }),
    { account, region: REGION },
    reader,
    ids.map((id) => candidate(account, id)),
  );
  return reader;
}

const removalIds = (events: readonly OptimizerEvent[]) =>
  events.flatMap((event) =>
    event.detailType === OptimizerDetailType.UNUSED_REMOVED ||
    event.detailType === OptimizerDetailType.UNUSED_REMOVAL_FAILED
      ? [`${event.detailType}:${event.detail.workspaceId}`]
      : [],
  );

describe('Function: drainUnusedOutbox', () => {
  it('keeps the events a failed publish could not send, and the next run sends each exactly once', async () => {
    // Arrange: listed the day before, removed (one refused) at month end; EventBridge down
    const store = new MemoryStore();
    const ledger = new UnusedLedger(store);
    const sink = new Sink();
    await review(store, DAY_BEFORE, ACCOUNT, ['ws-a', 'ws-b']);
    await drainUnusedOutbox(ledger, sink, { ...RUN, now: DAY_BEFORE });
    sink.published.length = 0;
    await review(store, MONTH_END, ACCOUNT, ['ws-a', 'ws-b'], ['ws-b']);
    sink.failing = true;

    // Act
    const failed = await drainUnusedOutbox(ledger, sink, RUN);
    sink.failing = false;
    const next = await drainUnusedOutbox(ledger, sink, RUN);
    const again = await drainUnusedOutbox(ledger, sink, RUN);

    // Assert
    expect(failed).toMatchObject({ published: 0, pending: 2 });
    expect(failed.problems.join()).toContain('ServiceUnavailable');
    expect(removalIds(sink.published)).toEqual([
      `${OptimizerDetailType.UNUSED_REMOVED}:ws-a`,
      `${OptimizerDetailType.UNUSED_REMOVAL_FAILED}:ws-b`,
    ]);
    expect(next).toEqual({ published: 2, pending: 0, problems: [] });
    expect(again).toEqual({ published: 0, pending: 0, problems: [] });
    const records = JSON.parse(store.objects.get(unusedLedgerKey(ACCOUNT, REGION))!.body).workspaces;
    expect(records['ws-a'].removal.event).toMatchObject({ published: true });
    // Each event carries its ledger record id and the removal's T, whoever sends it.
    expect(sink.published.map((event) => event.detail)).toEqual([
      expect.objectContaining({
        recordId: `unused/2026-11/${ACCOUNT}/${REGION}/ws-a/1`,
        asOf: MONTH_END.toISOString(),
        directoryId: expect.any(String),
        monthsUnused: 6,
      }),
      expect.objectContaining({
        recordId: `unused/2026-11/${ACCOUNT}/${REGION}/ws-b/1`,
        error: 'InvalidResourceState: refused',
      }),
    ]);
  });

  it('sends what an earlier run of another account could not, and marks only what went out', async () => {
    // Arrange: two accounts' removals; the first publish loses one account's events
    const store = new MemoryStore();
    const ledger = new UnusedLedger(store);
    const sink = new Sink();
    for (const account of [ACCOUNT, OTHER]) await review(store, DAY_BEFORE, account, ['ws-a']);
    await drainUnusedOutbox(ledger, sink, { ...RUN, now: DAY_BEFORE });
    for (const account of [ACCOUNT, OTHER]) await review(store, MONTH_END, account, ['ws-a']);
    sink.published.length = 0;
    sink.failOnly = (event) => event.detail.account === OTHER;

    // Act
    const first = await drainUnusedOutbox(ledger, sink, RUN);
    sink.failOnly = undefined;
    const second = await drainUnusedOutbox(ledger, sink, RUN);

    // Assert
    expect(first).toMatchObject({ published: 1, pending: 1 });
    expect(second).toEqual({ published: 1, pending: 0, problems: [] });
    expect(sink.published.map((event) => event.detail.account)).toEqual([ACCOUNT, OTHER]);
  });

  it("republishes a run's listing from the ledger when its publish failed, once", async () => {
    // Arrange
    const store = new MemoryStore();
    const ledger = new UnusedLedger(store);
    const sink = new Sink();
    await review(store, DAY_BEFORE, ACCOUNT, ['ws-a', 'ws-b']);
    sink.failing = true;
    await drainUnusedOutbox(ledger, sink, { ...RUN, now: DAY_BEFORE });
    sink.failing = false;

    // Act: the next run (month end) lists nothing anew, so the listing comes from the ledger
    await drainUnusedOutbox(ledger, sink, RUN);
    await drainUnusedOutbox(ledger, sink, RUN);

    // Assert
    expect(sink.published).toHaveLength(1);
    expect(sink.published[0]).toMatchObject({
      detailType: OptimizerDetailType.UNUSED_LISTED,
      detail: {
        asOf: DAY_BEFORE.toISOString(),
        listingId: `unused-listed/${DAY_BEFORE.toISOString()}`,
        newlyListed: 2,
        workspaces: [{ workspaceId: 'ws-a' }, { workspaceId: 'ws-b' }],
      },
    });
  });

  it('keeps the event of a failed attempt that a retry replaced before it went out', async () => {
    // Arrange: the month-end removal fails and its event is lost; a rerun tries again and succeeds
    const store = new MemoryStore();
    const ledger = new UnusedLedger(store);
    const sink = new Sink();
    await review(store, DAY_BEFORE, ACCOUNT, ['ws-a']);
    await drainUnusedOutbox(ledger, sink, { ...RUN, now: DAY_BEFORE });
    sink.published.length = 0;
    await review(store, MONTH_END, ACCOUNT, ['ws-a'], ['ws-a']);
    sink.failing = true;
    await drainUnusedOutbox(ledger, sink, RUN);
    sink.failing = false;
    const rerun = new Date(MONTH_END.getTime() + 30 * 60_000);
    const reader = await review(store, rerun, ACCOUNT, ['ws-a']);

    // Act
    const drained = await drainUnusedOutbox(ledger, sink, RUN);

    // Assert
    expect(reader.removed).toEqual(['ws-a']);
    expect(drained).toEqual({ published: 2, pending: 0, problems: [] });
    expect(
      sink.published.map((event) => [event.detailType, 'recordId' in event.detail && event.detail.recordId]),
    ).toEqual([
      [OptimizerDetailType.UNUSED_REMOVAL_FAILED, `unused/2026-11/${ACCOUNT}/${REGION}/ws-a/1`],
      [OptimizerDetailType.UNUSED_REMOVED, `unused/2026-11/${ACCOUNT}/${REGION}/ws-a/2`],
    ]);
    const records = JSON.parse(store.objects.get(unusedLedgerKey(ACCOUNT, REGION))!.body).workspaces;
    expect(records['ws-a'].unpublished).toBeUndefined();
  });

  it('files each removal once in the audit trail however often it is delivered or republished', async () => {
    // Arrange: the events as the next runs would republish them
    const store = new MemoryStore();
    const ledger = new UnusedLedger(store);
    await review(store, DAY_BEFORE, ACCOUNT, ['ws-a', 'ws-b']);
    await review(store, MONTH_END, ACCOUNT, ['ws-a', 'ws-b'], ['ws-b']);
    const sink = new Sink();
    await drainUnusedOutbox(ledger, sink, RUN);
    const removals = sink.published.filter((event) => event.detailType !== OptimizerDetailType.UNUSED_LISTED);
    // EventBridge gives every publish a new event id; the event's time is the removal's T.
    let publishes = 0;
    const delivered = (event: OptimizerEvent) => {
      publishes += 1;
      return message(`m-${publishes}`, {
        ...optimizerEventBridgeEvent(event, { account: ACCOUNT, region: REGION, time: MONTH_END }),
        id: `event-${publishes}`,
      });
    };

    // Act: delivered in one batch, redelivered, and republished one at a time
    await processAuditBatch(store, removals.map(delivered));
    await processAuditBatch(store, removals.map(delivered));
    for (const event of removals) await processAuditBatch(store, [delivered(event)]);
    const { records } = await queryAudit(store, { kinds: ['unused_removal'] });

    // Assert
    expect(
      records.map((record) => [
        record.kind === 'unused_removal' && record.workspaceId,
        record.kind === 'unused_removal' && record.outcome,
      ]),
    ).toEqual([
      ['ws-a', 'DONE'],
      ['ws-b', 'FAILED'],
    ]);
    expect(await store.list('audit/kind=unused_removal/')).toHaveLength(2);
  });
});
