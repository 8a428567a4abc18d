import { describe, expect, it } from 'vitest';
import type { OptimizerSettings } from '../../../src/app/run-optimizer.js';
import { mergeShards, planRun, runOptimizer, runShardTask } from '../../../src/app/run-optimizer.js';
import { UnusedLedger } from '../../../src/app/unused/unused-ledger.js';
import { RemovalAction } from '../../../src/billing/index.js';
import { OptimizerDetailType } from '../../../src/ports/event-sink.js';
import { parseCsvRecords } from '../../../src/report/csv.js';
import { unusedKey } from '../../../src/report/unused-report.js';
import type { InMemoryWorkspace } from '../../helpers/in-memory-fleet.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { recordingLog } from '../../helpers/recording-log.js';
import { RecordingSink } from '../../helpers/recording-sink.js';
import { optimizerSettings } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';
import { UnusedSinceMay } from '../../helpers/unused-review.js';

// The unused review as the run loop drives it: which regions it reviews, what it publishes
// and counts, and what a failed write or publish does to the run.

const monthEnd = new Date('2026-11-30T23:00:00Z');
const november = new Date('2026-11-01T00:00:00Z');
const ACCOUNT = '111122223333';
const UNUSED_CSV = unusedKey('2026-11');
const UNUSED_EVENTS = new Set<string>([
  OptimizerDetailType.UNUSED_LISTED,
  OptimizerDetailType.UNUSED_REMOVED,
  OptimizerDetailType.UNUSED_REMOVAL_FAILED,
]);

/** Lists unused WorkSpaces, removes none. */
const settings = (overrides: Partial<OptimizerSettings> = {}): OptimizerSettings =>
  optimizerSettings(monthEnd, ACCOUNT, {
    unused: { months: 2, removal: false, action: RemovalAction.TERMINATE, maxPerRun: 10 },
    ...overrides,
  });

/** Connected `hours` hours in November: 0 makes it a candidate for the review. */
const connected = (id: string, hours: number, region = 'us-east-1'): InMemoryWorkspace => ({
  workspace: workspace({ workspaceId: id, region }),
  usage: { ok: true, value: hourlyUsage(november, hours) },
});

function run(fleet: InMemoryFleet, store: MemoryStore, extra: Record<string, unknown> = {}) {
  const reader = new UnusedSinceMay();
  const deps = {
    fleet,
    switcher: fleet,
    ...storeBacked(store),
    unused: reader,
    unusedLedger: new UnusedLedger(store),
    ...extra,
  };
  return { reader, deps };
}

async function listed(store: MemoryStore): Promise<string[]> {
  const text = (await store.get(UNUSED_CSV)) ?? '';
  return parseCsvRecords(text).map(({ record }) => `${record.workspace_id}:${record.use}`);
}

