import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import aslValidator from 'asl-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/emulator.js';
import { offlineEnv, render } from './template-helpers.js';
import { OPTIMIZER_EVENT_SOURCE, OptimizerDetailType } from '../../../src/ports/event-sink.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
const TEMPLATE = join(ROOT, '.serverless', 'cloudformation-template-update-stack.json');
const ZIP = join(ROOT, '.serverless', 'optimize.zip');

type Json = Record<string, unknown>;
interface Resource {
  readonly Type: string;
  readonly Properties: Json;
  readonly Condition?: string;
}
interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Sid?: string;
  readonly Condition?: Json;
}

/** `osls print --stage prod` with `params`: one part of the resolved configuration, as JSON. */
const printWith =
  (...params: string[]) =>
  async (path: string): Promise<unknown> =>
    JSON.parse(
      (
        await run(
          join(ROOT, 'node_modules', '.bin', 'osls'),
          ['print', '--stage', 'prod', ...params, '--format', 'json', '--path', path],
          { cwd: ROOT, env: offlineEnv(), timeout: 120_000 },
        )
      ).stdout,
    ) as unknown;

/** Evaluates a template condition (Fn::Not, Fn::Or, Fn::Equals on rendered values, a named condition). */
function holds(condition: unknown, conditions: Record<string, unknown> = {}): boolean {
  const node = condition as Json;
  if ('Fn::Not' in node) return !holds((node['Fn::Not'] as unknown[])[0], conditions);
  if ('Fn::Or' in node) return (node['Fn::Or'] as unknown[]).some((one) => holds(one, conditions));
  if ('Condition' in node) return holds(conditions[node.Condition as string], conditions);
  if ('Fn::Equals' in node) {
    const [left, right] = node['Fn::Equals'] as [unknown, unknown];
    return render(left) === render(right);
  }
  throw new Error(`cannot evaluate ${JSON.stringify(condition)}`);
}

/** A value with its Fn::If resolved by the template's conditions as packaged. */
function resolvedIn(conditions: Record<string, unknown>, value: unknown): unknown {
  const node = value as Json;
  if (node !== null && typeof node === 'object' && 'Fn::If' in node) {
    const [name, then, otherwise] = node['Fn::If'] as [string, unknown, unknown];
    return resolvedIn(conditions, holds(conditions[name]) ? then : otherwise);
  }
  return value;
}

