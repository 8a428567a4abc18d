import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import type { MotoServer } from './moto-server.js';
import { startMoto } from './moto-server.js';
import type { MotoWorkspace } from './moto-fleet.js';
import { MOTO_REGION, motoObject, seedMoto } from './moto-fleet.js';

/**
 * wco's AWS path (the CLI, the real SDK, its adapters) against moto, an AWS
 * emulator nobody here wrote: directories, WorkSpaces, DescribeTags,
 * GetMetricData on PutMetricData's samples, S3 (conditional writes for the
 * ledger), EventBridge, STS. Where moto falls short, wco's graceful behaviour
 * is what is checked: the Tagging API answers an empty list for
 * `workspaces:workspace`, and ModifyWorkspaceProperties and
 * DescribeWorkspacesConnectionStatus are not implemented (HTTP 500 with an
 * HTML body). Not checked here, moto does not emulate it:
 * paging of DescribeWorkspaces and GetMetricData, wsd- directories (the
 * project's emulator covers those).
 */

const BUCKET = 'wco-moto-reports';
const ASOF = '2026-11-30T23:00:00Z';
const FLEET: MotoWorkspace[] = [
  {
    userName: 'alice',
    properties: {
      RunningMode: 'AUTO_STOP',
      RunningModeAutoStopTimeoutInMinutes: 60,
      ComputeTypeName: 'STANDARD',
    },
    tags: { CostCenter: 'cc-1' },
    connectedHours: 100,
  },
  {
    userName: 'bob',
    properties: { RunningMode: 'ALWAYS_ON', ComputeTypeName: 'POWER' },
    laterTags: { Skip_Convert: '', CostCenter: 'cc-2' },
    connectedHours: 20,
  },
  {
    userName: 'carol',
    properties: {
      RunningMode: 'AUTO_STOP',
      RunningModeAutoStopTimeoutInMinutes: 120,
      ComputeTypeName: 'PERFORMANCE',
    },
    connectedHours: 0,
  },
  {
    userName: 'dave',
    properties: { RunningMode: 'ALWAYS_ON', ComputeTypeName: 'VALUE' },
    connectedHours: 10,
  },
];

let moto: MotoServer;
let ids: Record<string, string>;
const saved = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  ({ ids } = await seedMoto(moto.endpoint, { workspaces: FLEET, asOf: new Date(ASOF), bucket: BUCKET }));
  // The SDK's default chain and endpoint override, as an operator would set them.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: MOTO_REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  });
  delete process.env.AWS_PROFILE;
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
});

const wco = (args: string[]) => runCli(args, { env: process.env });
const rowsOf = (csv: string | undefined) => parse(csv ?? '', { columns: true }) as Record<string, string>[];
const decisions = (rows: Record<string, string>[]) =>
  Object.fromEntries(rows.map((row) => [row.user_name, [row.action, row.reason, row.outcome]]));

