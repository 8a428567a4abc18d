import type { Log } from '../shared/log.js';
import { silentLog } from '../shared/log.js';
import type { ObjectStore } from '../ports/object-store.js';
import { AuditKind } from './audit-record.js';
import type { AuditMessage } from './normalize-audit-message.js';
import { normalizeAuditMessage } from './normalize-audit-message.js';
import type { AuditWriteResult } from './write-audit-records.js';
import { writeAuditRecords } from './write-audit-records.js';

export interface AuditBatchResult extends AuditWriteResult {
  /** Messages to hand back to the queue: exactly those whose object could not be written. */
  readonly failedMessageIds: readonly string[];
  readonly rejected: number;
}

/**
 * The audit use case for one batch of queued events: validate and normalize
 * each (an invalid one becomes a `rejected` record, which is written and
 * acknowledged like any other), then write one object per partition.
 */
export async function processAuditBatch(
  store: ObjectStore,
  messages: readonly AuditMessage[],
  log: Log = silentLog,
): Promise<AuditBatchResult> {
  const entries = messages.map((message) => ({
    messageId: message.messageId,
    record: normalizeAuditMessage(message),
  }));
  let rejected = 0;
  for (const { messageId, record } of entries) {
    if (record.kind !== AuditKind.REJECTED) continue;
    rejected += 1;
    log.warn('audit event rejected', { messageId, reason: record.reason, bodyBytes: record.bodyBytes });
  }
  const result = await writeAuditRecords(store, entries);
  for (const failure of result.failures)
    log.error('audit object write failed', {
      key: failure.key,
      error: failure.error,
      messages: failure.messageIds.length,
    });
  log.info('audit batch processed', {
    messages: messages.length,
    rejected,
    objects: result.written.map((object) => object.key),
    failedMessages: result.failures.reduce((sum, failure) => sum + failure.messageIds.length, 0),
  });
  return {
    ...result,
    failedMessageIds: result.failures.flatMap((failure) => failure.messageIds),
    rejected,
  };
}
