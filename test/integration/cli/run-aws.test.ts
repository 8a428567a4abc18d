import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { dailySessions, useEmulator, workspacesOf } from '../../helpers/aws-test-kit.js';
import { runCli } from '../../helpers/cli.js';
import type { EmulatedWorkspace } from '../emulator/emulator.js';

const BUCKET = 'wco-cli-reports';
const asOf = new Date('2026-11-30T23:00:00Z');

// Ten hours a day every day of November: far over every threshold.
const heavy = workspacesOf('d-cli', 3, (index): Partial<EmulatedWorkspace> => ({
  sessions: dailySessions(asOf, 10),
  tags: index === 2 ? { SKIP_CONVERT: 'finance said no' } : {},
}));

const fleet = () => ({
  buckets: [BUCKET],
  regions: { 'us-east-1': { directories: [{ directoryId: 'd-cli' }], workspaces: structuredClone(heavy) } },
});
const emulator = useEmulator(fleet);

describe('Command: wco run against AWS (the local emulator)', () => {
  it('reads the fleet with the default credential chain and AWS_ENDPOINT_URL, and writes the reports to the bucket', async () => {
    // Arrange
    emulator.current.state.modifies.length = 0;

    // Act
    const run = await runCli(
      ['run', '--regions', 'us-east-1', '--bucket', BUCKET, '--as-of', asOf.toISOString(), '--apply'],
      { env: process.env },
    );

    // Assert
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('WorkSpaces seen: 3');
    expect(run.stdout).toContain(`s3://${BUCKET}/`);
    expect(emulator.current.state.modifies.map((modify) => modify.workspaceId).sort()).toEqual(
      [heavy[0]!.workspaceId, heavy[1]!.workspaceId].sort(),
    );
    const aggregated = emulator.current.state.objects.get(
      `${BUCKET}/reports/daily/2026/11/30/aggregated.csv`,
    );
    expect(aggregated).toBeDefined();
    const rows: string[][] = parse(aggregated!.body);
    expect(rows.slice(1).map((row) => [row[0], row[14]])).toEqual([
      [heavy[0]!.workspaceId, 'APPLIED'],
      [heavy[1]!.workspaceId, 'APPLIED'],
      [heavy[2]!.workspaceId, 'NONE'],
    ]);
    expect(emulator.current.state.events.map((event) => event.detailType)).toContain(
      'Optimizer Run Completed',
    );
  });
});

describe('Command: wco run against AWS, exit codes (the automation sees every problem)', () => {
  beforeEach(() => emulator.current.reset(fleet()));

  it('exits 1 when a conversion FAILED, and again on the rerun that retries it', async () => {
    // Arrange
    emulator.current.state.faults = { modifyFailsFor: [heavy[0]!.workspaceId] };
    const args = [
      'run',
      '--regions',
      'us-east-1',
      '--bucket',
      BUCKET,
      '--as-of',
      '2026-11-29T23:00:00Z',
      '--apply',
    ];

    // Act
    const first = await runCli(args, { env: process.env });
    const rerun = await runCli(args, { env: process.env });

    // Assert
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`${heavy[0]!.workspaceId} (us-east-1): InvalidResourceStateException`);
    expect(rerun.code).toBe(1);
    emulator.current.state.faults = {};
  });

  it('exits 1 when the usage of a WorkSpace could not be read, even in a dry run', async () => {
    // Arrange
    emulator.current.state.faults = { metricQueryFailsFor: [heavy[1]!.workspaceId] };

    // Act
    const run = await runCli(
      ['run', '--regions', 'us-east-1', '--bucket', BUCKET, '--as-of', '2026-11-28T23:00:00Z'],
      { env: process.env },
    );

    // Assert
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'Needs attention: 1\n  METRICS_UNAVAILABLE  ws-cli00001 (us-east-1): usage:',
    );
    emulator.current.state.faults = {};
  });
});

describe('Command: wco run --verbose against AWS', () => {
  beforeEach(() => emulator.current.reset(fleet()));

  it("shows the fleet reader's warnings and every decision; an exempt WorkSpace the Tagging API leaves out stays exempt in a dry run", async () => {
    // Arrange: the Tagging API lists nothing, as moto does for workspaces:workspace
    emulator.current.state.faults = { taggingOmits: [heavy[2]!.workspaceId] };

    // Act
    const run = await runCli(
      ['run', '--regions', 'us-east-1', '--bucket', BUCKET, '--as-of', '2026-11-28T23:00:00Z', '--verbose'],
      { env: process.env },
    );

    // Assert
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "warn  tagging API answer incomplete; reading the unlisted WorkSpaces' tags one by one region=us-east-1 reason=the Tagging API listed no WorkSpace",
    );
    for (const workspace of heavy.slice(0, 2))
      expect(run.stderr).toContain(
        `info  would convert (dry run) workspaceId=${workspace.workspaceId} region=us-east-1 action=TO_ALWAYS_ON`,
      );
    expect(run.stderr).toContain(
      `info  skipped workspaceId=${heavy[2]!.workspaceId} region=us-east-1 action=SKIP reason=EXEMPT_TAG`,
    );
    const rows: string[][] = parse(
      emulator.current.state.objects.get(`${BUCKET}/reports/daily/2026/11/28/aggregated.csv`)!.body,
    );
    expect(rows.find((row) => row[0] === heavy[2]!.workspaceId)?.slice(12, 15)).toEqual([
      'SKIP',
      'EXEMPT_TAG',
      'NONE',
    ]);
    emulator.current.state.faults = {};
  });
});

describe('Command: wco ledger --from s3://', () => {
  it('lists the conversions of the month, and whether each reached the audit trail', async () => {
    // Arrange
    emulator.current.reset(fleet());
    await runCli(
      ['run', '--regions', 'us-east-1', '--bucket', BUCKET, '--as-of', asOf.toISOString(), '--apply'],
      {
        env: process.env,
      },
    );

    // Act
    const run = await runCli(
      ['ledger', '--from', `s3://${BUCKET}`, '--month', '2026-11', '--format', 'csv'],
      {
        env: process.env,
      },
    );

    // Assert
    expect(run.code).toBe(0);
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.status === 'APPLIED' || row.status === 'FAILED')).toBe(true);
    expect(rows.filter((row) => row.status === 'APPLIED').every((row) => row.event_published === 'yes')).toBe(
      true,
    );
  });
});