describe('wco run against moto', () => {
  it('dry run: reads the fleet, decides both directions, keeps the exempt WorkSpace exempt though the Tagging API lists nothing, writes the reports to S3', async () => {
    // Act
    const run = await wco([
      'run',
      '--regions',
      MOTO_REGION,
      '--bucket',
      BUCKET,
      '--as-of',
      ASOF,
      '--verbose',
    ]);

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('WorkSpaces seen: 4 in 1 region(s): us-east-1');
    expect(run.stderr).toContain('reason=the Tagging API listed no WorkSpace');
    const rows = rowsOf(await motoObject(moto.endpoint, BUCKET, 'reports/daily/2026/11/30/aggregated.csv'));
    expect(decisions(rows)).toEqual({
      alice: ['TO_ALWAYS_ON', 'OVER_THRESHOLD', 'DRY_RUN'],
      bob: ['SKIP', 'EXEMPT_TAG', 'NONE'],
      carol: ['NONE', expect.any(String), 'NONE'],
      dave: ['TO_AUTO_STOP', 'UNDER_THRESHOLD_AT_MONTH_END', 'DRY_RUN'],
    });
    const byUser = Object.fromEntries(rows.map((row) => [row.user_name, row]));
    expect(byUser.alice).toMatchObject({
      account: '123456789012',
      workspace_id: ids.alice,
      billable_hours: '101',
    });
    expect(byUser.bob!.tags).toBe('{"CostCenter":"cc-2","Skip_Convert":""}');
    expect(byUser.carol).toMatchObject({ billable_hours: '0', autostop_timeout_minutes: '120' });
    expect(byUser.dave).toMatchObject({ billable_hours: '11' });
    expect(await motoObject(moto.endpoint, BUCKET, 'reports/monthly/2026-11/summary.html')).toContain(
      '<html',
    );
    const summary = JSON.parse(
      (await motoObject(moto.endpoint, BUCKET, 'reports/daily/2026/11/30/run-summary.json'))!,
    );
    expect(summary).toMatchObject({ exitCode: 0, workspaces: 4, writeFailures: [] });
  });

  it('apply: ModifyWorkspaceProperties, which moto lacks, leaves each conversion FAILED with the error; the run completes, records it in the ledger and exits 1', async () => {
    // Act
    const run = await wco(['run', '--regions', MOTO_REGION, '--bucket', BUCKET, '--as-of', ASOF, '--apply']);

    // Assert
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Needs attention: 2');
    expect(run.stdout).not.toContain('WRITE FAILURES');
    const rows = rowsOf(await motoObject(moto.endpoint, BUCKET, 'reports/daily/2026/11/30/aggregated.csv'));
    expect(decisions(rows)).toMatchObject({
      alice: ['TO_ALWAYS_ON', 'OVER_THRESHOLD', 'FAILED'],
      bob: ['SKIP', 'EXEMPT_TAG', 'NONE'],
      dave: ['TO_AUTO_STOP', 'UNDER_THRESHOLD_AT_MONTH_END', 'FAILED'],
    });
    // By user: the rows are in WorkSpace id order, and moto makes new ids every start.
    expect(
      Object.fromEntries(
        rows.filter((row) => row.outcome === 'FAILED').map((row) => [row.user_name, row.new_running_mode]),
      ),
    ).toEqual({ alice: 'AUTO_STOP', dave: 'ALWAYS_ON' });
    for (const id of [ids.alice, ids.dave])
      expect(run.stdout).toMatch(new RegExp(`FAILED +${id} \\(us-east-1\\): .+`));

    // The ledger (S3 conditional writes) holds both failures, for `wco ledger`.
    const ledger = await wco(['ledger', '--from', `s3://${BUCKET}`, '--month', '2026-11', '--format', 'csv']);
    expect(ledger.code).toBe(0);
    expect(
      rowsOf(ledger.stdout)
        .map((row) => [row.workspace_id, row.status])
        .sort(),
    ).toEqual(
      [
        [ids.alice, 'FAILED'],
        [ids.dave, 'FAILED'],
      ].sort(),
    );
  });

  it('--terminate-unused: DescribeWorkspacesConnectionStatus, which moto lacks, leaves the use unknown, and nothing is removed', async () => {
    // Act: carol connected nothing this month, so wco asks when she last did
    const run = await wco([
      'run',
      '--regions',
      MOTO_REGION,
      '--bucket',
      BUCKET,
      '--as-of',
      ASOF,
      '--apply',
      '--terminate-unused',
    ]);

    // Assert: unknown is never unused
    expect(run.stdout).toMatch(/^Unused for 2\+ months: 0; use unknown: 1/m);
    expect(run.stdout).not.toContain('REMOVED');
    const unused = rowsOf(await motoObject(moto.endpoint, BUCKET, 'reports/monthly/2026-11/unused.csv'));
    expect(unused.map((row) => [row.user_name, row.use, row.verdict, row.removal_outcome])).toEqual([
      ['carol', 'UNKNOWN', 'USE_UNKNOWN', 'NONE'],
    ]);
  });

  it('wco report rebuilds the month from the bucket', async () => {
    const run = await wco(['report', '--month', '2026-11', '--from', `s3://${BUCKET}`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('4 WorkSpaces');
    expect(run.stdout).toContain(`wrote s3://${BUCKET}/reports/monthly/2026-11/summary.csv`);
  });
});

describe('The moto suite without moto', () => {
  it('fails loudly instead of passing without its checks', async () => {
    await expect(startMoto(['python3', '-m', 'wco_no_such_module'])).rejects.toThrow(/^MOTO IS MISSING: /);
  });
});
