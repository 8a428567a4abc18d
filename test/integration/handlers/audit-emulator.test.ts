import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { Logger } from '@aws-lambda-powertools/logger';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventBridgeEvent, optimizerEventBridgeEvent } from '../../../src/audit/event-bridge-event.js';
import { createAuditLambda } from '../../../src/handlers/audit-handler.js';
import { runCli } from '../../helpers/cli.js';
import { testClients, useEmulator } from '../../helpers/aws-test-kit.js';
import { fixtureEvent } from '../../helpers/audit/audit-messages.js';
import { MODE_CHANGED } from '../../helpers/audit/optimizer-events.js';
import { sqsEvent, sqsRecord } from '../../helpers/audit/sqs-event.js';

const BUCKET = 'wco-audit-it';
const REGION = 'us-east-1';
const emulator = useEmulator(() => ({ buckets: [BUCKET] }));

function lambda() {
  return createAuditLambda(
    { AUDIT_BUCKET: BUCKET, AWS_REGION: REGION, AWS_ENDPOINT_URL: emulator.current.endpoint },
    { logger: new Logger({ serviceName: 'audit', logLevel: 'SILENT' }) },
  );
}

/** Every stored audit object of the bucket: key -> parsed lines. */
function storedAudit(): Map<string, Record<string, unknown>[]> {
  const stored = new Map<string, Record<string, unknown>[]>();
  for (const [path, object] of emulator.current.state.objects) {
    if (!path.startsWith(`${BUCKET}/audit/`)) continue;
    const lines = object.body.toString('utf8').split('\n').filter(Boolean);
    stored.set(
      path.slice(BUCKET.length + 1),
      lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    );
  }
  return stored;
}

/**
 * Puts a login on the bus and returns the SQS body EventBridge would deliver
 * to the audit queue: the whole event, built from the entry the emulator recorded.
 */
async function loginThroughTheBus(): Promise<string> {
  const documented = fixtureEvent('workspaces-access-domain-directory.json');
  const time = new Date(documented.time as string);
  const response = await testClients()(REGION).eventbridge.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: 'aws.workspaces',
          DetailType: 'WorkSpaces Access',
          Detail: JSON.stringify(documented.detail),
          Time: time,
          EventBusName: 'default',
        },
      ],
    }),
  );
  const recorded = emulator.current.state.events.at(-1)!;
  return JSON.stringify(
    eventBridgeEvent({
      id: response.Entries![0]!.EventId!,
      source: recorded.source,
      detailType: recorded.detailType,
      account: emulator.current.state.account,
      region: recorded.region,
      time,
      detail: JSON.parse(recorded.detail) as unknown,
    }),
  );
}

beforeEach(() => {
  emulator.current.reset({ buckets: [BUCKET] });
});

describe('Integration: EventBridge -> SQS batch -> audit Lambda -> S3 (emulator)', () => {
  it('turns a login put on the bus into one audit record in S3', async () => {
    // Arrange
    const body = await loginThroughTheBus();

    // Act
    const response = await lambda()(sqsEvent([sqsRecord('msg-1', body)]));

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    const stored = storedAudit();
    expect([...stored.keys()]).toEqual([
      expect.stringMatching(/^audit\/kind=login\/dt=2026-11-05\/[0-9a-f]{32}\.ndjson$/),
    ]);
    const [records] = [...stored.values()];
    expect(records).toEqual([
      expect.objectContaining({
        kind: 'login',
        eventId: JSON.parse(body).id,
        account: '123456789012',
        region: REGION,
        workspaceId: 'ws-xyskdga',
        directoryId: 'd-123456789',
        directoryIdRaw: 'domain/d-123456789',
        clientIpAddress: '192.0.2.3',
        loginTime: '2026-11-05T16:13:37.603Z',
      }),
    ]);
    const object = [...emulator.current.state.objects.values()][0]!;
    expect(object.contentType).toBe('application/x-ndjson');
  });

  it('reports only the messages of the partition S3 refused (fault injection), writing the rest', async () => {
    // Arrange
    emulator.current.state.faults = { putObjectFailsUnder: ['audit/kind=login/'] };
    const login = await loginThroughTheBus();
    const conversion = JSON.stringify(
      optimizerEventBridgeEvent(MODE_CHANGED, {
        account: '123456789012',
        region: REGION,
        time: new Date('2026-11-30T23:00:05Z'),
      }),
    );

    // Act
    const response = await lambda()(
      sqsEvent([
        sqsRecord('msg-login', login),
        sqsRecord('msg-conversion', conversion),
        sqsRecord('msg-bad', '{'),
      ]),
    );

    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-login' }] });
    expect([...storedAudit().keys()].map((key) => key.split('/')[1]).sort()).toEqual([
      'kind=conversion',
      'kind=rejected',
    ]);
  });

  it('rewrites the same object when SQS redelivers the batch', async () => {
    // Arrange
    const event = sqsEvent([sqsRecord('msg-1', await loginThroughTheBus())]);
    const handler = lambda();
    await handler(event);

    // Act
    await handler(event);

    // Assert
    const stored = storedAudit();
    expect(stored.size).toBe(1);
    expect([...stored.values()][0]).toHaveLength(1);
  });

  it('lets wco audit --from s3:// read what the Lambda wrote', async () => {
    // Arrange
    await lambda()(sqsEvent([sqsRecord('msg-1', await loginThroughTheBus())]));

    // Act
    const run = await runCli(
      [
        'audit',
        '--from',
        `s3://${BUCKET}`,
        '--workspace',
        'ws-xyskdga',
        '--since',
        '2026-11-01',
        '--format',
        'json',
      ],
      { env: { AWS_REGION: REGION, AWS_ENDPOINT_URL: emulator.current.endpoint } },
    );

    // Assert
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(
      (JSON.parse(run.stdout) as { workspaceId: string; kind: string }[]).map((r) => [r.kind, r.workspaceId]),
    ).toEqual([['login', 'ws-xyskdga']]);
  });
});
