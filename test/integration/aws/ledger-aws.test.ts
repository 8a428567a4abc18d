import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OptimizerSettings } from '../../../src/app/run-optimizer.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import { createAwsDependencies } from '../../../src/compose/aws.js';
import { thresholdPolicy } from '../../../src/billing/index.js';
import type { EmulatedWorkspace, EmulatorConfig } from '../emulator/emulator.js';
import { DEFAULT_CONCURRENCY } from '../../helpers/run-settings.js';
import { dailySessions, fastRetryStrategy, useEmulator, workspacesOf } from '../../helpers/aws-test-kit.js';

const REGION = 'eu-west-1';
const BUCKET = 'wco-reports';
const ACCOUNT = '123456789012';
const monthEnd = new Date('2026-11-30T23:00:00Z');
const heavy = dailySessions(monthEnd, 8); // far over every threshold
const light = dailySessions(monthEnd, 1); // under every threshold

/** 8 heavy AutoStop, 4 light AlwaysOn in d-main; 3 light AlwaysOn in d-side. */
function fleet(faults: EmulatorConfig['faults'] = {}): EmulatorConfig {
  const main = workspacesOf('d-main', 12, (n): Partial<EmulatedWorkspace> =>
    n < 8
      ? { sessions: heavy }
      : { sessions: light, runningMode: 'ALWAYS_ON', autoStopTimeoutMinutes: undefined },
  );
  const side = workspacesOf('d-side', 3, () => ({
    sessions: light,
    runningMode: 'ALWAYS_ON',
    autoStopTimeoutMinutes: undefined,
  }));
  return {
    account: ACCOUNT,
    buckets: [BUCKET],
    regions: {
      [REGION]: {
        directories: [{ directoryId: 'd-main' }, { directoryId: 'd-side' }],
        workspaces: [...main, ...side],
      },
    },
    faults,
  };
}

const emulator = useEmulator(() => fleet());

const settings = (asOf = monthEnd): OptimizerSettings => ({
  asOf,
  dryRun: false,
  forceMonthEnd: false,
  thresholds: thresholdPolicy(),
  assumedTimeoutMinutes: 60,
  account: ACCOUNT,
  ...DEFAULT_CONCURRENCY,
});

const dependencies = () =>
  createAwsDependencies({
    regions: [REGION],
    account: ACCOUNT,
    bucket: BUCKET,
    eventBusName: 'wco-bus',
    customEndpoint: true,
    clientOptions: { retryStrategy: fastRetryStrategy() },
  });

const run = async (asOf = monthEnd) => runOptimizer(await dependencies(), settings(asOf));

function object(key: string): string {
  return emulator.current.state.objects.get(`${BUCKET}/${key}`)!.body.toString('utf8');
}
const rows = (key: string) => parse(object(key), { columns: true }) as Record<string, string>[];
const modes = () =>
  Object.fromEntries(
    emulator.current.state.regions[REGION]!.workspaces.map((workspace) => [
      workspace.workspaceId,
      workspace.runningMode,
    ]),
  );
const conversionEvents = () =>
  emulator.current.state.events.filter(
    (event) => event.detailType === 'WorkSpace Running Mode Changed' && !event.failed,
  );