const policyStatements = (resource: Resource): Statement[] =>
  resource.Type === 'AWS::IAM::Role'
    ? (resource.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        (policy) => policy.PolicyDocument.Statement,
      )
    : (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement;

const resourcesOf = (statement: Statement) =>
  (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map(render);
const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

// AWS offers no resource-level permission for these read-only actions, so they alone may use "*".
const UNSCOPABLE_READS = [
  'workspaces:DescribeWorkspaceDirectories',
  'workspaces:DescribeWorkspaces',
  'workspaces:DescribeTags',
  'workspaces:DescribeWorkspacesConnectionStatus',
  'tag:GetResources',
  'cloudwatch:GetMetricData',
  'pricing:GetProducts',
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
];

/** `cfn-lint` 1.x, the entry point (`python3 -m cfnlint` does not run). */
const CFN_LINT = 'cfn-lint';
/**
 * Warnings of the packaged template, each explained in docs/deployment.md: W3005, a DependsOn osls
 * adds itself; W1032 and W8003, the disabled price-file policy and its condition resolved at package time.
 */
const EXPLAINED_CFN_LINT_WARNINGS = ['W3005', 'W1032', 'W8003'];

describe('Deployment: serverless.yml packaged by osls', () => {
  let template: { Resources: Record<string, Resource>; Conditions?: Record<string, unknown> };
  let resources: Record<string, Resource>;
  let statements: Statement[];
  let unpacked: string;

  beforeAll(async () => {
    await rm(join(ROOT, '.serverless'), { recursive: true, force: true });
    await run('npm', ['run', 'package', '--silent'], { cwd: ROOT, env: offlineEnv(), timeout: 300_000 });
    template = JSON.parse(await readFile(TEMPLATE, 'utf8'));
    resources = template.Resources;
    // Every grant: the roles' inline policies and the stand-alone policies (conditional or not).
    statements = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Role' || resource.Type === 'AWS::IAM::Policy')
      .flatMap(policyStatements);
    unpacked = await mkdtemp(join(tmpdir(), 'wco-bundle-'));
    await run('unzip', ['-q', ZIP, '-d', unpacked]);
  }, 300_000);

  afterAll(async () => {
    if (unpacked) await rm(unpacked, { recursive: true, force: true });
  });

  const only = (type: string, where: (resource: Resource) => boolean = () => true) => {
    const matching = Object.entries(resources).filter(
      ([, resource]) => resource.Type === type && where(resource),
    );
    expect(matching).toHaveLength(1);
    return matching[0]![1];
  };
  const reportBucket = () => resources.ReportBucket!;
  const resolved = (value: unknown) => resolvedIn(template.Conditions ?? {}, value);

  describe('cfn-lint', () => {
    it('finds no error in the packaged templates, and only the warnings docs/deployment.md explains', async () => {
      // Act: errors fail the command; warnings are listed (parseable: file:line:col:line:col:RULE:message)
      const templates = [TEMPLATE, join(ROOT, '.serverless', 'cloudformation-template-create-stack.json')];
      let output: string;
      try {
        output = (
          await run(CFN_LINT, ['--non-zero-exit-code', 'error', '--format', 'parseable', '--', ...templates])
        ).stdout;
      } catch (error) {
        const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
        if (failure.code === 'ENOENT')
          throw new Error(
            `CFN-LINT IS MISSING: \`${CFN_LINT}\` is not on the PATH (the machine image's pyenv python3 has it: pip install cfn-lint)`,
          );
        throw new Error(`cfn-lint found errors:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`);
      }

      // Assert
      const rules = output
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => line.split(':')[5]);
      expect(new Set(rules)).toEqual(new Set(EXPLAINED_CFN_LINT_WARNINGS));
    });
  });

  describe('IAM', () => {
    it('grants exact actions only, never a wildcard', () => {
      // Assert
      const actions = statements.flatMap(actionsOf);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    });

    it('grants every action the optimizer calls', () => {
      // Assert
      expect(statements.flatMap(actionsOf)).toEqual(
        expect.arrayContaining([
          ...UNSCOPABLE_READS,
          'workspaces:ModifyWorkspaceProperties',
          's3:PutObject',
          's3:GetObject',
          's3:ListBucket',
          'events:PutEvents',
        ]),
      );
    });

    it('uses Resource "*" only for reads AWS cannot scope', () => {
      // Assert
      const unscoped = statements
        .filter((statement) => resourcesOf(statement).includes('*'))
        .flatMap(actionsOf);
      expect(unscoped.filter((action) => !UNSCOPABLE_READS.includes(action))).toEqual([]);
    });

    it.each([
      // The optimizer writes reports/ and its Price List cache; the audit function, with its own role, audit/.
      // The sharded deployment's steps write their run records, its state machine the map's results, under runs/.
      [
        's3:PutObject',
        [
          '${ReportBucket.Arn}/audit/*',
          '${ReportBucket.Arn}/ledger/*',
          '${ReportBucket.Arn}/pricing/cache/*',
          '${ReportBucket.Arn}/reports/*',
          '${ReportBucket.Arn}/runs/*',
          '${ReportBucket.Arn}/runs/map-results/*',
        ],
      ],
      // A failed multipart upload is aborted: a large report by the optimizer, the map's results by Step Functions.
      [
        's3:AbortMultipartUpload',
        ['${ReportBucket.Arn}/reports/*', '${ReportBucket.Arn}/runs/map-results/*'],
      ],
      [
        'lambda:InvokeFunction',
        ['${MergeLambdaFunction.Arn}', '${PlanLambdaFunction.Arn}', '${ShardLambdaFunction.Arn}'],
      ],
      [
        'states:StartExecution',
        [
          '${ShardedRunStateMachine}',
          'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:wco-dev-sharded-run',
        ],
      ],
      [
        'states:StopExecution',
        ['arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:wco-dev-sharded-run/*'],
      ],
      // Only an outbox marker is ever removed (docs/ledger.md).
      ['s3:DeleteObject', ['${ReportBucket.Arn}/ledger/outbox/*']],
      ['sns:Publish', ['${OperatorTopic}']],
      [
        'events:PutEvents',
        ['arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default'],
      ],
      [
        'workspaces:ModifyWorkspaceProperties',
        ['arn:${AWS::Partition}:workspaces:*:${AWS::AccountId}:workspace/*'],
      ],
    ])('scopes the write %s', (action, expected) => {
      // Act
      const granting = statements.filter((statement) => actionsOf(statement).includes(action));

      // Assert
      expect(granting.flatMap(resourcesOf).sort()).toEqual(expected);
    });

    it('lets the optimizer read back only its reports, its ledger, its Price List cache and its run records', () => {
      // Act
      const role = policyStatements(resources.IamRoleLambdaExecution!);
      const reads = role.filter((statement) => actionsOf(statement).includes('s3:GetObject'));

      // Assert: the monthly summary reads reports/, the ledger its entries, the Price List catalog its cache.
      expect(reads.flatMap(resourcesOf).sort()).toEqual([
        '${ReportBucket.Arn}/ledger/*',
        '${ReportBucket.Arn}/pricing/cache/*',
        '${ReportBucket.Arn}/reports/*',
        '${ReportBucket.Arn}/runs/*',
      ]);
    });

    it('lists the report bucket only under the prefixes the monthly summary, the price cache and the ledger list', () => {
      // Act
      const listing = statements.filter((statement) => actionsOf(statement).includes('s3:ListBucket'));

      // Assert
      expect(listing).toHaveLength(1);
      expect(actionsOf(listing[0]!)).toEqual(['s3:ListBucket']);
      expect(resourcesOf(listing[0]!)).toEqual(['${ReportBucket.Arn}']);
      // reports/daily/YYYY/MM/ (loadMonthReports), pricing/cache/YYYY-MM/ (PriceListCatalog), ledger/ (ConversionLedger),
      // runs/<id>/outcomes/ (the sharded run's merge).
      expect(listing[0]!.Condition).toEqual({
        StringLike: {
          's3:prefix': ['reports/daily/*', 'reports/monthly/*', 'pricing/cache/*', 'ledger/*', 'runs/*'],
        },
      });
    });

    it('never grants a read outside reports/, ledger/, runs/, the Price List cache and the price file', () => {
      // Act
      const reads = Object.entries(resources)
        .filter(
          ([name, resource]) => name !== 'ReadPriceFilePolicy' && resource.Type.startsWith('AWS::IAM::'),
        )
        .flatMap(([, resource]) => policyStatements(resource))
        .filter((statement) => actionsOf(statement).some((action) => /^s3:(Get|List)/.test(action)));

      // Assert
      expect(reads.flatMap(resourcesOf).sort()).toEqual([
        '${ReportBucket.Arn}',
        '${ReportBucket.Arn}/ledger/*',
        '${ReportBucket.Arn}/pricing/cache/*',
        '${ReportBucket.Arn}/reports/*',
        '${ReportBucket.Arn}/runs/*',
        // The state machine reads its shard list (the Distributed Map's items) and the parts of its own results.
        '${ReportBucket.Arn}/runs/*',
        '${ReportBucket.Arn}/runs/map-results/*',
      ]);
    });

    it('creates the price file grant only when priceFile is set (not by default)', () => {
      // Act
      const policy = resources.ReadPriceFilePolicy!;

      // Assert
      expect(policy.Type).toBe('AWS::IAM::Policy');
      expect(policy.Condition).toBe('HasPriceFile');
      expect(holds(template.Conditions!.HasPriceFile)).toBe(false);
      expect(policy.Properties.Roles).toEqual([{ Ref: 'IamRoleLambdaExecution' }]);
      expect(policyStatements(policy).map(actionsOf)).toEqual([['s3:GetObject']]);
    });

    it('lets the optimizer terminate or stop WorkSpaces only when terminateUnused is set (not by default), never an exempt one', () => {
      // Act
      const policy = resources.RemoveUnusedPolicy!;
      const removing = statements.filter((statement) =>
        actionsOf(statement).some((action) => action === 'workspaces:TerminateWorkspaces'),
      );

      // Assert: only in this conditional policy, on this account's WorkSpaces, with the exemption denies
      expect(policy.Condition).toBe('TerminatesUnused');
      expect(holds(template.Conditions!.TerminatesUnused, template.Conditions)).toBe(false);
      expect(policy.Properties.Roles).toEqual([{ Ref: 'IamRoleLambdaExecution' }]);
      expect(removing.every((statement) => policyStatements(policy).includes(statement))).toBe(true);
      expect(
        policyStatements(policy).map((statement) => [
          statement.Effect,
          statement.Sid,
          resourcesOf(statement),
        ]),
      ).toEqual([
        [
          'Allow',
          'RemoveUnusedWorkSpaces',
          ['arn:${AWS::Partition}:workspaces:*:${AWS::AccountId}:workspace/*'],
        ],
        [
          'Deny',
          'NeverRemoveSkipTerminate',
          ['arn:${AWS::Partition}:workspaces:*:${AWS::AccountId}:workspace/*'],
        ],
        [
          'Deny',
          'NeverRemoveSkipConvert',
          ['arn:${AWS::Partition}:workspaces:*:${AWS::AccountId}:workspace/*'],
        ],
      ]);
    });

    it("sends the unused review's listings and removals to the operators' topic, which admits only that rule", () => {
      // Act
      const rule = resources.UnusedNoticesRule!;
      const topicPolicy = policyStatements(resources.OperatorTopicPolicy!);

      // Assert: the detail types the optimizer publishes (src/ports/event-sink.ts)
      expect(rule.Properties.EventPattern).toEqual({
        source: [OPTIMIZER_EVENT_SOURCE],
        'detail-type': [
          OptimizerDetailType.UNUSED_LISTED,
          OptimizerDetailType.UNUSED_REMOVED,
          OptimizerDetailType.UNUSED_REMOVAL_FAILED,
        ],
      });
      expect(rule.Properties.Targets).toEqual([{ Id: 'operator-topic', Arn: { Ref: 'OperatorTopic' } }]);
      expect(topicPolicy.find((statement) => statement.Sid === 'UnusedNoticesPublish')?.Condition).toEqual({
        ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['UnusedNoticesRule', 'Arn'] } },
      });
    });

    it('lets the optimizer assume the member role, by its name, only when it has member accounts', () => {
      // Act
      const policy = resources.AssumeMemberRolePolicy!;
      const granting = statements.filter((statement) => actionsOf(statement).includes('sts:AssumeRole'));

      // Assert: the Lambda service assumes the roles; the optimizer only the member role.
      expect(policy.Condition).toBe('HasMemberAccounts');
      expect(holds(template.Conditions!.HasMemberAccounts, template.Conditions)).toBe(false);
      expect(policy.Properties.Roles).toEqual([{ Ref: 'IamRoleLambdaExecution' }]);
      expect(policyStatements(policy).map(actionsOf)).toEqual([['sts:AssumeRole']]);
      expect(granting.flatMap(resourcesOf)).toEqual(['arn:${AWS::Partition}:iam::*:role/wco-member']);
    });

    it('lets the optimizer list the organization only when it discovers accounts', () => {
      // Act
      const policy = resources.ListOrganizationAccountsPolicy!;

      // Assert
      expect(policy.Condition).toBe('DiscoversAccounts');
      expect(holds(template.Conditions!.DiscoversAccounts, template.Conditions)).toBe(false);
      expect(policyStatements(policy).map(actionsOf)).toEqual([
        ['organizations:ListAccounts', 'organizations:ListAccountsForParent'],
      ]);
      expect(
        statements.flatMap(actionsOf).filter((action) => action.startsWith('organizations:')),
      ).toHaveLength(2);
    });

    it("outputs the optimizer's role, which member roles trust", () => {
      // Act
      const outputs = (template as unknown as { Outputs: Record<string, { Value: unknown }> }).Outputs;

      // Assert
      expect(outputs.OptimizerRoleArn!.Value).toEqual({ 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] });
    });

    it('does not grant sts:GetCallerIdentity: the account comes from the event', () => {
      // Assert
      expect(statements.flatMap(actionsOf)).not.toContain('sts:GetCallerIdentity');
    });
  });

  describe('schedule', () => {
    it('runs the optimizer daily at 23:00 UTC by default', () => {
      // Act
      // The audit stream's rules match events; this is the one schedule.
      const rule = only('AWS::Events::Rule', (resource) => 'ScheduleExpression' in resource.Properties);

      // Assert
      expect(resolved(rule.Properties.ScheduleExpression)).toBe('cron(0 23 * * ? *)');
      expect(resolved(rule.Properties.State)).toBe('ENABLED');
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ Arn: { 'Fn::GetAtt': ['OptimizeLambdaFunction', 'Arn'] } }),
      ]);
    });
  });

  describe('Lambda function', () => {
    it('runs the bundled handler on Node 20+ arm64 with 15 minutes and 1 GiB', () => {
      // Act
      const lambda = resources.OptimizeLambdaFunction!.Properties;

      // Assert
      expect(Number(/^nodejs(\d+)\.x$/.exec(String(lambda.Runtime))?.[1])).toBeGreaterThanOrEqual(20);
      expect(lambda).toMatchObject({
        Handler: 'src/handlers/optimize.handler',
        Architectures: ['arm64'],
        Timeout: 900,
        MemorySize: 1024,
      });
    });

    it('is in dry run by default and writes to the report bucket', () => {
      // Act
      const variables = (resources.OptimizeLambdaFunction!.Properties.Environment as { Variables: Json })
        .Variables;

      // Assert
      expect(variables).toMatchObject({
        DRY_RUN: 'true',
        REPORT_BUCKET: { Ref: 'ReportBucket' },
        DEFAULT_THRESHOLD: '82',
        ASSUMED_TIMEOUT_MINUTES: '60',
        FORCE_END_OF_MONTH: 'false',
        EVENT_BUS_NAME: 'default',
        PRICE_FILE: '',
        PRICE_LIST: 'false',
        TAG_COLUMNS: '',
      });
    });

    it('keeps its logs for a bounded time', () => {
      // Assert
      expect(resources.OptimizeLogGroup!.Properties.RetentionInDays).toBe(90);
    });
  });

  describe('report bucket', () => {
    it('is encrypted at rest', () => {
      // Act
      const rules = (
        reportBucket().Properties.BucketEncryption as { ServerSideEncryptionConfiguration: Json[] }
      ).ServerSideEncryptionConfiguration;

      // Assert
      expect(rules).toEqual([
        { ServerSideEncryptionByDefault: { SSEAlgorithm: expect.stringMatching(/^(AES256|aws:kms)$/) } },
      ]);
    });

    it('blocks every kind of public access and disables ACLs', () => {
      // Assert
      expect(reportBucket().Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(reportBucket().Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
    });

    it('is versioned, and old report versions expire', () => {
      // Act
      const { Rules } = reportBucket().Properties.LifecycleConfiguration as { Rules: Json[] };

      // Assert
      expect(reportBucket().Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(Rules).toContainEqual(
        expect.objectContaining({
          Status: 'Enabled',
          Prefix: 'reports/',
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          ExpirationInDays: 730,
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
        }),
      );
    });

    it('expires the Price List cache, which is read only during its month', () => {
      // Act
      const { Rules } = reportBucket().Properties.LifecycleConfiguration as { Rules: Json[] };

      // Assert
      expect(Rules).toContainEqual(
        expect.objectContaining({ Status: 'Enabled', Prefix: 'pricing/cache/', ExpirationInDays: 90 }),
      );
    });

    it('refuses any request not made over TLS', () => {
      // Act
      const policies = Object.values(resources).filter(
        (resource) =>
          resource.Type === 'AWS::S3::BucketPolicy' &&
          JSON.stringify(resource.Properties.Bucket) === JSON.stringify({ Ref: 'ReportBucket' }),
      );
      const statement = (policies[0]?.Properties.PolicyDocument as { Statement: Json[] }).Statement.find(
        (s) => s.Effect === 'Deny',
      ) as unknown as Statement & { Condition: Json; Principal: unknown };

      // Assert
      expect(policies).toHaveLength(1);
      expect(statement.Principal).toBe('*');
      expect(statement.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
      expect(resourcesOf(statement).sort()).toEqual(['${ReportBucket.Arn}', '${ReportBucket.Arn}/*']);
    });
  });

  describe('operations (runs that can be repeated)', () => {
    it('never runs two optimizer invocations at once, and keeps the retries of Lambda', () => {
      // Act
      const lambda = resources.OptimizeLambdaFunction!.Properties;
      const invokeConfig = Object.values(resources).find(
        (resource) => resource.Type === 'AWS::Lambda::EventInvokeConfig',
      )!.Properties;

      // Assert
      expect(lambda.ReservedConcurrentExecutions).toBe(1);
      expect(invokeConfig).toMatchObject({
        FunctionName: { Ref: 'OptimizeLambdaFunction' },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { Ref: 'OperatorTopic' } } },
      });
    });

    it('sends every alarm to the operators topic', () => {
      // Act
      const alarms = Object.entries(resources).filter(
        ([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm',
      );

      // Assert
      expect(alarms.map(([name]) => name).sort()).toEqual([
        'AuditDeadLetterAlarm',
        'FleetProblemsAlarm',
        'OptimizerErrorsAlarm',
        'ShardedRunFailedAlarm',
        'UnevaluatedShareAlarm',
      ]);
      for (const [, alarm] of alarms)
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'OperatorTopic' }]);
    });

    it('alarms on invocation errors of the optimizer', () => {
      // Assert
      expect(resources.OptimizerErrorsAlarm!.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'OptimizeLambdaFunction' } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });

    it('alarms when more than the configured share of the fleet could not be evaluated', () => {
      // Act
      const alarm = resources.UnevaluatedShareAlarm!.Properties;
      const metrics = alarm.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: Json } }[];

      // Assert: the metric names the handler emits (run-metrics.ts), divided as a percentage.
      expect(alarm.Threshold).toBe(5);
      expect(metrics.map((metric) => metric.MetricStat?.Metric.MetricName ?? metric.Expression)).toEqual([
        'WorkSpacesWithProblems',
        'WorkSpacesEvaluated',
        'IF(evaluated > 0, 100 * problems / evaluated, 0)',
      ]);
    });

    it('subscribes an e-mail address only when alarmEmail is set', () => {
      // Assert
      expect(resources.OperatorEmailSubscription!.Condition).toBe('HasAlarmEmail');
      expect(holds(template.Conditions!.HasAlarmEmail)).toBe(false);
    });

    it('keeps the audit trail and the ledger for a bounded time, old versions too', () => {
      // Act
      const rules = (
        resources.ReportBucket!.Properties.LifecycleConfiguration as {
          Rules: {
            Id: string;
            Prefix?: string;
            ExpirationInDays?: number;
            NoncurrentVersionExpiration?: Json;
          }[];
        }
      ).Rules;

      // Assert
      expect(rules.filter((rule) => rule.Prefix === 'audit/' || rule.Prefix === 'ledger/')).toEqual([
        expect.objectContaining({
          Prefix: 'audit/',
          ExpirationInDays: 1095,
          NoncurrentVersionExpiration: { NoncurrentDays: 90 },
        }),
        expect.objectContaining({
          Prefix: 'ledger/',
          ExpirationInDays: 1095,
          NoncurrentVersionExpiration: { NoncurrentDays: 90 },
        }),
      ]);
    });
  });

  describe('sharded deployment (deployment=sharded)', () => {
    const machine = () => resources.ShardedRunStateMachine!;
    type State = Json & { Type: string; Next?: string; End?: boolean };
    const definition = () =>
      machine().Properties.Definition as { StartAt: string; States: Record<string, State> };
    const sharded = (value: unknown) =>
      resolvedIn({ ...template.Conditions, Sharded: { 'Fn::Equals': ['sharded', 'sharded'] } }, value);

    it('is a state machine plan -> Distributed Map of shard tasks -> merge, created only when chosen', () => {
      // Act
      const { StartAt, States } = definition();
      const map = States.Shards as State & Record<string, Json>;

      // Assert
      expect(machine()).toMatchObject({ Type: 'AWS::StepFunctions::StateMachine', Condition: 'Sharded' });
      expect(holds(template.Conditions!.Sharded)).toBe(false);
      expect([StartAt, States.Plan!.Next, map.Next, States.Merge!.End]).toEqual([
        'Plan',
        'Shards',
        'Merge',
        true,
      ]);
      expect(map.ItemProcessor).toMatchObject({ ProcessorConfig: { Mode: 'DISTRIBUTED' } });
      expect(map.ItemReader).toMatchObject({
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSONL' },
        Parameters: { Bucket: '${ReportBucket}', 'Key.$': '$.plan.shardsKey' },
      });
      // One failed shard never fails the others; the merge reports it.
      expect(map.ToleratedFailurePercentage).toBe(100);
      expect(map.MaxConcurrencyPath).toBe('$.plan.shardTaskConcurrency');
    });

    it('retries a shard task twice on any failure, after the Lambda service retries', () => {
      // Act
      const task = (definition().States.Shards!.ItemProcessor as { States: Record<string, State> }).States
        .Shard!;

      // Assert
      expect(task.Retry).toEqual([
        expect.objectContaining({ ErrorEquals: expect.arrayContaining(['Lambda.ServiceException']) }),
        expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }),
      ]);
    });

    it('passes the Amazon States Language checks (asl-validator), every placeholder substituted', () => {
      // Act
      const validation = aslValidator(definition());
      const placeholders = [...JSON.stringify(definition()).matchAll(/\$\{(\w+)\}/g)].map(
        (match) => match[1],
      );

      // Assert
      expect(validation.errorsText('; ')).toBe('');
      expect(validation.isValid).toBe(true);
      expect(new Set(placeholders)).toEqual(
        new Set(Object.keys(machine().Properties.DefinitionSubstitutions as Json)),
      );
      expect(machine().Properties.DefinitionSubstitutions).toEqual({
        PlanFunctionArn: { 'Fn::GetAtt': ['PlanLambdaFunction', 'Arn'] },
        ShardFunctionArn: { 'Fn::GetAtt': ['ShardLambdaFunction', 'Arn'] },
        MergeFunctionArn: { 'Fn::GetAtt': ['MergeLambdaFunction', 'Arn'] },
        ReportBucket: { Ref: 'ReportBucket' },
      });
    });

    it('has a validator that rejects a broken definition (a dangling Next, a bad processor mode)', () => {
      // Arrange
      const broken = structuredClone(definition());
      broken.States.Plan!.Next = 'Nowhere';
      const badMode = structuredClone(definition());
      (badMode.States.Shards!.ItemProcessor as Json).ProcessorConfig = { Mode: 'SOMETIMES' };

      // Act / Assert
      expect(aslValidator(broken).isValid).toBe(false);
      expect(aslValidator(badMode).isValid).toBe(false);
    });

    it('gives the state machine and its schedule roles of their own, assumed only by their services', () => {
      // Act
      const principal = (name: string) =>
        (resources[name]!.Properties.AssumeRolePolicyDocument as { Statement: Json[] }).Statement.map(
          (statement) => statement.Principal,
        );
      const actions = (name: string) => policyStatements(resources[name]!).flatMap(actionsOf).sort();

      // Assert
      expect(machine().Properties.RoleArn).toEqual({ 'Fn::GetAtt': ['ShardedRunRole', 'Arn'] });
      expect(principal('ShardedRunRole')).toEqual([{ Service: 'states.amazonaws.com' }]);
      expect(principal('ShardedRunScheduleRole')).toEqual([{ Service: 'scheduler.amazonaws.com' }]);
      expect(actions('ShardedRunRole')).toEqual([
        'lambda:InvokeFunction',
        's3:AbortMultipartUpload',
        's3:GetObject',
        's3:ListMultipartUploadParts',
        's3:PutObject',
        'states:DescribeExecution',
        'states:StartExecution',
        'states:StopExecution',
      ]);
      expect(actions('ShardedRunScheduleRole')).toEqual(['states:StartExecution']);
      expect(resources.ShardedRunRole!.Condition).toBe('Sharded');
      expect(resources.ShardedRunScheduleRole!.Condition).toBe('Sharded');
    });

    it('is started by EventBridge Scheduler on the schedule, with T as its input, and disables the single schedule', () => {
      // Act
      const schedule = resources.ShardedRunSchedule!;
      const rule = resources.OptimizeEventsRuleSchedule1!;

      // Assert
      expect(schedule).toMatchObject({ Type: 'AWS::Scheduler::Schedule', Condition: 'Sharded' });
      expect(resolved(schedule.Properties.ScheduleExpression)).toBe('cron(0 23 * * ? *)');
      expect(schedule.Properties.Target).toMatchObject({
        Arn: { Ref: 'ShardedRunStateMachine' },
        RoleArn: { 'Fn::GetAtt': ['ShardedRunScheduleRole', 'Arn'] },
        Input: { 'Fn::Sub': '{"time": "<aws.scheduler.scheduled-time>", "account": "${AWS::AccountId}"}' },
      });
      expect(sharded(rule.Properties.State)).toBe('DISABLED');
      expect(resolved(rule.Properties.State)).toBe('ENABLED');
    });

    it('alarms when a sharded run fails', () => {
      // Assert
      expect(resources.ShardedRunFailedAlarm).toMatchObject({
        Condition: 'Sharded',
        Properties: {
          Namespace: 'AWS/States',
          MetricName: 'ExecutionsFailed',
          Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: 'ShardedRunStateMachine' } }],
        },
      });
    });

    it('deploys the three steps with the optimizer environment and role, and keeps their records a week', () => {
      // Act
      const lifecycle = (reportBucket().Properties.LifecycleConfiguration as { Rules: Json[] }).Rules;

      // Assert: the merge reviews unused WorkSpaces with the single function's permissions (RemoveUnusedPolicy too).
      for (const name of ['PlanLambdaFunction', 'ShardLambdaFunction', 'MergeLambdaFunction']) {
        expect(resources[name]!.Properties.Environment).toEqual(
          resources.OptimizeLambdaFunction!.Properties.Environment,
        );
        expect(resources[name]!.Properties.Role).toEqual({ 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] });
      }
      expect(resources.ShardLambdaFunction!.Properties.Timeout).toBe(900);
      expect(lifecycle).toContainEqual(
        expect.objectContaining({ Id: 'RunRecordsAgeOut', Prefix: 'runs/', ExpirationInDays: 7 }),
      );
    });

    it.skipIf(!hasCfnLint())(
      'lints with no error (cfn-lint)',
      async () => {
        // Act
        const lint = await run(
          'cfn-lint',
          ['--non-zero-exit-code', 'error', '--format', 'parseable', TEMPLATE],
          {
            cwd: ROOT,
          },
        ).then(
          () => ({ code: 0, stdout: '' }),
          (error: { code: number; stdout: string }) => error,
        );

        // Assert
        expect(lint.stdout).not.toMatch(/:E\d{4}:/);
        expect(lint.code).toBe(0);
      },
      300_000,
    );
  });

  describe('artifact', () => {
    it('is a zip holding the bundled ESM handler', async () => {
      // Assert
      expect((await stat(ZIP)).size).toBeGreaterThan(0);
      expect((await stat(join(unpacked, 'src/handlers/optimize.mjs'))).size).toBeGreaterThan(0);
    });

    it.each(['plan', 'shard', 'merge'])(
      'packages the sharded step %s, which loads and exports its handler',
      async (step) => {
        // Arrange
        const folder = await mkdtemp(join(tmpdir(), `wco-${step}-`));
        try {
          await run('unzip', ['-q', join(ROOT, '.serverless', `${step}.zip`), '-d', folder]);
          const script = `import('./src/handlers/${step}.mjs').then((m) => console.log(typeof m.handler))`;

          // Act
          const { stdout } = await run(process.execPath, ['-e', script], {
            cwd: folder,
            env: offlineEnv({ REPORT_BUCKET: 'wco-reports', AWS_REGION: 'eu-west-1' }),
          });

          // Assert
          expect(stdout.trim()).toBe('function');
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      },
    );

    it('loads without node_modules and exports the handler', async () => {
      // Arrange
      const script = `import('./src/handlers/optimize.mjs').then((m) => console.log(typeof m.handler))`;

      // Act
      const { stdout } = await run(process.execPath, ['-e', script], {
        cwd: unpacked,
        env: offlineEnv({ REPORT_BUCKET: 'wco-reports', AWS_REGION: 'eu-west-1' }),
      });

      // Assert
      expect(stdout.trim()).toBe('function');
    });

    it('runs a scheduled invocation against AWS APIs (the local emulator)', async () => {
      // Arrange
      const emulator = await startEmulator({
        account: '123456789012',
        buckets: ['wco-reports', 'wco-prices'],
        regions: {
          'eu-west-1': {
            directories: [{ directoryId: 'd-1' }],
            workspaces: [
              {
                workspaceId: 'ws-1',
                directoryId: 'd-1',
                runningMode: 'ALWAYS_ON',
                state: 'AVAILABLE',
                computeType: 'STANDARD',
                operatingSystem: 'WINDOWS_SERVER_2022',
                rootVolumeSizeGib: 80,
                userVolumeSizeGib: 50,
              },
            ],
          },
        },
      });
      // The bundle reads its price file from S3 (PRICE_FILE) like a deployed function.
      emulator.state.objects.set('wco-prices/prices.csv', {
        body: Buffer.from(
          'region,compute_type,os,licence,root_gib,user_gib,alwayson_monthly,autostop_monthly_fee,autostop_hourly,currency\n' +
            'eu-west-1,STANDARD,WINDOWS,INCLUDED,80,50,38.5,10.75,0.33,USD\n',
        ),
        contentType: 'text/csv',
        lastModified: new Date(),
      });
      const event = {
        account: '123456789012',
        time: '2026-11-30T23:00:00Z',
        'detail-type': 'Scheduled Event',
      };
      const script = `import('./src/handlers/optimize.mjs').then(async (m) => {
        const summary = await m.handler(${JSON.stringify(event)});
        process.stderr.write('SUMMARY ' + JSON.stringify(summary) + '\\n');
      })`;

      try {
        // Act
        const { stderr } = await run(process.execPath, ['-e', script], {
          cwd: unpacked,
          env: offlineEnv({
            REPORT_BUCKET: 'wco-reports',
            AWS_REGION: 'eu-west-1',
            PRICE_FILE: 's3://wco-prices/prices.csv',
            AWS_ENDPOINT_URL: emulator.endpoint,
            AWS_ACCESS_KEY_ID: 'AKIDEMULATOR',
            AWS_SECRET_ACCESS_KEY: 'emulator-secret',
          }),
        });

        // Assert
        const summary = JSON.parse(/^SUMMARY (.*)$/m.exec(stderr)![1]!);
        expect(summary).toMatchObject({ dryRun: true, monthEnd: true, workspaces: 1, writeFailures: [] });
        expect(summary.conversions.TO_AUTO_STOP.DRY_RUN).toBe(1);
        const daily = emulator.state.objects.get('wco-reports/reports/daily/2026/11/30/aggregated.csv');
        const [row] = parse(daily!.body.toString('utf8'), { columns: true }) as Record<string, string>[];
        expect(row).toMatchObject({ threshold_source: 'price', alwayson_monthly_price: '38.50' });
      } finally {
        await emulator.close();
      }
    });

    it('fails its cold start on a bad environment, naming each bad variable', async () => {
      // Arrange
      const script = `import('./src/handlers/optimize.mjs').catch((e) => { console.log(e.message); process.exitCode = 3; })`;

      // Act
      const child = run(process.execPath, ['-e', script], {
        cwd: unpacked,
        env: offlineEnv({ REPORT_BUCKET: 'Not_A_Bucket', DRY_RUN: 'sometimes' }),
      });

      // Assert
      await expect(child).rejects.toMatchObject({
        code: 3,
        stdout: expect.stringMatching(/REPORT_BUCKET: .*\n.*REGIONS: .*\n.*DRY_RUN: /),
      });
    });
  });
});

