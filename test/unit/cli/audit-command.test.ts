import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFolderStore } from '../../../src/store/local-folder-store.js';
import { runCli } from '../../helpers/cli.js';
import { writeSampleAudit } from '../../helpers/audit/audit-fixture-store.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wco-audit-'));
  await writeSampleAudit(new LocalFolderStore(folder));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function wcoAudit(args: readonly string[]) {
  const run = await runCli(['audit', ...args]);
  return { stdout: run.stdout, stderr: run.stderr, exitCode: run.code };
}

function json(stdout: string): Record<string, unknown>[] {
  return JSON.parse(stdout) as Record<string, unknown>[];
}

describe('Command: wco audit', () => {
  it("lists one WorkSpace's logins in a time range, newest first", async () => {
    // Act
    const result = await wcoAudit([
      '--out',
      folder,
      '--workspace',
      'ws-aaa1111',
      '--since',
      '2026-11-03',
      '--until',
      '2026-11-05',
      '--format',
      'json',
    ]);

    // Assert
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const records = json(result.stdout);
    expect(records.map((record) => [record.kind, record.workspaceId, record.loginTime])).toEqual([
      ['login', 'ws-aaa1111', '2026-11-05T09:00:00.000Z'],
      ['login', 'ws-aaa1111', '2026-11-04T09:00:00.000Z'],
      ['login', 'ws-aaa1111', '2026-11-03T09:00:00.000Z'],
    ]);
  });

  it('takes a time --until as exclusive', async () => {
    // Act
    const result = await wcoAudit([
      '--out',
      folder,
      '--workspace',
      'ws-bbb2222',
      '--since',
      '2026-11-03T14:00:20Z',
      '--until',
      '2026-11-04T14:00:20Z',
      '--format',
      'json',
    ]);

    // Assert
    expect(json(result.stdout).map((record) => record.time)).toEqual(['2026-11-03T14:00:20.000Z']);
  });

  it.each([
    { kind: 'conversion', expected: [['conversion', 'ws-abc12345']] },
    { kind: 'run', expected: [['run', null]] },
    {
      kind: 'run,conversion',
      expected: [
        ['conversion', 'ws-abc12345'],
        ['run', null],
      ],
    },
  ])('filters by --kind $kind', async ({ kind, expected }) => {
    // Act
    const result = await wcoAudit(['--out', folder, '--kind', kind, '--format', 'json']);

    // Assert
    expect(
      json(result.stdout)
        .map((record) => [record.kind, record.workspaceId])
        .sort(),
    ).toEqual(expected);
  });

  it('answers "who used the WorkSpace and when did wco change it" in one table', async () => {
    // Act
    const result = await wcoAudit(['--out', folder, '--since', '2026-11-01']);

    // Assert
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+KIND\s+WORKSPACE\s+DIRECTORY\s+ACCOUNT\s+REGION\s+DETAILS$/);
    expect(lines[1]).toContain(
      'run as of 2026-11-30T23:00:00.000Z: 3 WorkSpaces, 1 applied, 0 failed, month end',
    );
    expect(lines[2]).toMatch(
      /^2026-11-30T23:00:00Z\s+conversion\s+ws-abc12345\s+d-9067abcdef\s+.*ALWAYS_ON -> AUTO_STOP: 12 h billable, threshold 85 h \(UNDER_THRESHOLD_AT_MONTH_END\)$/,
    );
    expect(lines[3]).toMatch(
      /^2026-11-10T14:00:20Z\s+login\s+ws-bbb2222\s+d-9067bbbbbb\s+111122223333\s+us-east-1\s+login from \S+ with /,
    );
    // 10 days of Nov logins for each of the two WorkSpaces, the conversion and the run
    expect(lines).toHaveLength(1 + 20 + 2);
  });

  it('writes CSV with a header and one row per record', async () => {
    // Act
    const result = await wcoAudit(['--out', folder, '--kind', 'conversion', '--format', 'csv']);

    // Assert
    const [header, row, ...rest] = result.stdout.trimEnd().split('\r\n');
    expect(header).toBe(
      'time,kind,workspace_id,directory_id,account,region,event_id,login_time,client_ip_address,client_platform,client_product,client_version,from_mode,to_mode,billable_hours,threshold_hours,reason,as_of,dry_run,workspaces,applied,failed,attempt,error,removal_action,removal_outcome,months_unused',
    );
    expect(row).toMatch(
      /^2026-11-30T23:00:00.000Z,conversion,ws-abc12345,d-9067abcdef,111122223333,eu-west-1,[0-9a-f-]{36},,,,,,ALWAYS_ON,AUTO_STOP,12,85,UNDER_THRESHOLD_AT_MONTH_END,2026-11-30T23:00:00.000Z,,,,,,,,,$/,
    );
    expect(rest).toEqual([]);
  });

  it('skips an unreadable line, says where, and exits 1 with the rest printed', async () => {
    // Arrange
    const partition = join(folder, 'audit/kind=conversion/dt=2026-11-30');
    await mkdir(partition, { recursive: true });
    await writeFile(join(partition, 'broken.ndjson'), '{"kind":"conversion"}\nnot json\n');

    // Act
    const result = await wcoAudit(['--out', folder, '--kind', 'conversion', '--format', 'json']);

    // Assert
    expect(result.exitCode).toBe(1);
    expect(json(result.stdout)).toHaveLength(1);
    expect(result.stderr).toMatch(/broken\.ndjson line 1: .*\n.*broken\.ndjson line 2: not JSON/);
  });

  it.each([
    { args: ['--since', '2026-13-01'], message: /--since: .*ISO 8601/ },
    { args: ['--until', 'yesterday'], message: /--until: .*ISO 8601/ },
    { args: ['--since', '2026-11-05', '--until', '2026-11-01'], message: /--until: must be after --since/ },
    { args: ['--kind', 'logout'], message: /--kind: must be login, conversion, conversion_failed, run/ },
    { args: ['--format', 'xml'], message: /--format: must be table, csv, json/ },
    { args: ['--workspace', 'abc'], message: /--workspace: must be a WorkSpace id/ },
    { args: ['--from', 'https://bucket'], message: /--from: must be s3:\/\/BUCKET/ },
    { args: ['--from', 's3://bucket', '--out', '.'], message: /not both/ },
    { args: ['--out', '/nonexistent/wco-audit'], message: /--out: \/nonexistent\/wco-audit is not a folder/ },
  ])('refuses $args naming the option, with exit code 2', async ({ args, message }) => {
    // Act
    const result = await wcoAudit(
      args.includes('--out') || args.includes('--from') ? args : ['--out', folder, ...args],
    );

    // Assert
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});
