import { describe, expect, it } from 'vitest';
import { silentLog } from '../../../src/shared/log.js';
import { loadAuditConfig } from '../../../src/config/audit-config.js';
import { optimizerEventBridgeEvent } from '../../../src/audit/event-bridge-event.js';
import { ConfigError } from '../../../src/config/settings.js';
import { createAuditHandler, toAuditMessage } from '../../../src/handlers/audit-handler.js';
import { fixture } from '../../helpers/audit/audit-messages.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { MODE_CHANGED } from '../../helpers/audit/optimizer-events.js';
import { sqsEvent, sqsRecord } from '../../helpers/audit/sqs-event.js';

const conversion = JSON.stringify(
  optimizerEventBridgeEvent(MODE_CHANGED, {
    account: '111122223333',
    region: 'eu-west-1',
    time: new Date('2026-11-30T23:00:07Z'),
  }),
);

describe('Function: createAuditHandler', () => {
  it('acknowledges every message when all objects are written, malformed ones included', async () => {
    // Arrange
    const store = new MemoryStore();
    const handler = createAuditHandler({ store, log: silentLog });
    const event = sqsEvent([
      sqsRecord('m-1', fixture('workspaces-access-domain-directory.json')),
      sqsRecord('m-2', conversion),
      sqsRecord('m-3', '{"oops":'),
    ]);

    // Act
    const response = await handler(event);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(
      store
        .records()
        .map((record) => record.kind)
        .sort(),
    ).toEqual(['conversion', 'login', 'rejected']);
  });

  it('returns exactly the messages of the partition S3 refused as batchItemFailures', async () => {
    // Arrange
    const store = new MemoryStore();
    store.failingPrefixes = ['audit/kind=login/'];
    const handler = createAuditHandler({ store, log: silentLog });
    const event = sqsEvent([
      sqsRecord('m-1', fixture('workspaces-access-domain-directory.json')),
      sqsRecord('m-2', conversion),
      sqsRecord('m-3', fixture('workspaces-access-plain-directory.json')),
      sqsRecord('m-4', 'garbage'),
    ]);

    // Act
    const response = await handler(event);

    // Assert
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      'm-1',
      'm-3',
    ]);
    expect(
      store
        .records()
        .map((record) => record.kind)
        .sort(),
    ).toEqual(['conversion', 'rejected']);
  });
});

describe('Function: toAuditMessage', () => {
  it('dates a message by its SentTimestamp, which redelivery keeps', () => {
    // Act
    const message = toAuditMessage(sqsRecord('m-1', 'x', new Date('2026-11-02T03:04:05Z')));

    // Assert
    expect(message).toEqual({ messageId: 'm-1', body: 'x', receivedAt: new Date('2026-11-02T03:04:05Z') });
  });
});

describe('Function: loadAuditConfig', () => {
  it.each([
    { env: {}, message: /AUDIT_BUCKET: is required/ },
    { env: { AUDIT_BUCKET: 'Not_A_Bucket' }, message: /AUDIT_BUCKET: must be an S3 bucket name/ },
  ])('refuses $env', ({ env, message }) => {
    expect(() => loadAuditConfig(env)).toThrow(ConfigError);
    expect(() => loadAuditConfig(env)).toThrow(message);
  });

  it('reads the bucket', () => {
    expect(loadAuditConfig({ AUDIT_BUCKET: 'wco-reports-123' })).toEqual({ bucket: 'wco-reports-123' });
  });
});
