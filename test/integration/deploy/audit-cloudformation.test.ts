import { AUDITED_OPTIMIZER_DETAIL_TYPES } from '../../../src/audit/local-audit-event-sink.js';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineEnv, render } from './template-helpers.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');

type Json = Record<string, unknown>;
interface Resource {
  readonly Type: string;
  readonly Properties: Json;
  readonly DependsOn?: string | string[];
}
interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Json;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const statementsOf = (role: Resource) =>
  (role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );

describe('Deployment: the audit stream in serverless.yml', () => {
  let workdir: string;
  let resources: Record<string, Resource>;
  const resource = (name: string) => {
    const found = resources[name];
    if (!found) throw new Error(`no resource ${name} in the template`);
    return found;
  };

  beforeAll(async () => {
    // Packaged in a folder of its own (links to the sources), so it never shares
    // .serverless/ or .esbuild/ with the other deployment test running beside it.
    workdir = await mkdtemp(join(tmpdir(), 'wco-audit-package-'));
    // osls does not take a linked serverless.yml for a service directory: copy that one.
    await copyFile(join(ROOT, 'serverless.yml'), join(workdir, 'serverless.yml'));
    for (const entry of ['package.json', 'tsconfig.json', 'src', 'node_modules'])
      await symlink(join(ROOT, entry), join(workdir, entry));
    await run(join(ROOT, 'node_modules', '.bin', 'osls'), ['package', '--stage', 'dev'], {
      cwd: workdir,
      env: offlineEnv(),
      timeout: 300_000,
    });
    const template = JSON.parse(
      await readFile(join(workdir, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
    );
    resources = template.Resources;
  }, 300_000);

  afterAll(async () => {
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });

  describe('EventBridge rules', () => {
    it.each([
      ['AuditLoginRule', 'default', { source: ['aws.workspaces'], 'detail-type': ['WorkSpaces Access'] }],
      [
        'AuditOptimizerEventsRule',
        'default',
        {
          source: ['wco.optimizer'],
          // What the local audit sink files too: the demo's trail is the deployed one's.
          'detail-type': [...AUDITED_OPTIMIZER_DETAIL_TYPES],
        },
      ],
    ])(
      '%s on bus %s matches exactly the audited events and targets the audit queue',
      (name, bus, pattern) => {
        // Act
        const rule = resource(name).Properties;

        // Assert
        expect(rule.EventBusName).toBe(bus);
        expect(rule.EventPattern).toEqual(pattern);
        expect(rule.State).toBe('ENABLED');
        expect((rule.Targets as Json[]).map((target) => render(target.Arn))).toEqual(['${AuditQueue.Arn}']);
      },
    );
  });

  describe('queues', () => {
    it('encrypts both queues with SQS-managed keys', () => {
      // Assert
      expect(resource('AuditQueue').Properties.SqsManagedSseEnabled).toBe(true);
      expect(resource('AuditDeadLetterQueue').Properties.SqsManagedSseEnabled).toBe(true);
    });

    it('moves a message to the dead-letter queue after 5 receives, keeping it 14 days', () => {
      // Assert
      expect(resource('AuditQueue').Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': ['AuditDeadLetterQueue', 'Arn'] },
        maxReceiveCount: 5,
      });
      expect(resource('AuditDeadLetterQueue').Properties.MessageRetentionPeriod).toBe(1_209_600);
    });

    it('hides a message longer than the function may run', () => {
      // Assert
      const timeout = resource('AuditLambdaFunction').Properties.Timeout as number;
      expect(resource('AuditQueue').Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    });

    it('lets only the two audit rules send to the queue', () => {
      // Act
      const policy = resource('AuditQueuePolicy').Properties;
      const statements = (policy.PolicyDocument as { Statement: Statement[] }).Statement;

      // Assert
      expect(policy.Queues).toEqual([{ Ref: 'AuditQueue' }]);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatchObject({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
      });
      expect(render(statements[0]!.Resource)).toBe('${AuditQueue.Arn}');
      expect(statements[0]!.Condition).toEqual({
        ArnEquals: {
          'aws:SourceArn': [
            { 'Fn::GetAtt': ['AuditLoginRule', 'Arn'] },
            { 'Fn::GetAtt': ['AuditOptimizerEventsRule', 'Arn'] },
          ],
        },
      });
    });

    it('alarms as soon as the dead-letter queue holds a message', () => {
      // Act
      const alarm = resource('AuditDeadLetterAlarm').Properties;

      // Assert
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['AuditDeadLetterQueue', 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    });
  });

  describe('function', () => {
    it('runs the audit handler with the bucket in AUDIT_BUCKET and its own role', () => {
      // Act
      const lambda = resource('AuditLambdaFunction').Properties;

      // Assert
      expect(lambda.Handler).toBe('src/handlers/audit.handler');
      expect((lambda.Environment as { Variables: Json }).Variables.AUDIT_BUCKET).toEqual({
        Ref: 'ReportBucket',
      });
      expect(lambda.Role).toEqual({ 'Fn::GetAtt': ['AuditFunctionRole', 'Arn'] });
    });

    it('takes batches of up to 100 with a batching window and reports partial failures', () => {
      // Act
      const mappings = Object.values(resources).filter(
        (candidate) => candidate.Type === 'AWS::Lambda::EventSourceMapping',
      );

      // Assert
      expect(mappings).toHaveLength(1);
      expect(mappings[0]!.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': ['AuditQueue', 'Arn'] },
        FunctionName: { 'Fn::GetAtt': ['AuditLambdaFunction', 'Arn'] },
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: expect.any(Number),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(list(mappings[0]!.DependsOn ?? [])).toContain('AuditFunctionRole');
    });
  });

  describe('artifact', () => {
    it.each([
      [{ AUDIT_BUCKET: 'wco-reports', AWS_REGION: 'eu-west-1' }, 'function'],
      [{}, 'AUDIT_BUCKET: is required'],
    ])('loads the bundled handler without node_modules (env %j -> %s)', async (env, expected) => {
      // Arrange
      const unpacked = join(workdir, 'unpacked');
      await run('unzip', ['-qo', join(workdir, '.serverless', 'audit.zip'), '-d', unpacked]);
      const script = `import('./src/handlers/audit.mjs').then((m) => console.log(typeof m.handler), (e) => console.log(e.message))`;

      // Act
      const { stdout } = await run(process.execPath, ['-e', script], {
        cwd: unpacked,
        env: { ...offlineEnv(), ...env },
      });

      // Assert
      expect(stdout).toContain(expected);
    });
  });

  describe('IAM', () => {
    it('lets the audit role put objects under audit/ only, consume its queue and write its logs, nothing else', () => {
      // Act
      const granted = statementsOf(resource('AuditFunctionRole')).map((statement) => ({
        actions: list(statement.Action).sort(),
        resources: list(statement.Resource).map(render),
      }));

      // Assert
      expect(granted).toEqual([
        { actions: ['s3:PutObject'], resources: ['${ReportBucket.Arn}/audit/*'] },
        {
          actions: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
          resources: ['${AuditQueue.Arn}'],
        },
        { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['${AuditLogGroup.Arn}'] },
      ]);
    });

    it('gives no other role access to the audit queue or the audit/ prefix', () => {
      // Act
      const others = Object.entries(resources)
        .filter(([name, candidate]) => candidate.Type === 'AWS::IAM::Role' && name !== 'AuditFunctionRole')
        .flatMap(([, role]) => statementsOf(role))
        .flatMap((statement) => list(statement.Resource).map(render));

      // Assert
      expect(others.filter((arn) => arn.includes('AuditQueue') || arn.includes('/audit/'))).toEqual([]);
    });
  });
});