/** cfn-lint (Python) is a developer tool of this machine, not an npm dependency: its test runs where it is installed. */
function hasCfnLint(): boolean {
  return (process.env.PATH ?? '').split(':').some((folder) => existsSync(join(folder, 'cfn-lint')));
}

describe('Deployment: parameters', () => {
  it('chooses the sharded deployment and the hourly schedule with --param', async () => {
    // Act
    const { stdout } = await run(
      join(ROOT, 'node_modules', '.bin', 'osls'),
      [
        'print',
        '--param=deployment=sharded',
        '--param=hourly=true',
        '--format',
        'json',
        '--path',
        'resources',
      ],
      { cwd: ROOT, env: offlineEnv(), timeout: 120_000 },
    );
    const printed = JSON.parse(stdout) as {
      Conditions: Record<string, unknown>;
      Resources: Record<string, Resource>;
      extensions: Record<string, { Properties: Json }>;
    };
    const resolve = (value: unknown) => resolvedIn(printed.Conditions, value);

    // Assert
    expect(holds(printed.Conditions.Sharded)).toBe(true);
    expect(resolve(printed.Resources.ShardedRunSchedule!.Properties.ScheduleExpression)).toBe(
      'cron(0 * * * ? *)',
    );
    expect(resolve(printed.extensions.OptimizeEventsRuleSchedule1!.Properties.State)).toBe('DISABLED');
    expect(resolve(printed.extensions.OptimizeEventsRuleSchedule1!.Properties.ScheduleExpression)).toBe(
      'cron(0 * * * ? *)',
    );
  }, 120_000);

  it('passes --param values to the environment and the schedule', async () => {
    // Act
    const { stdout } = await run(
      join(ROOT, 'node_modules', '.bin', 'osls'),
      [
        'print',
        '--stage',
        'prod',
        '--param=dryRun=false',
        '--param=thresholds=STANDARD=85,POWER=90',
        '--param=tagColumns=CostCenter,Department',
        '--param=schedule=cron(0 22 * * ? *)',
        '--format',
        'json',
        '--path',
        'functions.optimize',
      ],
      { cwd: ROOT, env: offlineEnv(), timeout: 120_000 },
    );
    const optimize = JSON.parse(stdout) as { environment: Json; events: { schedule: { rate: string[] } }[] };

    // Assert
    expect(optimize.environment).toMatchObject({
      DRY_RUN: 'false',
      THRESHOLDS: 'STANDARD=85,POWER=90',
      TAG_COLUMNS: 'CostCenter,Department',
    });
    expect(optimize.events[0]!.schedule.rate).toEqual(['cron(0 22 * * ? *)']);
  }, 120_000);

  it('passes the account settings to the environment and turns on the member and organization grants', async () => {
    // Arrange
    const print = printWith(
      '--param=organizationUnit=ou-ab12-cdef3456',
      '--param=excludeAccounts=444444444444',
      '--param=memberRoleName=wco-spoke',
    );

    // Act
    const optimize = (await print('functions.optimize')) as { environment: Json };
    const conditions = (await print('resources.Conditions')) as Record<string, unknown>;
    const policy = (await print('resources.Resources.AssumeMemberRolePolicy')) as Resource;

    // Assert
    expect(optimize.environment).toMatchObject({
      ACCOUNTS: '',
      ORGANIZATION_UNIT: 'ou-ab12-cdef3456',
      EXCLUDE_ACCOUNTS: '444444444444',
      MEMBER_ROLE_NAME: 'wco-spoke',
    });
    expect(holds(conditions.DiscoversAccounts, conditions)).toBe(true);
    expect(holds(conditions.HasMemberAccounts, conditions)).toBe(true);
    expect(policyStatements(policy).flatMap(resourcesOf)).toEqual([
      'arn:${AWS::Partition}:iam::*:role/wco-spoke',
    ]);
  }, 120_000);

  it('passes the price settings to the environment and scopes the price file grant to that object', async () => {
    // Arrange
    const print = printWith('--param=priceFile=s3://wco-prices/finance/prices.csv', '--param=priceList=true');

    // Act
    const optimize = (await print('functions.optimize')) as { environment: Json };
    const conditions = (await print('resources.Conditions')) as Record<string, unknown>;
    const policy = (await print('resources.Resources.ReadPriceFilePolicy')) as Resource;

    // Assert
    expect(optimize.environment).toMatchObject({
      PRICE_FILE: 's3://wco-prices/finance/prices.csv',
      PRICE_LIST: 'true',
    });
    expect(holds(conditions.HasPriceFile)).toBe(true);
    expect(
      policyStatements(policy).map((statement) => [actionsOf(statement), resourcesOf(statement)]),
    ).toEqual([[['s3:GetObject'], ['arn:${AWS::Partition}:s3:::wco-prices/finance/prices.csv']]]);
  }, 240_000);
});
