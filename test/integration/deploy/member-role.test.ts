import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const TEMPLATE = join(import.meta.dirname, '..', '..', '..', 'deploy', 'member-role.yaml');

type Json = Record<string, unknown>;
interface Statement {
  readonly Sid: string;
  readonly Effect: string;
  readonly Action: string[];
  readonly Resource: unknown;
  readonly Condition?: Json;
}

async function template() {
  const parsed = parse(await readFile(TEMPLATE, 'utf8')) as { Parameters: Json; Resources: Json };
  const role = parsed.Resources.MemberRole as { Type: string; Properties: Json };
  const policies = role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  return { parsed, role, statements: policies.flatMap((policy) => policy.PolicyDocument.Statement) };
}

// What the hub does in a member account (src/aws): read the fleet, confirm tags, switch running modes.
const READS = [
  'workspaces:DescribeWorkspaceDirectories',
  'workspaces:DescribeWorkspaces',
  'workspaces:DescribeTags',
  'workspaces:DescribeWorkspacesConnectionStatus',
  'tag:GetResources',
  'cloudwatch:GetMetricData',
];

describe('Deployment: the member-account role (deploy/member-role.yaml)', () => {
  it('grants exactly the reads and the one write the optimizer needs, no wildcard action', async () => {
    // Act
    const { statements } = await template();
    const allowed = statements.filter((statement) => statement.Effect === 'Allow');

    // Assert
    expect(allowed.flatMap((statement) => statement.Action).sort()).toEqual(
      [...READS, 'workspaces:ModifyWorkspaceProperties'].sort(),
    );
    expect(statements.flatMap((statement) => statement.Action).some((action) => action.includes('*'))).toBe(
      false,
    );
    const write = allowed.find((statement) =>
      statement.Action.includes('workspaces:ModifyWorkspaceProperties'),
    )!;
    expect(write.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:workspaces:*:${AWS::AccountId}:workspace/*',
    });
  });

  it('trusts only the hub optimizer role, and only with the external id', async () => {
    // Act
    const { role } = await template();
    const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] & Json[] }).Statement;

    // Assert
    expect(trust).toEqual([
      {
        Sid: 'OnlyTheHubOptimizer',
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'HubRoleArn' } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
      },
    ]);
  });

  it('denies switching a WorkSpace tagged Skip_Convert, whatever the value', async () => {
    // Act
    const { statements } = await template();
    const denies = statements.filter((statement) => statement.Effect === 'Deny');

    // Assert
    expect(denies.map((statement) => [statement.Action, statement.Condition])).toEqual([
      [['workspaces:ModifyWorkspaceProperties'], { Null: { 'aws:ResourceTag/Skip_Convert': 'false' } }],
      [['workspaces:ModifyWorkspaceProperties'], { StringLike: { 'aws:ResourceTag/Skip_Convert': '*' } }],
    ]);
  });

  it('grants TerminateWorkspaces and StopWorkspaces only with TerminateUnused=true (not by default), never for an exempt WorkSpace', async () => {
    // Act
    const { parsed } = await template();
    const policy = parsed.Resources.RemoveUnusedPolicy as {
      Condition: string;
      Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } };
    };
    const conditions = (parsed as unknown as { Conditions: Json }).Conditions;

    // Assert
    expect(parsed.Parameters.TerminateUnused).toMatchObject({ Default: 'false' });
    expect(policy.Condition).toBe('TerminatesUnused');
    expect(conditions.TerminatesUnused).toEqual({ 'Fn::Equals': [{ Ref: 'TerminateUnused' }, 'true'] });
    expect(policy.Properties.Roles).toEqual([{ Ref: 'MemberRole' }]);
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.map((statement) => [statement.Effect, statement.Action, statement.Condition])).toEqual([
      ['Allow', ['workspaces:TerminateWorkspaces', 'workspaces:StopWorkspaces'], undefined],
      [
        'Deny',
        ['workspaces:TerminateWorkspaces', 'workspaces:StopWorkspaces'],
        { Null: { 'aws:ResourceTag/Skip_Terminate': 'false' } },
      ],
      [
        'Deny',
        ['workspaces:TerminateWorkspaces', 'workspaces:StopWorkspaces'],
        { StringLike: { 'aws:ResourceTag/Skip_Terminate': '*' } },
      ],
      [
        'Deny',
        ['workspaces:TerminateWorkspaces', 'workspaces:StopWorkspaces'],
        { Null: { 'aws:ResourceTag/Skip_Convert': 'false' } },
      ],
    ]);
    for (const statement of statements)
      expect(statement.Resource).toEqual({
        'Fn::Sub': 'arn:${AWS::Partition}:workspaces:*:${AWS::AccountId}:workspace/*',
      });
  });

  it('keeps the external id out of sight and long enough to be a secret', async () => {
    // Act
    const { parsed } = await template();

    // Assert
    expect(parsed.Parameters.ExternalId).toMatchObject({ NoEcho: true, MinLength: 16 });
    expect(parsed.Parameters.RoleName).toMatchObject({ Default: 'wco-member' });
  });

  it('passes cfn-lint with no error', async () => {
    // Act: cfn-lint comes with the machine image's python3; CI fails here if it is missing.
    const lint = await run('cfn-lint', ['--format', 'parseable', TEMPLATE]).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code?: number | string; stdout?: string }) => ({
        code: error.code,
        stdout: error.stdout ?? '',
      }),
    );

    // Assert: exit codes 2 (errors) and ENOENT (not installed) fail; warnings (4) and infos (8) do not.
    expect(
      lint.code === 'ENOENT'
        ? 'cfn-lint is not installed'
        : lint.stdout.split('\n').filter((line) => /:E\d/.test(line)),
    ).toEqual([]);
  });
});
