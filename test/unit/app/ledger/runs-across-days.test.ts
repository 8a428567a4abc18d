import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { thresholdPolicy } from '../../../../src/billing/index.js';
import { ConversionLedger } from '../../../../src/app/ledger/conversion-ledger.js';
import type { OptimizerSettings } from '../../../../src/app/run-optimizer.js';
import { runOptimizer } from '../../../../src/app/run-optimizer.js';
import { StoredReports } from '../../../../src/report/stored-reports.js';
import { MemoryStore } from '../../../helpers/memory-store.js';
import { DEFAULT_CONCURRENCY } from '../../../helpers/run-settings.js';
import type { LedgerTestWorkspace } from './ledger-fleet.js';
import { LedgerWorld } from './ledger-fleet.js';

const MINUTE = 60_000;
const at = (day: number, hour = 23) => new Date(Date.UTC(2026, 10, day, hour));

function world(specs: readonly LedgerTestWorkspace[]) {
  const world = new LedgerWorld(specs);
  const { fleet, store, sink } = world;
  const run = (asOf: Date, overrides: Partial<OptimizerSettings> = {}) => world.run(asOf, overrides);
  const dailyRows = (day: number) =>
    parse(store.objects.get(`reports/daily/2026/11/${String(day).padStart(2, '0')}/aggregated.csv`)!.body, {
      columns: true,
    }) as Record<string, string>[];
  return { fleet, store, sink, run, dailyRows };
}

// STANDARD's threshold is 85 h. 8 connected hours a day bill 9 with a 60-minute timeout: over 85 on day 10.
const HEAVY: LedgerTestWorkspace = { id: 'ws-heavy', runningMode: 'AUTO_STOP', hoursPerDay: 8 };
const LIGHT: LedgerTestWorkspace = { id: 'ws-light', runningMode: 'ALWAYS_ON', hoursPerDay: 1 };

describe('Across runs: the same day run three times', () => {
  it('converts once, reports the conversion as APPLIED every time and publishes one event', async () => {
    // Arrange
    const { fleet, sink, run, dailyRows } = world([HEAVY, LIGHT]);

    // Act
    const first = await run(at(30));
    const second = await run(at(30));
    const third = await run(at(30));

    // Assert
    expect(fleet.changes).toEqual(
      expect.arrayContaining([
        { workspaceId: 'ws-heavy', mode: 'ALWAYS_ON' },
        { workspaceId: 'ws-light', mode: 'AUTO_STOP' },
      ]),
    );
    expect(fleet.changes).toHaveLength(2);
    for (const { summary } of [first, second, third]) {
      expect(summary.conversions.TO_ALWAYS_ON.APPLIED).toBe(1);
      expect(summary.conversions.TO_AUTO_STOP.APPLIED).toBe(1);
    }
    expect(
      dailyRows(30).map((row) => [row.workspace_id, row.running_mode, row.outcome, row.new_running_mode]),
    ).toEqual([
      ['ws-heavy', 'AUTO_STOP', 'APPLIED', 'ALWAYS_ON'],
      ['ws-light', 'ALWAYS_ON', 'APPLIED', 'AUTO_STOP'],
    ]);
    expect(sink.conversions()).toHaveLength(2);
  });

  it('keeps the original hours and threshold of a conversion in the rerun report', async () => {
    // Arrange
    const { run, dailyRows } = world([HEAVY]);
    await run(at(12, 9));
    const before = dailyRows(12);

    // Act
    await run(at(12, 23));

    // Assert: the rerun later that day reports what the conversion was decided on.
    expect(dailyRows(12)[0]).toMatchObject({
      billable_hours: before[0]!.billable_hours,
      threshold_hours: '85',
      outcome: 'APPLIED',
    });
  });
});

describe('Across runs: no reversal within the month', () => {
  it('does not switch back at month end a WorkSpace it switched to AlwaysOn, whose timeout the API forgot', async () => {
    // Arrange: 480-minute timeout, 2 connected hours a day: 10 billed hours a day (85 exceeded on day 9),
    // but only 3 a day with the 60-minute timeout AlwaysOn WorkSpaces are assumed to have.
    const { fleet, run, dailyRows } = world([
      { id: 'ws-long', runningMode: 'AUTO_STOP', hoursPerDay: 2, autoStopTimeoutMinutes: 480 },
    ]);
    fleet.dropTimeoutOnAlwaysOn = true;
    await run(at(9));

    // Act
    const { results } = await run(at(30));

    // Assert
    expect(fleet.changes).toEqual([{ workspaceId: 'ws-long', mode: 'ALWAYS_ON' }]);
    expect(results[0]).toMatchObject({
      idleTimeoutMinutes: 480,
      decision: { action: 'NONE', reason: 'OVER_THRESHOLD' },
    });
    expect(dailyRows(30)[0]).toMatchObject({ running_mode: 'ALWAYS_ON', action: 'NONE' });
  });

  it('does not convert a WorkSpace twice in a month, whatever its hours say', async () => {
    // Arrange: converted to AlwaysOn on day 12; an operator puts it back to AutoStop by hand.
    const { fleet, run } = world([HEAVY]);
    await run(at(12));
    await fleet.setRunningMode(fleet.list()[0]!.workspace, 'AUTO_STOP');
    fleet.changes.length = 0;

    // Act
    const { results } = await run(at(20));

    // Assert
    expect(fleet.changes).toEqual([]);
    expect(results[0]!.decision).toEqual({ action: 'NONE', reason: 'CONVERTED_THIS_MONTH' });
  });

  it('switches back to AutoStop with the timeout it was evaluated with', async () => {
    // Arrange: an AlwaysOn WorkSpace that keeps its 180-minute timeout through the API.
    const { fleet, run } = world([
      { id: 'ws-kept', runningMode: 'ALWAYS_ON', hoursPerDay: 1, firstDay: 25, autoStopTimeoutMinutes: 180 },
    ]);

    // Act
    await run(at(30));

    // Assert
    expect(fleet.list()[0]!.workspace).toMatchObject({
      runningMode: 'AUTO_STOP',
      autoStopTimeoutMinutes: 180,
    });
  });
});

