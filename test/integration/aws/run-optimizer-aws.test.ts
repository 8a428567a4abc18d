import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsDependencies } from '../../../src/compose/aws.js';
import type { OptimizerSettings } from '../../../src/app/run-optimizer.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import { thresholdPolicy } from '../../../src/billing/index.js';
import { SPOT_CHECKS } from '../../../src/aws/tag-reader.js';
import type { EmulatedWorkspace, EmulatorConfig } from '../emulator/emulator.js';
import { dailySessions, fastRetryStrategy, useEmulator, workspacesOf } from '../../helpers/aws-test-kit.js';
import { DEFAULT_CONCURRENCY } from '../../helpers/run-settings.js';

const asOf = new Date('2026-11-30T23:00:00Z'); // month end: both directions can convert
const REGION = 'eu-west-1';
const UNREADABLE = 'ap-southeast-2';
const BUCKET = 'wco-reports';
const ACCOUNT = '123456789012';

const heavy = dailySessions(asOf, 8); // 29 days x 9 billable hours: far over every threshold
const light = dailySessions(asOf, 1); // 29 x 2 = 58 hours: under every threshold

/** WorkSpace ids by role, so expectations read like the fleet. */
const id = (n: number) => `ws-main${String(n).padStart(5, '0')}`;
const ROLE = {
  exempt: id(12),
  staleExempt: id(13),
  modifyFails: id(14),
  metricsFail: id(15),
  manual: id(16),
  pending: id(17),
  lightAlwaysOn: id(18),
  lightAutoStop: id(19),
  heavyAlwaysOn: id(20),
};
// ids 0..11: heavy AutoStop WorkSpaces, plain conversions to AlwaysOn (12 of them: two event batches).
const plainHeavy = Array.from({ length: 12 }, (_, n) => id(n));

function mainDirectory(): EmulatedWorkspace[] {
  return workspacesOf('d-main', 21, (n): Partial<EmulatedWorkspace> => {
    const workspaceId = id(n);
    switch (workspaceId) {
      case ROLE.exempt:
        return { sessions: heavy, tags: { skip_convert: 'yes' } };
      case ROLE.staleExempt:
        // Tagged a minute ago: DescribeTags has it, the Tagging API's index not yet.
        return { sessions: heavy, tags: { Skip_Convert: '' }, staleBulkTags: { Owner: 'x' } };
      case ROLE.manual:
        return { sessions: heavy, runningMode: 'MANUAL' };
      case ROLE.pending:
        return { sessions: heavy, state: 'PENDING' };
      case ROLE.lightAlwaysOn:
        return { sessions: light, runningMode: 'ALWAYS_ON', computeType: 'PERFORMANCE' };
      case ROLE.lightAutoStop:
        return { sessions: light, userName: 'Doe, "Jane"' };
      case ROLE.heavyAlwaysOn:
        return { sessions: heavy, runningMode: 'ALWAYS_ON', tags: { CostCenter: '42' } };
      default:
        return { sessions: heavy };
    }
  });
}

function fleetConfig(faults: EmulatorConfig['faults'] = {}): EmulatorConfig {
  return {
    account: ACCOUNT,
    buckets: [BUCKET],
    regions: {
      [REGION]: {
        directories: [{ directoryId: 'd-main' }, { directoryId: 'd-other' }],
        workspaces: [...mainDirectory(), ...workspacesOf('d-other', 30, () => ({ sessions: light }))],
      },
      [UNREADABLE]: { directories: [{ directoryId: 'd-far' }], workspaces: workspacesOf('d-far', 2) },
    },
    faults: {
      directoriesFailIn: [UNREADABLE],
      modifyFailsFor: [ROLE.modifyFails],
      metricQueryFailsFor: [ROLE.metricsFail],
      ...faults,
    },
  };
}

const emulator = useEmulator(() => fleetConfig());
const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

const settings = (dryRun: boolean): OptimizerSettings => ({
  asOf,
  dryRun,
  forceMonthEnd: false,
  thresholds: thresholdPolicy(),
  assumedTimeoutMinutes: 60,
  ...DEFAULT_CONCURRENCY,
  account: ACCOUNT,
});

async function dependencies(
  options: { bucket?: string; outDir?: string; account?: string } = { bucket: BUCKET },
) {
  return createAwsDependencies({
    regions: [REGION, UNREADABLE],
    account: ACCOUNT,
    eventBusName: 'wco-bus',
    customEndpoint: true,
    clientOptions: { retryStrategy: fastRetryStrategy() },
    ...options,
  });
}

const resultOf = (results: Awaited<ReturnType<typeof runOptimizer>>['results'], workspaceId: string) =>
  results.find((result) => result.workspace.workspaceId === workspaceId)!;

