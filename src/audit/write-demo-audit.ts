import type { Log } from '../shared/log.js';
import type { ObjectStore } from '../ports/object-store.js';
import { AuditWriteError } from './audit-write-error.js';
import type { AuditMessage } from './normalize-audit-message.js';
import type { AuditBatchResult } from './process-audit-batch.js';
import { processAuditBatch } from './process-audit-batch.js';
import type { WorkspaceSessions } from './simulated-login-events.js';
import { simulatedLoginEvents } from './simulated-login-events.js';

/**
 * Writes the login audit records of the simulated fleet's sessions up to
 * `asOf` into `store`, through the same validation and writer as the audit
 * Lambda (each event as the SQS message EventBridge would deliver). Rerunning
 * it for the same fleet and `asOf` rewrites the same objects.
 * Conversions and runs come from `LocalAuditEventSink` during the run itself.
 *
 * @throws AuditWriteError when any object could not be written.
 */
export async function writeDemoAudit(
  store: ObjectStore,
  fleetSessions: readonly WorkspaceSessions[],
  asOf: Date,
  log?: Log,
): Promise<AuditBatchResult> {
  const messages = simulatedLoginEvents(fleetSessions, asOf).map((event): AuditMessage => ({
    messageId: event.id,
    body: JSON.stringify(event),
    receivedAt: new Date(event.time),
  }));
  const result = await processAuditBatch(store, messages, log);
  if (result.failures.length > 0) throw new AuditWriteError(result.failures);
  return result;
}
