import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
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

const emulator = useEmulator(() => ({
  buckets: [BUCKET],
  regions: { 'us-east-1': { directories: [{ directoryId: 'd-cli' }], workspaces: heavy } },
}));

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
