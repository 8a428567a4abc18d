import { describe, expect, it } from 'vitest';
import { optimizerEventBridgeEvent } from '../../../src/audit/event-bridge-event.js';
import { processAuditBatch } from '../../../src/audit/process-audit-batch.js';
import { fixture, fixtureEvent, message } from '../../helpers/audit/audit-messages.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { MODE_CHANGED, RUN_COMPLETED } from '../../helpers/audit/optimizer-events.js';

const PUBLISHER = { account: '111122223333', region: 'eu-west-1', time: new Date('2026-11-30T23:00:07Z') };

function mixedBatch() {
  const login = fixtureEvent('workspaces-access-domain-directory.json');
  return [
    message('m-login-1', fixture('workspaces-access-domain-directory.json')),
    message('m-login-2', { ...login, id: 'second-login', time: '2026-11-05T18:00:00Z' }),
    message('m-login-3', fixture('workspaces-access-plain-directory.json')),
    message('m-conversion', optimizerEventBridgeEvent(MODE_CHANGED, PUBLISHER)),
    message('m-run', optimizerEventBridgeEvent(RUN_COMPLETED, PUBLISHER)),
    message('m-garbage', 'not json'),
    message('m-no-detail', { ...login, detail: undefined }),
  ];
}

describe('Function: processAuditBatch', () => {
  it('writes one NDJSON object per kind and UTC date, every message accounted for', async () => {
    // Arrange
    const store = new MemoryStore();

    // Act
    const result = await processAuditBatch(store, mixedBatch());

    // Assert
    expect(result.failedMessageIds).toEqual([]);
    expect(result.rejected).toBe(2);
    const keys = await store.list('audit/');
    expect(keys.map((key) => key.replace(/[0-9a-f]{32}\.ndjson$/, '*.ndjson'))).toEqual([
      'audit/kind=conversion/dt=2026-11-30/*.ndjson',
      'audit/kind=login/dt=2026-11-04/*.ndjson',
      'audit/kind=login/dt=2026-11-05/*.ndjson',
      'audit/kind=rejected/dt=2026-11-06/*.ndjson',
      'audit/kind=run/dt=2026-11-30/*.ndjson',
    ]);
    expect([...store.objects.values()].every((object) => object.contentType === 'application/x-ndjson')).toBe(
      true,
    );
    const nov5 = store.records('audit/kind=login/dt=2026-11-05/');
    expect(nov5.map((record) => record.eventId)).toEqual([
      '64ca0eda-9751-dc55-c41a-1bd50b4fc9b7',
      'second-login',
    ]);
    const rejected = store.records('audit/kind=rejected/');
    expect(rejected.map((record) => [record.messageId, record.reason])).toEqual([
      ['m-garbage', expect.stringMatching(/^body is not JSON/)],
      ['m-no-detail', 'detail: is missing'],
    ]);
  });

  it('overwrites its own objects when the same batch is delivered again, adding no record', async () => {
    // Arrange
    const store = new MemoryStore();
    const batch = mixedBatch();
    await processAuditBatch(store, batch);
    const firstKeys = await store.list('audit/');
    const firstBodies = [...store.objects.values()].map((object) => object.body);

    // Act
    await processAuditBatch(store, [...batch].reverse());

    // Assert
    expect(await store.list('audit/')).toEqual(firstKeys);
    expect([...store.objects.values()].map((object) => object.body)).toEqual(firstBodies);
    expect(store.records()).toHaveLength(batch.length);
  });

  it('reports exactly the messages of the partition whose write failed, and still writes the others', async () => {
    // Arrange
    const store = new MemoryStore();
    store.failingPrefixes = ['audit/kind=login/dt=2026-11-05/'];

    // Act
    const result = await processAuditBatch(store, mixedBatch());

    // Assert
    expect([...result.failedMessageIds].sort()).toEqual(['m-login-1', 'm-login-2']);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.error).toMatch(/AccessDenied/);
    expect(store.records().map((record) => record.eventId ?? record.messageId)).not.toContain(
      '64ca0eda-9751-dc55-c41a-1bd50b4fc9b7',
    );
    expect(store.records()).toHaveLength(5);
  });

  it('keeps a batch of only malformed messages, acknowledging them all', async () => {
    // Arrange
    const store = new MemoryStore();
    const batch = [message('a', ''), message('b', '{}'), message('c', 'null'), message('d', '"text"')];

    // Act
    const result = await processAuditBatch(store, batch);

    // Assert
    expect(result.failedMessageIds).toEqual([]);
    expect(store.records('audit/kind=rejected/').map((record) => record.messageId)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });
});

describe('Function: processAuditBatch, ledger conversions', () => {
  const withRecordId = {
    ...MODE_CHANGED,
    detail: { ...MODE_CHANGED.detail, recordId: '2026-11/111122223333/eu-west-1/ws-abc12345' },
  } as typeof MODE_CHANGED;
  const published = (id: string) =>
    // EventBridge gives every publish a new event id; the ledger republishes with the conversion's own time T.
    ({
      ...optimizerEventBridgeEvent(withRecordId, { ...PUBLISHER, time: new Date('2026-11-30T23:00:00Z') }),
      id,
    });

  it('keeps one conversion per ledger record id, in one batch or across batches', async () => {
    // Arrange
    const store = new MemoryStore();

    // Act
    await processAuditBatch(store, [
      message('m-1', published('event-1')),
      message('m-2', published('event-2')),
    ]);
    await processAuditBatch(store, [message('m-3', published('event-3'))]);

    // Assert
    const conversions = store.records('audit/kind=conversion/');
    expect(conversions).toHaveLength(1);
    // A later delivery overwrites the object with the same record.
    expect(conversions[0]).toMatchObject({ recordId: '2026-11/111122223333/eu-west-1/ws-abc12345' });
    expect(await store.list('audit/kind=conversion/')).toHaveLength(1);
  });

  it('acknowledges every message that carried the conversion once its object is written', async () => {
    // Arrange
    const store = new MemoryStore();

    // Act
    const result = await processAuditBatch(store, [
      message('m-1', published('event-1')),
      message('m-2', published('event-2')),
    ]);

    // Assert
    expect(result.failedMessageIds).toEqual([]);
    expect(result.written.flatMap((object) => object.messageIds).sort()).toEqual(['m-1', 'm-2']);
  });

  it('hands back every message of a conversion whose object could not be written', async () => {
    // Arrange
    const store = new MemoryStore('audit/kind=conversion/');

    // Act
    const result = await processAuditBatch(store, [
      message('m-1', published('event-1')),
      message('m-2', published('event-2')),
    ]);

    // Assert
    expect(result.failedMessageIds.slice().sort()).toEqual(['m-1', 'm-2']);
  });
});
