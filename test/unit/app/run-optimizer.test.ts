import { describe, expect, it } from 'vitest';
import { thresholdPolicy } from '../../../src/billing/index.js';
import type { OptimizerSettings } from '../../../src/app/run-optimizer.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import type { EventSink } from '../../../src/ports/event-sink.js';
import { ModeChangedDetail, RunCompletedDetail } from '../../../src/ports/event-sink.js';
import type { InMemoryWorkspace } from '../../helpers/in-memory-fleet.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { DEFAULT_CONCURRENCY } from '../../helpers/run-settings.js';
import { recordingLog } from '../../helpers/recording-log.js';
import { RecordingSink } from '../../helpers/recording-sink.js';
import { storeBacked } from '../../helpers/store-backed.js';

const monthEnd = new Date('2026-11-30T23:00:00Z');
const midMonth = new Date('2026-11-15T12:00:00Z');
const november = new Date('2026-11-01T00:00:00Z');

function settings(overrides: Partial<OptimizerSettings> = {}): OptimizerSettings {
  return {
    asOf: monthEnd,
    dryRun: true,
    forceMonthEnd: false,
    thresholds: thresholdPolicy(),
    assumedTimeoutMinutes: 60,
    ...DEFAULT_CONCURRENCY,
    account: '111122223333',
    ...overrides,
  };
}

// STANDARD threshold is 85: 100 connected hours bill 101 hours with I=60 (contiguous), 10 bill 11.
const heavyAutoStop = (id: string, extra: Partial<InMemoryWorkspace> = {}): InMemoryWorkspace => ({
  workspace: workspace({ workspaceId: id }),
  usage: { ok: true, value: hourlyUsage(november, 100) },
  ...extra,
});
const lightAlwaysOn = (id: string, extra: Partial<InMemoryWorkspace> = {}): InMemoryWorkspace => ({
  workspace: workspace({ workspaceId: id, runningMode: 'ALWAYS_ON' }),
  usage: { ok: true, value: hourlyUsage(november, 10) },
  ...extra,
});