describe('The conversion ledger on S3 (emulator, real SDK)', () => {
  beforeEach(() => emulator.current.reset(fleet()));

  it('runs the same day three times: one modify per conversion, every conversion in the reports, one event each', async () => {
    // Act
    await run();
    const afterFirst = modes();
    await run();
    await run();

    // Assert
    expect(emulator.current.state.modifies).toHaveLength(15);
    expect(modes()).toEqual(afterFirst);
    const daily = rows('reports/daily/2026/11/30/aggregated.csv');
    expect(daily.filter((row) => row.outcome === 'APPLIED')).toHaveLength(15);
    const summary = rows('reports/monthly/2026-11/summary.csv');
    const total = summary.find((row) => row.account === 'TOTAL')!;
    expect(total).toMatchObject({ to_always_on: '8', to_auto_stop: '7' });
    const recordIds = conversionEvents().map((event) => JSON.parse(event.detail).recordId);
    expect(recordIds).toHaveLength(15);
    expect(new Set(recordIds).size).toBe(15);
  });

  it('publishes the events of a run whose PutEvents failed on the retry, each exactly once, with no new modify', async () => {
    // Arrange: every conversion event of the first run is refused.
    emulator.current.state.faults = { eventsFailMatching: ['"recordId"'] };
    const failed = await run();
    emulator.current.state.faults = {};
    const modifies = emulator.current.state.modifies.length;

    // Act
    const retry = await run();

    // Assert
    expect(failed.summary.writeFailures.some((failure) => failure.target === 'events')).toBe(true);
    expect(emulator.current.state.modifies).toHaveLength(modifies);
    const recordIds = conversionEvents().map((event) => JSON.parse(event.detail).recordId);
    expect(recordIds).toHaveLength(15);
    expect(new Set(recordIds).size).toBe(15);
    expect(retry.summary.events).toEqual({ published: 15, pending: 0 });
  });

  it('keeps the rows of a directory a rerun cannot read, marked not re-evaluated', async () => {
    // Arrange
    await run();
    const before = rows('reports/daily/2026/11/30/aggregated.csv');
    emulator.current.state.faults = { describeWorkspacesFailsFor: ['d-side'] };

    // Act
    const rerun = await run();

    // Assert
    const after = rows('reports/daily/2026/11/30/aggregated.csv');
    expect(after).toHaveLength(before.length);
    expect(after.filter((row) => row.directory_id === 'd-side').map((row) => row.evaluated)).toEqual([
      'no',
      'no',
      'no',
    ]);
    expect(after.filter((row) => row.directory_id === 'd-main').every((row) => row.evaluated === 'yes')).toBe(
      true,
    );
    expect(after.filter((row) => row.directory_id === 'd-side').map((row) => row.outcome)).toEqual([
      'APPLIED',
      'APPLIED',
      'APPLIED',
    ]);
    expect(rerun.summary.keptRows).toBe(3);
  });

  it("does not replace the day's reports when a rerun can read nothing", async () => {
    // Arrange
    await run();
    const before = object('reports/daily/2026/11/30/aggregated.csv');
    emulator.current.state.faults = { directoriesFailIn: [REGION] };

    // Act
    await run();

    // Assert
    expect(object('reports/daily/2026/11/30/aggregated.csv')).toBe(before);
  });

  it('counts every conversion in the summary when the month-end daily report failed once, and says so', async () => {
    // Arrange: the aggregated daily report is refused once.
    emulator.current.state.faults = { putObjectFailsOnce: { 'reports/daily/2026/11/30/aggregated.csv': 1 } };

    // Act
    const failing = await run();
    const failingSummary = object('reports/monthly/2026-11/summary.csv');
    const failingPage = object('reports/monthly/2026-11/summary.html');
    await run();

    // Assert: the failed run's summary counts the ledger's conversions and names the missing report...
    expect(failing.summary.writeFailures.map((failure) => failure.target)).toEqual([
      `s3://${BUCKET}/reports/daily/2026/11/30/aggregated.csv`,
    ]);
    const failedTotal = (parse(failingSummary, { columns: true }) as Record<string, string>[]).find(
      (row) => row.account === 'TOTAL',
    )!;
    expect(failedTotal).toMatchObject({ to_always_on: '8', to_auto_stop: '7' });
    expect(failingSummary).toContain('could not write its daily report');
    expect(failingPage).toContain('could not write its daily report');
    // ...and the retry's summary is whole again.
    const total = rows('reports/monthly/2026-11/summary.csv').find((row) => row.account === 'TOTAL')!;
    expect(total).toMatchObject({ to_always_on: '8', to_auto_stop: '7' });
    expect(object('reports/monthly/2026-11/summary.csv')).not.toContain('could not write its daily report');
  });

  it('does not switch back a WorkSpace whose AutoStop timeout the API dropped after it went AlwaysOn', async () => {
    // Arrange: 480-minute timeout, 2 connected hours a day from Nov 1: 10 billed hours a day, over 85 by Nov 9,
    // but only 3 a day with the 60 minutes an AlwaysOn WorkSpace is assumed to have.
    const long = workspacesOf('d-long', 1, () => ({
      sessions: dailySessions(monthEnd, 2),
      autoStopTimeoutMinutes: 480,
    }));
    emulator.current.reset({
      account: ACCOUNT,
      buckets: [BUCKET],
      regions: { [REGION]: { directories: [{ directoryId: 'd-long' }], workspaces: long } },
      faults: { dropTimeoutOnAlwaysOn: true },
    });
    await run(new Date('2026-11-10T23:00:00Z'));
    expect(emulator.current.state.regions[REGION]!.workspaces[0]).toMatchObject({ runningMode: 'ALWAYS_ON' });
    expect(emulator.current.state.regions[REGION]!.workspaces[0]!.autoStopTimeoutMinutes).toBeUndefined();

    // Act
    const { results } = await run();

    // Assert
    expect(emulator.current.state.modifies).toHaveLength(1);
    expect(results[0]).toMatchObject({ idleTimeoutMinutes: 480, decision: { action: 'NONE' } });
  });

  it('makes no duplicate modify when two runs start together', async () => {
    // Act
    const [first, second] = await Promise.all([run(), run()]);

    // Assert
    const modified = emulator.current.state.modifies.map((modify) => modify.workspaceId);
    expect(modified).toHaveLength(15);
    expect(new Set(modified).size).toBe(15);
    const applied = (result: typeof first) => result.summary.outcomes.APPLIED;
    expect(applied(first) + applied(second)).toBeGreaterThanOrEqual(15);
  });
});
