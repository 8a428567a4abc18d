import { describe, expect, it } from 'vitest';
import { formatAuditRecords } from '../../../src/audit/audit-format.js';
import { queryAudit } from '../../../src/audit/audit-query.js';
import { EventAuditRecord } from '../../../src/audit/audit-record.js';
import { optimizerEventBridgeEvent } from '../../../src/audit/event-bridge-event.js';
import { LocalAuditEventSink } from '../../../src/audit/local-audit-event-sink.js';
import { normalizeAuditMessage } from '../../../src/audit/normalize-audit-message.js';
import type { OptimizerEvent } from '../../../src/ports/event-sink.js';
import { OptimizerDetailType } from '../../../src/ports/event-sink.js';
import { message } from '../../helpers/audit/audit-messages.js';
import { MemoryStore } from '../../helpers/memory-store.js';

const PUBLISHER = { account: '111122223333', region: 'eu-west-1', time: new Date('2026-11-30T23:00:00Z') };
const detail = {
  workspaceId: 'ws-abc12345',
  directoryId: 'd-1234567890',
  account: '111122223333',
  region: 'eu-west-1',
  userName: 'jane.doe',
  action: 'TERMINATE' as const,
  monthsUnused: 4,
  asOf: '2026-11-30T23:00:00.000Z',
};
const removed: OptimizerEvent = { detailType: OptimizerDetailType.UNUSED_REMOVED, detail };
const failed: OptimizerEvent = {
  detailType: OptimizerDetailType.UNUSED_REMOVAL_FAILED,
  detail: { ...detail, error: 'InvalidResourceState: refused' },
};

describe('Audit: removals of unused WorkSpaces', () => {
  it.each([
    [removed, 'DONE', null],
    [failed, 'FAILED', 'InvalidResourceState: refused'],
  ])('files %j as an unused_removal record', (event, outcome, error) => {
    // Act
    const record = normalizeAuditMessage(message('m-1', optimizerEventBridgeEvent(event, PUBLISHER)));

    // Assert
    expect(record).toMatchObject({
      kind: 'unused_removal',
      workspaceId: 'ws-abc12345',
      action: 'TERMINATE',
      monthsUnused: 4,
      outcome,
      error,
    });
    expect(EventAuditRecord.safeParse(record).success).toBe(true);
  });

  it('lands in the local audit trail, and the listing does not (it goes to the operators only)', async () => {
    // Arrange
    const store = new MemoryStore();
    const sink = new LocalAuditEventSink(store, PUBLISHER);
    const listed: OptimizerEvent = {
      detailType: OptimizerDetailType.UNUSED_LISTED,
      detail: {
        account: '111122223333',
        asOf: '2026-11-30T23:00:00.000Z',
        month: '2026-11',
        months: 2,
        removal: true,
        listed: 1,
        newlyListed: 1,
        monthlyWaste: { USD: '35.00' },
        workspaces: [],
      },
    };

    // Act
    await sink.publish([listed, removed, failed]);
    const { records } = await queryAudit(store, {});

    // Assert
    expect(records.map((record) => record.kind)).toEqual(['unused_removal', 'unused_removal']);
    expect(formatAuditRecords(records, 'table')).toContain('FAILED TERMINATE of a WorkSpace unused 4 months');
  });
});
