import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOptimizeHandler, RunFailedError } from '../../../src/handlers/optimize-handler.js';
import type { EmulatorConfig } from '../emulator/emulator.js';
import { dailySessions, useEmulator, workspacesOf } from '../../helpers/aws-test-kit.js';
import { scheduledEvent } from '../../helpers/scheduled-event.js';

const ACCOUNT = '123456789012';
const HOME = 'eu-west-1';
const OTHER = 'us-east-1';
const BUCKET = 'wco-reports';
const T = '2026-11-30T23:00:00Z';
const asOf = new Date(T);

// The Lambda's environment as serverless.yml sets it, plus what Lambda adds itself.
const ENV = {
  AWS_REGION: HOME,
  REPORT_BUCKET: BUCKET,
  REGIONS: `${OTHER},${HOME}`,
  EVENT_BUS_NAME: 'wco-bus',
  DRY_RUN: 'true',
};

function fleet(faults: EmulatorConfig['faults'] = {}): EmulatorConfig {
  return {
    account: ACCOUNT,
    buckets: [BUCKET],
    regions: {
      [HOME]: {
        directories: [{ directoryId: 'd-home' }],
        workspaces: workspacesOf('d-home', 2, () => ({ sessions: dailySessions(asOf, 8) })),
      },
      [OTHER]: {
        directories: [{ directoryId: 'd-other' }],
        workspaces: workspacesOf('d-other', 1, () => ({ runningMode: 'ALWAYS_ON' })),
      },
    },
    faults,
  };
}

const event = scheduledEvent({ account: ACCOUNT, region: HOME, time: T });

describe('Function: createOptimizeHandler with the default AWS adapters', () => {
  const emulator = useEmulator(() => fleet());

  beforeEach(() => {
    emulator.current.reset(fleet());
    // Powertools writes JSON logs and EMF metrics to stdout and stderr.
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads every region, writes the reports to the bucket and publishes on the home bus', async () => {
    // Arrange
    const handler = createOptimizeHandler({ ...ENV, AWS_ENDPOINT_URL: emulator.current.endpoint });

    // Act
    const summary = await handler(event);

    // Assert
    expect(summary).toMatchObject({ asOf: '2026-11-30T23:00:00.000Z', dryRun: true, workspaces: 3 });
    expect(summary.conversions.TO_ALWAYS_ON.DRY_RUN).toBe(2);
    expect(summary.conversions.TO_AUTO_STOP.DRY_RUN).toBe(1);
    expect(emulator.current.state.modifies).toEqual([]);
    expect([...emulator.current.state.objects.keys()].sort()).toEqual([
      `${BUCKET}/reports/daily/2026/11/30/${ACCOUNT}_${HOME}_d-home.csv`,
      `${BUCKET}/reports/daily/2026/11/30/${ACCOUNT}_${OTHER}_d-other.csv`,
      `${BUCKET}/reports/daily/2026/11/30/aggregated.csv`,
      `${BUCKET}/reports/monthly/2026-11/aggregated.csv`,
      `${BUCKET}/reports/monthly/2026-11/summary.csv`,
      `${BUCKET}/reports/monthly/2026-11/summary.html`,
      `${BUCKET}/reports/monthly/2026-11/unused.csv`,
    ]);
    const events = emulator.current.state.events;
    expect(events.map((e) => [e.detailType, e.region, e.eventBusName])).toEqual([
      ['Optimizer Run Completed', HOME, 'wco-bus'],
    ]);
    expect(emulator.current.calls.GetCallerIdentity ?? 0).toBe(0);
  });

  it('converts when DRY_RUN is false', async () => {
    // Arrange
    const env = { ...ENV, DRY_RUN: 'false', AWS_ENDPOINT_URL: emulator.current.endpoint };
    const handler = createOptimizeHandler(env);

    // Act
    const summary = await handler(event);

    // Assert
    expect(summary.outcomes.APPLIED).toBe(3);
    expect(
      emulator.current.state.modifies.map((m) => [m.region, m.workspaceId, m.runningMode]).sort(),
    ).toEqual([
      [HOME, 'ws-home00000', 'ALWAYS_ON'],
      [HOME, 'ws-home00001', 'ALWAYS_ON'],
      [OTHER, 'ws-other00000', 'AUTO_STOP'],
    ]);
  });

  it('fails the invocation when S3 refuses a report, after writing the rest', async () => {
    // Arrange
    emulator.current.reset(fleet({ putObjectFailsUnder: ['reports/monthly/'] }));
    const handler = createOptimizeHandler({ ...ENV, AWS_ENDPOINT_URL: emulator.current.endpoint });

    // Act
    const invocation = handler(event);

    // Assert
    await expect(invocation).rejects.toThrow(RunFailedError);
    await expect(invocation).rejects.toThrow(
      /s3:\/\/wco-reports\/reports\/monthly\/2026-11\/aggregated\.csv/,
    );
    expect(emulator.current.state.objects.has(`${BUCKET}/reports/daily/2026/11/30/aggregated.csv`)).toBe(
      true,
    );
    expect(emulator.current.state.events.map((e) => e.detailType)).toContain('Optimizer Run Completed');
  });
});