describe('Function: runOptimizer', () => {
  it('counts WorkSpaces decided by the fallback because wco has no threshold for their compute type', async () => {
    // Arrange: one known type, two of a type in no table, one overridden, one without a compute type
    const fleet = new InMemoryFleet([
      heavyAutoStop('ws-1'),
      heavyAutoStop('ws-2', {
        workspace: workspace({ workspaceId: 'ws-2', computeType: 'GRAPHICS_G7_2XLARGE' }),
      }),
      heavyAutoStop('ws-3', {
        workspace: workspace({ workspaceId: 'ws-3', computeType: 'GRAPHICS_G7_2XLARGE' }),
      }),
      heavyAutoStop('ws-4', {
        workspace: workspace({ workspaceId: 'ws-4', computeType: 'GRAPHICS_G6_XLARGE' }),
      }),
      heavyAutoStop('ws-5', { workspace: workspace({ workspaceId: 'ws-5', computeType: '' }) }),
      heavyAutoStop('ws-6', {
        workspace: workspace({ workspaceId: 'ws-6', computeType: 'GENERALPURPOSE_4XLARGE' }),
      }),
    ]);
    // Act
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked() },
      settings({ thresholds: thresholdPolicy({ GRAPHICS_G6_XLARGE: 120 }, 90) }),
    );
    // Assert
    expect(summary.fallbackComputeTypes).toEqual({
      GRAPHICS_G7_2XLARGE: { workspaces: 2, hours: 90 },
      // Not in the contract's table: decided by the default like any other (121 h is only suggested).
      GENERALPURPOSE_4XLARGE: { workspaces: 1, hours: 90 },
      '': { workspaces: 1, hours: 90 },
    });
  });

  it('makes no modify call in dry run and reports DRY_RUN', async () => {
    const fleet = new InMemoryFleet([heavyAutoStop('ws-1'), lightAlwaysOn('ws-2')]);
    const { results, summary } = await runOptimizer({ fleet, switcher: fleet, ...storeBacked() }, settings());
    expect(fleet.modifies).toEqual([]);
    expect(
      results.map((r) => [r.workspace.workspaceId, r.decision.action, r.outcome, r.newRunningMode]),
    ).toEqual([
      ['ws-1', 'TO_ALWAYS_ON', 'DRY_RUN', 'AUTO_STOP'],
      ['ws-2', 'TO_AUTO_STOP', 'DRY_RUN', 'ALWAYS_ON'],
    ]);
    expect(summary.conversions.TO_ALWAYS_ON.DRY_RUN).toBe(1);
    expect(summary.conversions.TO_AUTO_STOP.DRY_RUN).toBe(1);
  });

  it('applies exactly the decided conversions, after confirming their tags', async () => {
    const fleet = new InMemoryFleet([
      heavyAutoStop('ws-1'),
      lightAlwaysOn('ws-2'),
      {
        workspace: workspace({ workspaceId: 'ws-3' }),
        usage: { ok: true, value: hourlyUsage(november, 10) },
      },
    ]);
    const { results, summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked() },
      settings({ dryRun: false }),
    );
    // Conversions run concurrently: their order is not part of the contract.
    expect([...fleet.modifies].sort((a, b) => a.workspaceId.localeCompare(b.workspaceId))).toEqual([
      { workspaceId: 'ws-1', mode: 'ALWAYS_ON' },
      { workspaceId: 'ws-2', mode: 'AUTO_STOP' },
    ]);
    expect(fleet.confirmations.sort()).toEqual(['ws-1', 'ws-2']);
    expect(results.map((r) => r.newRunningMode)).toEqual(['ALWAYS_ON', 'AUTO_STOP', 'AUTO_STOP']);
    expect(summary.outcomes.APPLIED).toBe(2);
  });

  it('skips a conversion whose confirmed tags show an exemption the bulk read missed', async () => {
    const fleet = new InMemoryFleet([
      heavyAutoStop('ws-1', { confirmedTags: { ok: true, value: { skip_CONVERT: 'yes' } } }),
    ]);
    const { results } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked() },
      settings({ dryRun: false }),
    );
    expect(fleet.modifies).toEqual([]);
    expect(results[0]!.decision).toEqual({ action: 'SKIP', reason: 'EXEMPT_TAG' });
    expect(results[0]!.tags).toEqual({ skip_CONVERT: 'yes' });
  });

  it('never converts a WorkSpace whose confirming tag read fails', async () => {
    const fleet = new InMemoryFleet([
      heavyAutoStop('ws-1', { confirmedTags: { ok: false, error: 'Throttled' } }),
    ]);
    const { results } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked() },
      settings({ dryRun: false }),
    );
    expect(fleet.modifies).toEqual([]);
    expect(results[0]!.decision).toEqual({ action: 'SKIP', reason: 'TAGS_UNAVAILABLE' });
    expect(results[0]!.error).toContain('Throttled');
  });

  it('reports a failed modify as FAILED with its error and still applies the others', async () => {
    const fleet = new InMemoryFleet([
      heavyAutoStop('ws-1', { modifyError: 'InvalidResourceStateException: busy' }),
      heavyAutoStop('ws-2'),
    ]);
    const { results, summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked() },
      settings({ dryRun: false }),
    );
    expect(results.map((r) => [r.outcome, r.decision.reason, r.newRunningMode])).toEqual([
      ['FAILED', 'OVER_THRESHOLD', 'AUTO_STOP'],
      ['APPLIED', 'OVER_THRESHOLD', 'ALWAYS_ON'],
    ]);
    expect(summary.errors).toEqual([
      { workspaceId: 'ws-1', region: 'us-east-1', message: 'InvalidResourceStateException: busy' },
    ]);
  });

  it('defers a conversion on a WorkSpace that is not AVAILABLE or STOPPED, without touching it', async () => {
    const fleet = new InMemoryFleet([
      heavyAutoStop('ws-1', { workspace: workspace({ workspaceId: 'ws-1', state: 'PENDING' }) }),
      heavyAutoStop('ws-2', { workspace: workspace({ workspaceId: 'ws-2', state: 'STOPPED' }) }),
    ]);
    const { results } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked() },
      settings({ dryRun: false }),
    );
    expect(results.map((r) => r.outcome)).toEqual(['DEFERRED', 'APPLIED']);
    expect(fleet.confirmations).toEqual(['ws-2']);
  });

  it('keeps going when a region cannot be read, and reports it', async () => {
    const fleet = new InMemoryFleet([heavyAutoStop('ws-1')]);
    fleet.failingRegions.set('eu-west-1', 'AccessDeniedException: not authorized');
    const log = recordingLog();
    const { results, summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(), log },
      settings(),
    );
    expect(results).toHaveLength(1);
    const problem = {
      account: '111122223333',
      region: 'eu-west-1',
      scope: 'region',
      message: 'AccessDeniedException: not authorized',
    };
    expect(summary.problems).toEqual([problem]);
    expect(log.lines.filter(([level]) => level === 'error')).toEqual([
      ['error', 'region could not be read', problem],
    ]);
  });

  it('reports progress after each region: regions done of all, WorkSpaces seen so far', async () => {
    // Arrange: two regions with one and two WorkSpaces, one region at a time, and one that cannot be read
    const fleet = new InMemoryFleet([
      heavyAutoStop('ws-1', { workspace: workspace({ workspaceId: 'ws-1', region: 'ap-south-1' }) }),
      heavyAutoStop('ws-2'),
      lightAlwaysOn('ws-3'),
    ]);
    fleet.failingRegions.set('eu-west-1', 'AccessDeniedException: not authorized');
    const progress: unknown[] = [];
    // Act
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(), onProgress: (step) => progress.push(step) },
      settings({ regionConcurrency: 1, keepResults: false }),
    );
    // Assert: regions in order (ap-south-1, eu-west-1, us-east-1); the failed one counts as done
    expect(progress).toEqual([
      { regionsDone: 1, regionsTotal: 3, workspacesSeen: 1 },
      { regionsDone: 2, regionsTotal: 3, workspacesSeen: 1 },
      { regionsDone: 3, regionsTotal: 3, workspacesSeen: 3 },
    ]);
    expect(summary.workspaces).toBe(3);
  });

  it('turns unreadable usage into ERROR and unreadable tags into SKIP, never a conversion', async () => {
    const fleet = new InMemoryFleet([
      heavyAutoStop('ws-1', { usage: { ok: false, error: 'InternalError' } }),
      heavyAutoStop('ws-2', { tags: { ok: false, error: 'ThrottlingException' } }),
    ]);
    const { results, summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked() },
      settings({ dryRun: false }),
    );
    expect(results.map((r) => [r.decision.action, r.decision.reason, r.billableHours])).toEqual([
      ['ERROR', 'METRICS_UNAVAILABLE', undefined],
      ['SKIP', 'TAGS_UNAVAILABLE', 101],
    ]);
    expect(fleet.modifies).toEqual([]);
    expect(summary.errors.map((e) => e.message)).toEqual(['usage: InternalError']);
    expect(summary.skipped).toEqual({ TAGS_UNAVAILABLE: 1 });
  });

  it('writes the reports, and a failed write is in the summary while the others are still written', async () => {
    const fleet = new InMemoryFleet([heavyAutoStop('ws-1')]);
    const store = new MemoryStore('reports/daily/2026/11/30/111122223333');
    const log = recordingLog();
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(store), log },
      settings(),
    );
    // Said once, by the shard that wrote the file (the merge logs only the day's files it writes).
    expect(log.lines.filter(([level]) => level === 'error')).toEqual([
      [
        'error',
        'report write failed',
        {
          target: 'memory://reports/daily/2026/11/30/111122223333_us-east-1_d-1234567890.csv',
          message: expect.stringContaining('AccessDenied'),
        },
      ],
    ]);
    expect([...store.objects.keys()]).toEqual([
      'reports/daily/2026/11/30/aggregated.csv',
      'reports/monthly/2026-11/aggregated.csv',
      'reports/monthly/2026-11/summary.csv',
      'reports/monthly/2026-11/summary.html',
    ]);
    expect(summary.writeFailures).toHaveLength(1);
    expect(summary.writeFailures[0]!.message).toContain('AccessDenied');
    // The file that could not be written is no report of the run.
    expect(summary.reportKeys).toEqual([
      'reports/daily/2026/11/30/aggregated.csv',
      'reports/monthly/2026-11/aggregated.csv',
      'reports/monthly/2026-11/summary.csv',
      'reports/monthly/2026-11/summary.html',
    ]);
  });

  it('does not convert ALWAYS_ON to AUTO_STOP before month end unless forced', async () => {
    const fleet = new InMemoryFleet([lightAlwaysOn('ws-1')]);
    const midMonthStore = new MemoryStore();
    const before = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(midMonthStore) },
      settings({ asOf: midMonth }),
    );
    expect(before.results[0]!.decision).toEqual({ action: 'NONE', reason: 'NOT_MONTH_END' });
    // A mid-month run writes the day's reports only: no monthly file.
    expect(before.summary.monthEnd).toBe(false);
    expect([...midMonthStore.objects.keys()]).toEqual([
      'reports/daily/2026/11/15/111122223333_us-east-1_d-1234567890.csv',
      'reports/daily/2026/11/15/aggregated.csv',
    ]);
    const forcedStore = new MemoryStore();
    const forced = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(forcedStore) },
      settings({ asOf: midMonth, forceMonthEnd: true }),
    );
    expect(forced.results[0]!.decision).toEqual({
      action: 'TO_AUTO_STOP',
      reason: 'UNDER_THRESHOLD_AT_MONTH_END',
    });
    // Forced, the run is a month-end run in every way: it writes the month's files too.
    expect(forced.summary.monthEnd).toBe(true);
    expect([...forcedStore.objects.keys()]).toEqual([
      'reports/daily/2026/11/15/111122223333_us-east-1_d-1234567890.csv',
      'reports/daily/2026/11/15/aggregated.csv',
      'reports/monthly/2026-11/aggregated.csv',
      'reports/monthly/2026-11/summary.csv',
      'reports/monthly/2026-11/summary.html',
    ]);
  });

  it('publishes one valid event per APPLIED conversion and one run-completed event', async () => {
    const fleet = new InMemoryFleet([
      heavyAutoStop('ws-1'),
      heavyAutoStop('ws-2', { modifyError: 'boom' }),
      lightAlwaysOn('ws-3'),
    ]);
    const sink = new RecordingSink();
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(), events: sink },
      settings({ dryRun: false }),
    );
    const changed = sink.events.filter((event) => event.detailType === 'WorkSpace Running Mode Changed');
    expect(changed.map((event) => ModeChangedDetail.parse(event.detail))).toEqual([
      {
        workspaceId: 'ws-1',
        directoryId: 'd-1234567890',
        account: '111122223333',
        region: 'us-east-1',
        fromMode: 'AUTO_STOP',
        toMode: 'ALWAYS_ON',
        billableHours: 101,
        thresholdHours: 85,
        reason: 'OVER_THRESHOLD',
        asOf: '2026-11-30T23:00:00.000Z',
        // The ledger's record id: the audit keeps the conversion once however often it is sent.
        recordId: '2026-11/111122223333/us-east-1/ws-1',
      },
      expect.objectContaining({
        workspaceId: 'ws-3',
        fromMode: 'ALWAYS_ON',
        toMode: 'AUTO_STOP',
        billableHours: 11,
      }),
    ]);
    const completed = sink.events.filter((event) => event.detailType === 'Optimizer Run Completed');
    expect(completed).toHaveLength(1);
    const detail = RunCompletedDetail.parse(completed[0]!.detail);
    expect(detail.outcomes).toMatchObject({ APPLIED: 2, FAILED: 1 });
    expect(detail.reportKeys).toEqual(summary.reportKeys);
  });

  it('reports an event publishing failure as a write failure', async () => {
    const fleet = new InMemoryFleet([heavyAutoStop('ws-1')]);
    const failing: EventSink = {
      publish: async () => {
        throw new Error('PutEvents failed for 1 entry');
      },
    };
    const { summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(), events: failing },
      settings({ dryRun: false }),
    );
    // Both the conversion's event (from the ledger's outbox) and the run event failed; the next run resends the first.
    expect(summary.writeFailures).toEqual([
      { target: 'events', message: 'events: PutEvents failed for 1 entry' },
      { target: 'events', message: 'PutEvents failed for 1 entry' },
    ]);
    expect(summary.events).toEqual({ published: 0, pending: 1 });
  });
});
