import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { formatAuditRecords } from '../../../src/audit/audit-format.js';
import { queryAudit } from '../../../src/audit/audit-query.js';
import { EventAuditRecord } from '../../../src/audit/audit-record.js';
import { optimizerEventBridgeEvent } from '../../../src/audit/event-bridge-event.js';
import { normalizeAuditMessage } from '../../../src/audit/normalize-audit-message.js';
import { processAuditBatch } from '../../../src/audit/process-audit-batch.js';
import { message } from '../../helpers/audit/audit-messages.js';
import { MODE_CHANGE_FAILED } from '../../helpers/audit/optimizer-events.js';
import { MemoryStore } from '../../helpers/memory-store.js';

const PUBLISHER = { account: '111122223333', region: 'eu-west-1', time: new Date('2026-11-30T23:00:00Z') };
const attempt = (n: number, eventId: string) => ({
  ...optimizerEventBridgeEvent(
    {
      ...MODE_CHANGE_FAILED,
      detail: { ...MODE_CHANGE_FAILED.detail, attempt: n },
    } as typeof MODE_CHANGE_FAILED,
    PUBLISHER,
  ),
  id: eventId,
});

describe('Audit: a failed conversion (WorkSpace Running Mode Change Failed)', () => {
  it('becomes a conversion_failed record with the AWS error', () => {
    // Act
    const record = normalizeAuditMessage(message('m-1', attempt(1, 'event-1')));

    // Assert
    expect(record).toMatchObject({
      kind: 'conversion_failed',
      workspaceId: 'ws-def67890',
      account: '111122223333',
      fromMode: 'AUTO_STOP',
      toMode: 'ALWAYS_ON',
      recordId: '2026-11/111122223333/eu-west-1/ws-def67890',
      attempt: 1,
      error: expect.stringContaining('explicit deny in a service control policy'),
    });
    expect(EventAuditRecord.safeParse(record).success).toBe(true);
  });

  it('rejects one without its error or attempt', () => {
    const { error: _error, ...detail } = MODE_CHANGE_FAILED.detail as { error: string };
    const event = optimizerEventBridgeEvent({ ...MODE_CHANGE_FAILED, detail: detail as never }, PUBLISHER);
    expect(normalizeAuditMessage(message('m-1', event))).toMatchObject({
      kind: 'rejected',
      reason: expect.stringContaining('detail.error'),
    });
  });

  it('keeps each attempt once, however often it is delivered, and each attempt apart', async () => {
    // Arrange
    const store = new MemoryStore();

    // Act: attempt 1 delivered twice (republished by the outbox), attempt 2 once
    await processAuditBatch(store, [
      message('m-1', attempt(1, 'event-1')),
      message('m-2', attempt(1, 'event-2')),
    ]);
    await processAuditBatch(store, [message('m-3', attempt(2, 'event-3'))]);

    // Assert
    expect(await store.list('audit/kind=conversion_failed/dt=2026-11-30/')).toHaveLength(2);
    const result = await queryAudit(store, { kinds: ['conversion_failed'] });
    expect(
      result.records.map((record) => record.kind === 'conversion_failed' && record.attempt).sort(),
    ).toEqual([1, 2]);
  });

  it('shows the failure in the table and the CSV', async () => {
    const record = EventAuditRecord.parse(normalizeAuditMessage(message('m-1', attempt(1, 'event-1'))));
    expect(formatAuditRecords([record], 'table')).toContain(
      'FAILED AUTO_STOP -> ALWAYS_ON (attempt 1): AccessDeniedException',
    );
    const [row] = parse(formatAuditRecords([record], 'csv'), { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ kind: 'conversion_failed', from_mode: 'AUTO_STOP', attempt: '1' });
    expect(row!.error).toContain('explicit deny in a service control policy');
  });
});