describe('Function: runOptimizer, the unused review', () => {
  it('counts the conversion and the unused events it published together', async () => {
    // Arrange: one heavy AutoStop WorkSpace to convert, two never used this month.
    const store = new MemoryStore();
    const fleet = new InMemoryFleet([
      connected('ws-busy', 100),
      connected('ws-idle-1', 0),
      connected('ws-idle-2', 0),
    ]);
    const sink = new RecordingSink();
    const { deps } = run(fleet, store, { events: sink });

    // Act
    const { summary } = await runOptimizer(deps, settings());

    // Assert: what reached EventBridge besides the run event is what the summary counts.
    const sent = sink.events.filter((event) => event.detailType !== OptimizerDetailType.RUN_COMPLETED);
    expect(sent.filter((event) => UNUSED_EVENTS.has(event.detailType)).length).toBeGreaterThan(0);
    expect(sent.filter((event) => !UNUSED_EVENTS.has(event.detailType))).toHaveLength(1);
    expect(summary.events).toEqual({ published: sent.length, pending: 0 });
    expect(await listed(store)).toEqual(['ws-idle-1:UNUSED', 'ws-idle-2:UNUSED']);
  });

  it('logs the unused events it could not publish, fails the run with them and counts them pending', async () => {
    // Arrange
    const store = new MemoryStore();
    const fleet = new InMemoryFleet([connected('ws-busy', 100), connected('ws-idle', 0)]);
    const sink = new RecordingSink((event) => UNUSED_EVENTS.has(event.detailType));
    const log = recordingLog();
    const { deps } = run(fleet, store, { events: sink, log });

    // Act
    const { summary } = await runOptimizer(deps, settings());

    // Assert
    const failures = summary.writeFailures.filter((failure) => failure.target === 'events');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toContain('PutEvents failed');
    expect(log.lines.filter(([, message]) => message === 'unused events could not all be published')).toEqual(
      [['error', 'unused events could not all be published', { message: failures[0]!.message }]],
    );
    // The conversion's event went out; the listing (one event) waits for the next run.
    expect(summary.events).toEqual({ published: 1, pending: 1 });
  });

  it('fails the run when the unused report cannot be written', async () => {
    const store = new MemoryStore(UNUSED_CSV);
    const fleet = new InMemoryFleet([connected('ws-idle', 0)]);
    const { deps } = run(fleet, store);
    const { summary } = await runOptimizer(deps, settings());
    expect(summary.writeFailures).toEqual([
      { target: `memory://${UNUSED_CSV}`, message: expect.stringContaining('AccessDenied') },
    ]);
  });

  it('does not review a region it could not read, and keeps what an earlier run listed there', async () => {
    // Arrange: the day's first run listed an idle WorkSpace in eu-west-1; the rerun cannot read eu-west-1.
    const store = new MemoryStore();
    const items = [connected('ws-idle-us', 0), connected('ws-idle-eu', 0, 'eu-west-1')];
    await runOptimizer(run(new InMemoryFleet(items), store).deps, settings());
    const fleet = new InMemoryFleet([connected('ws-idle-us', 0)]);
    fleet.failingRegions.set('eu-west-1', 'AccessDeniedException: not authorized');
    const { reader, deps } = run(fleet, store);

    // Act
    await runOptimizer(deps, settings());

    // Assert
    expect(reader.askedIn).toEqual(['us-east-1']);
    expect(await listed(store)).toEqual(['ws-idle-eu:UNUSED', 'ws-idle-us:UNUSED']);
  });
});

describe('Function: mergeShards, the unused review of one account', () => {
  it("reviews the shards' candidates with the account's own reader when the run has no accounts list", async () => {
    // Arrange
    const store = new MemoryStore();
    const fleet = new InMemoryFleet([connected('ws-idle-us', 0), connected('ws-idle-eu', 0, 'eu-west-1')]);
    const { reader, deps } = run(fleet, store);
    const plan = await planRun(deps, { ...settings(), runId: 'run-1' });
    const outcomes = await runShardTask(deps, settings(), plan.shards);

    // Act
    const summary = await mergeShards(deps, settings(), plan, outcomes);

    // Assert
    expect(reader.asked.sort()).toEqual(['ws-idle-eu', 'ws-idle-us']);
    expect(summary.unused?.listed).toBe(2);
  });

  it('reviews the regions of the shards for a plan written before plans named the regions they opened', async () => {
    // Arrange
    const store = new MemoryStore();
    const fleet = new InMemoryFleet([connected('ws-idle-us', 0), connected('ws-idle-eu', 0, 'eu-west-1')]);
    const { reader, deps } = run(fleet, store);
    const { opened: _opened, ...earlier } = await planRun(deps, { ...settings(), runId: 'run-1' });
    const outcomes = await runShardTask(deps, settings(), earlier.shards);

    // Act
    const summary = await mergeShards(deps, settings(), earlier, outcomes);

    // Assert
    expect(reader.askedIn.sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(await listed(store)).toEqual(['ws-idle-eu:UNUSED', 'ws-idle-us:UNUSED']);
    expect(summary.unused?.listed).toBe(2);
  });
});