describe('Function: runOptimizer with the AWS adapters', () => {
  beforeEach(() => emulator.current.reset(fleetConfig()));

  it('decides in a dry run without any ModifyWorkspaceProperties call and reports the unreadable region', async () => {
    // Arrange
    const deps = await dependencies();

    // Act
    const { summary, results } = await runOptimizer(deps, settings(true));

    // Assert
    expect(emulator.current.calls.ModifyWorkspaceProperties).toBeUndefined();
    expect(emulator.current.state.modifies).toEqual([]);
    expect(summary.workspaces).toBe(51);
    expect(summary.problems).toEqual([
      { account: ACCOUNT, region: UNREADABLE, scope: 'region', message: expect.any(String) },
    ]);
    expect(summary.outcomes.DRY_RUN).toBe(12 + 1 + 1 + 1); // plain heavy, light AlwaysOn, stale exempt, failing modify
    expect(resultOf(results, ROLE.pending).outcome).toBe('DEFERRED');
    expect(resultOf(results, ROLE.metricsFail).decision).toEqual({
      action: 'ERROR',
      reason: 'METRICS_UNAVAILABLE',
    });
    expect(resultOf(results, ROLE.metricsFail).billableHours).toBeUndefined();
    expect(resultOf(results, ROLE.exempt).decision).toEqual({ action: 'SKIP', reason: 'EXEMPT_TAG' });
    expect(resultOf(results, ROLE.manual).decision).toEqual({ action: 'SKIP', reason: 'UNSUPPORTED_MODE' });
    expect(resultOf(results, ROLE.lightAlwaysOn).decision.action).toBe('TO_AUTO_STOP');
    expect(resultOf(results, ROLE.lightAutoStop).billableHours).toBe(29 * 2);
    expect(summary.writeFailures).toEqual([]);
    const events = emulator.current.state.events;
    expect(events.map((event) => event.detailType)).toEqual(['Optimizer Run Completed']);
  });

  it('applies exactly the decided conversions, confirms tags first and reports the failing one', async () => {
    // Arrange
    const deps = await dependencies();

    // Act
    const { summary, results } = await runOptimizer(deps, settings(false));

    // Assert
    const applied = [...plainHeavy, ROLE.lightAlwaysOn];
    const modified = emulator.current.state.modifies.map((modify) => modify.workspaceId).sort();
    expect(modified).toEqual([...applied].sort());
    expect(
      emulator.current.state.modifies.find((m) => m.workspaceId === ROLE.lightAlwaysOn)!.runningMode,
    ).toBe('AUTO_STOP');
    expect(emulator.current.state.failedModifies).toContain(ROLE.modifyFails);
    expect(resultOf(results, ROLE.modifyFails).outcome).toBe('FAILED');
    expect(summary.outcomes.APPLIED).toBe(applied.length);
    expect(summary.outcomes.FAILED).toBe(1);
    // The Tagging index missed the fresh Skip_Convert; DescribeTags right before converting did not.
    expect(resultOf(results, ROLE.staleExempt).decision).toEqual({ action: 'SKIP', reason: 'EXEMPT_TAG' });
    expect(resultOf(results, ROLE.staleExempt).outcome).toBe('NONE');
    // Before converting: the applied, the stale exempt and the failing modify; before deciding: the spot check of the Tagging answer.
    expect(emulator.current.calls.DescribeTags).toBe(applied.length + 2 + SPOT_CHECKS);
  });

  it('publishes one event per APPLIED and per FAILED conversion and one run-completed event, in batches of at most 10', async () => {
    // Arrange
    const deps = await dependencies();

    // Act
    const { summary } = await runOptimizer(deps, settings(false));

    // Assert
    const events = emulator.current.state.events;
    expect(events.filter((event) => event.detailType === 'WorkSpace Running Mode Changed')).toHaveLength(
      summary.outcomes.APPLIED,
    );
    // The refused modify leaves a record in the audit trail, with the AWS error.
    const failed = events.filter((event) => event.detailType === 'WorkSpace Running Mode Change Failed');
    expect(failed.map((event) => JSON.parse(event.detail))).toEqual([
      expect.objectContaining({
        workspaceId: ROLE.modifyFails,
        attempt: 1,
        error: expect.stringMatching(/./),
      }),
    ]);
    expect(events.filter((event) => event.detailType === 'Optimizer Run Completed')).toHaveLength(1);
    expect(
      events.every((event) => event.source === 'wco.optimizer' && event.eventBusName === 'wco-bus'),
    ).toBe(true);
    // The 13 conversions' and the failure's events from the ledger's outbox (10 + 4), then the run event on its own.
    expect(emulator.current.state.eventBatches.slice(0, 2).sort((a, b) => b - a)).toEqual([10, 4]);
    expect(emulator.current.state.eventBatches.at(-1)).toBe(1);
    const changed = JSON.parse(events.find((event) => event.detail.includes(ROLE.lightAlwaysOn))!.detail);
    expect(changed).toMatchObject({
      workspaceId: ROLE.lightAlwaysOn,
      fromMode: 'ALWAYS_ON',
      toMode: 'AUTO_STOP',
    });
  });

  it('writes the same keys and bytes to S3 as the local folder store, as text/csv', async () => {
    // Arrange
    const folder = await mkdtemp(join(tmpdir(), 'wco-aws-'));
    folders.push(folder);

    // Act
    const inS3 = await runOptimizer(await dependencies(), settings(true));
    const inFolder = await runOptimizer(await dependencies({ outDir: folder }), settings(true));

    // Assert
    expect(inS3.summary.reportKeys).toEqual(inFolder.summary.reportKeys);
    expect(inS3.summary.reportKeys).toEqual(
      expect.arrayContaining([
        `reports/daily/2026/11/30/${ACCOUNT}_${REGION}_d-main.csv`,
        'reports/daily/2026/11/30/aggregated.csv',
        'reports/monthly/2026-11/aggregated.csv',
      ]),
    );
    expect(inS3.summary.reportLocation).toBe(`s3://${BUCKET}/`);
    for (const key of inS3.summary.reportKeys) {
      const stored = emulator.current.state.objects.get(`${BUCKET}/${key}`)!;
      // The month-end summary page (docs/finance.md) is the one HTML object.
      expect(stored.contentType).toBe(
        key.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/csv; charset=utf-8',
      );
      expect(stored.body.equals(await readFile(join(folder, key)))).toBe(true);
    }
  });

  it('falls back to DescribeTags when the Tagging API fails, and skips a WorkSpace whose tags stay unreadable', async () => {
    // Arrange
    emulator.current.reset(fleetConfig({ taggingFailsIn: [REGION], describeTagsFailsFor: [plainHeavy[0]!] }));

    // Act
    const { results } = await runOptimizer(await dependencies(), settings(true));

    // Assert
    expect(resultOf(results, plainHeavy[0]!).decision).toEqual({
      action: 'SKIP',
      reason: 'TAGS_UNAVAILABLE',
    });
    expect(resultOf(results, plainHeavy[0]!).outcome).toBe('NONE');
    expect(resultOf(results, ROLE.exempt).decision).toEqual({ action: 'SKIP', reason: 'EXEMPT_TAG' });
    expect(resultOf(results, ROLE.heavyAlwaysOn).tags).toEqual({ CostCenter: '42' });
    expect(resultOf(results, plainHeavy[1]!).outcome).toBe('DRY_RUN');
  });

  it('reports failed report writes and failed event entries as write failures', async () => {
    // Arrange
    emulator.current.reset(
      fleetConfig({ putObjectFailsUnder: ['reports/monthly/'], eventsFailMatching: [plainHeavy[3]!] }),
    );

    // Act
    const { summary } = await runOptimizer(await dependencies(), settings(false));

    // Assert
    expect(summary.writeFailures).toEqual([
      // The conversion events go out from the ledger before the reports are written.
      { target: 'events', message: expect.stringContaining(plainHeavy[3]!) },
      {
        target: `s3://${BUCKET}/reports/monthly/2026-11/aggregated.csv`,
        message: expect.stringContaining('AccessDenied'),
      },
      // The month-end summary (docs/finance.md) goes under the same refused prefix.
      {
        target: `s3://${BUCKET}/reports/monthly/2026-11/summary.csv`,
        message: expect.stringContaining('AccessDenied'),
      },
      {
        target: `s3://${BUCKET}/reports/monthly/2026-11/summary.html`,
        message: expect.stringContaining('AccessDenied'),
      },
    ]);
    expect(emulator.current.state.eventBatches.slice(0, 2).sort((a, b) => b - a)).toEqual([10, 4]);
    expect(emulator.current.state.eventBatches.at(-1)).toBe(1);
  });

  it('gets through throttled conversions, confirmations, report writes and events on the SDK retries', async () => {
    // Arrange
    emulator.current.reset(
      fleetConfig({
        throttle: { DescribeTags: 2, ModifyWorkspaceProperties: 3, PutObject: 2, PutEvents: 1 },
      }),
    );

    // Act
    const { summary } = await runOptimizer(await dependencies(), settings(false));

    // Assert
    expect(summary.outcomes.APPLIED).toBe(13);
    expect(summary.writeFailures).toEqual([]);
    expect(emulator.current.calls.ModifyWorkspaceProperties).toBe(13 + 1 + 3);
    // 13 applied, 1 failed (its event too), 1 run
    expect(emulator.current.state.events).toHaveLength(13 + 1 + 1);
  });

  it('resolves the account with one STS call when none is given', async () => {
    // Act
    const deps = await createAwsDependencies({
      regions: [REGION],
      bucket: BUCKET,
      customEndpoint: true,
      clientOptions: { retryStrategy: fastRetryStrategy() },
    });

    // Assert
    expect(deps.account).toBe(ACCOUNT);
    expect(emulator.current.calls.GetCallerIdentity).toBe(1);
    await expect(deps.store.get('missing/key.csv')).resolves.toBeUndefined();
  });
});