describe('Across runs: failures on the way are finished by the next run', () => {
  it('publishes the events of a run whose PutEvents failed on the retry, once each, with no new modify', async () => {
    // Arrange
    const { fleet, sink, run } = world([HEAVY, LIGHT]);
    sink.failing = true;
    const failed = await run(at(30));
    sink.failing = false;

    // Act
    const retry = await run(at(30));

    // Assert
    expect(failed.summary.writeFailures.map((failure) => failure.target)).toContain('events');
    expect(fleet.changes).toHaveLength(2);
    expect(
      sink
        .conversions()
        .map((event) => 'recordId' in event.detail && event.detail.recordId)
        .sort(),
    ).toEqual(['2026-11/111122223333/us-east-1/ws-heavy', '2026-11/111122223333/us-east-1/ws-light']);
    expect(retry.summary.events).toEqual({ published: 2, pending: 0 });
  });

  it('confirms a conversion whose run died before it could settle, without a second modify', async () => {
    // Arrange: the entry's settle is refused once (the run "dies" after the modify).
    const { fleet, store, run } = world([HEAVY]);
    store.failNext.set('ledger/2026-11/', 1);
    const dying = await run(at(12));
    store.failNext.clear();

    // Act
    const next = await run(at(12));

    // Assert
    expect(dying.summary.writeFailures).toHaveLength(1);
    expect(fleet.changes).toEqual([{ workspaceId: 'ws-heavy', mode: 'ALWAYS_ON' }]);
    expect(next.results[0]).toMatchObject({ outcome: 'APPLIED', newRunningMode: 'ALWAYS_ON' });
  });

  it('does not convert when the intent cannot be recorded, and converts on the next run', async () => {
    // Arrange
    const { fleet, store, run } = world([HEAVY]);
    store.failingPrefixes = ['ledger/'];

    // Act
    const refused = await run(at(12));
    store.failingPrefixes = [];
    const next = await run(at(13));

    // Assert
    expect(refused.results[0]).toMatchObject({ outcome: 'FAILED' });
    expect(refused.results[0]!.error).toMatch(/^not converted: the ledger could not record the intent/);
    expect(refused.summary.writeFailures).not.toHaveLength(0);
    expect(next.results[0]).toMatchObject({ outcome: 'APPLIED' });
    expect(fleet.changes).toHaveLength(1);
  });

  it('tries a FAILED conversion again on the next run, keeping its record id', async () => {
    // Arrange
    const { fleet, store, sink, run } = world([HEAVY]);
    fleet.failingModifies.set('ws-heavy', 1);
    const failed = await run(at(12));

    // Act
    const retried = await run(at(13));

    // Assert
    expect(failed.results[0]!.outcome).toBe('FAILED');
    expect(retried.results[0]!.outcome).toBe('APPLIED');
    const entry = JSON.parse(store.objects.get('ledger/2026-11/111122223333_us-east-1_ws-heavy.json')!.body);
    expect(entry).toMatchObject({
      status: 'APPLIED',
      attempts: 2,
      id: '2026-11/111122223333/us-east-1/ws-heavy',
    });
    // Both attempts are in the audit trail: the failure with its error, then the conversion.
    expect(sink.failures().map((event) => event.detail)).toEqual([
      expect.objectContaining({
        workspaceId: 'ws-heavy',
        recordId: '2026-11/111122223333/us-east-1/ws-heavy',
        attempt: 1,
        error: expect.stringMatching(/./),
      }),
    ]);
    expect(sink.conversions()).toHaveLength(1);
  });
});

describe('Across runs: two runs at once', () => {
  it('never modify the same WorkSpace twice', async () => {
    // Arrange
    const { fleet } = world([HEAVY, LIGHT, { ...HEAVY, id: 'ws-heavy-2' }]);

    // Act: both runs share the wall clock, so each sees the other's claims as live.
    const now = at(30).getTime() + MINUTE;
    const store = new MemoryStore();
    const both = await Promise.all(
      [1, 2].map(() =>
        runOptimizer(
          {
            fleet,
            switcher: fleet,
            reports: new StoredReports(store),
            ledger: new ConversionLedger(store),
            now: () => new Date(now),
          },
          {
            asOf: at(30),
            dryRun: false,
            forceMonthEnd: false,
            thresholds: thresholdPolicy(),
            assumedTimeoutMinutes: 60,
            account: '111122223333',
            ...DEFAULT_CONCURRENCY,
          },
        ),
      ),
    );

    // Assert
    expect(fleet.changes.map((change) => change.workspaceId).sort()).toEqual([
      'ws-heavy',
      'ws-heavy-2',
      'ws-light',
    ]);
    const applied = both.flatMap(({ results }) => results.filter((result) => result.outcome === 'APPLIED'));
    expect(new Set(applied.map((result) => result.workspace.workspaceId)).size).toBe(3);
  });
});

describe('Across runs: dry runs', () => {
  it('write nothing to the ledger', async () => {
    // Arrange
    const { store, run } = world([HEAVY, LIGHT]);

    // Act
    await run(at(30), { dryRun: true });

    // Assert
    expect(await store.list('ledger/')).toEqual([]);
  });
});
