import { describe, expect, it } from 'vitest';
import { queryAudit } from '../../../src/audit/audit-query.js';
import { processAuditBatch } from '../../../src/audit/process-audit-batch.js';
import { fixtureEvent, message } from '../../helpers/audit/audit-messages.js';
import { writeSampleAudit } from '../../helpers/audit/audit-fixture-store.js';
import { MemoryStore } from '../../helpers/memory-store.js';

/** A MemoryStore that records which keys were read and which prefixes listed. */
class CountingStore extends MemoryStore {
  readonly gets: string[] = [];
  readonly lists: string[] = [];
  override async get(key: string) {
    this.gets.push(key);
    return super.get(key);
  }
  override async list(prefix: string) {
    this.lists.push(prefix);
    return super.list(prefix);
  }
}

describe('Function: queryAudit', () => {
  it('reads only the partitions of the time range', async () => {
    // Arrange
    const store = new CountingStore();
    await writeSampleAudit(store);

    // Act
    const result = await queryAudit(store, {
      since: new Date('2026-11-03T00:00:00Z'),
      until: new Date('2026-11-05T00:00:00Z'),
    });

    // Assert
    expect(result.records).toHaveLength(4);
    expect(new Set(store.gets.map((key) => /dt=([\d-]+)/.exec(key)?.[1]))).toEqual(
      new Set(['2026-11-03', '2026-11-04']),
    );
    expect(store.lists.every((prefix) => /dt=2026-11-0[34]\/$/.test(prefix))).toBe(true);
  });

  it('lists a whole kind once when the range is open, but still reads only partitions in range', async () => {
    // Arrange
    const store = new CountingStore();
    await writeSampleAudit(store);

    // Act
    const result = await queryAudit(store, { since: new Date('2026-11-09T00:00:00Z'), kinds: ['login'] });

    // Assert
    expect(store.lists).toEqual(['audit/kind=login/']);
    expect(store.gets.every((key) => /dt=2026-11-(09|10)\//.test(key))).toBe(true);
    expect(result.records.map((record) => record.time)).toEqual([
      '2026-11-10T14:00:20.000Z',
      '2026-11-10T09:00:20.000Z',
      '2026-11-09T14:00:20.000Z',
      '2026-11-09T09:00:20.000Z',
    ]);
  });

  it('returns an event delivered twice, in two batches, once', async () => {
    // Arrange
    const store = new MemoryStore();
    const login = fixtureEvent('workspaces-access-domain-directory.json');
    await processAuditBatch(store, [message('first-delivery', login)]);
    await processAuditBatch(store, [
      message('second-delivery', login),
      message('other', { ...login, id: 'x' }),
    ]);

    // Act
    const result = await queryAudit(store, {});

    // Assert
    expect(store.records()).toHaveLength(3);
    expect(result.records.map((record) => record.eventId).sort()).toEqual([
      '64ca0eda-9751-dc55-c41a-1bd50b4fc9b7',
      'x',
    ]);
  });

  it('ignores rejected records', async () => {
    // Arrange
    const store = new MemoryStore();
    await processAuditBatch(store, [message('bad', 'not json')]);

    // Act
    const result = await queryAudit(store, {});

    // Assert
    expect(store.records('audit/kind=rejected/')).toHaveLength(1);
    expect(result).toEqual({ records: [], problems: [], objectsRead: 0 });
  });
});
