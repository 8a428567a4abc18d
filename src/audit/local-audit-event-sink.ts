import type { Log } from '../shared/log.js';
import type { EventSink, OptimizerEvent } from '../ports/event-sink.js';
import { OptimizerDetailType } from '../ports/event-sink.js';
import type { ObjectStore } from '../ports/object-store.js';
import { AuditWriteError } from './audit-write-error.js';
import { optimizerEventBridgeEvent } from './event-bridge-event.js';
import type { AuditMessage } from './normalize-audit-message.js';
import { processAuditBatch } from './process-audit-batch.js';

export interface LocalPublisher {
  /** The account and region the events are published from (the envelope's). */
  readonly account: string;
  readonly region: string;
}

/**
 * An `EventSink` for local runs: instead of EventBridge -> SQS -> the audit
 * Lambda, each optimizer event is wrapped the way EventBridge would deliver
 * it and goes through the same validation and writer, so a local conversion
 * lands under `audit/kind=conversion/…` exactly as it would in S3. The event
 * time is the run's `asOf`, which keeps reruns of a day idempotent.
 */
export class LocalAuditEventSink implements EventSink {
  constructor(
    private readonly store: ObjectStore,
    private readonly publisher: LocalPublisher,
    private readonly log?: Log,
  ) {}

  /** Rejects with an `AuditWriteError` when any audit object could not be written. */
  async publish(events: readonly OptimizerEvent[]): Promise<void> {
    const messages = events.filter(isAudited).map((event): AuditMessage => {
      const time = new Date(event.detail.asOf);
      const delivered = optimizerEventBridgeEvent(event, { ...this.publisher, time });
      return { messageId: delivered.id, body: JSON.stringify(delivered), receivedAt: time };
    });
    const result = await processAuditBatch(this.store, messages, this.log);
    if (result.failures.length > 0) throw new AuditWriteError(result.failures);
  }
}

/**
 * The optimizer's events the deployed audit rule (`AuditOptimizerEventsRule`)
 * sends to the audit queue; the unused listing goes to the operators' topic only.
 */
export const AUDITED_OPTIMIZER_DETAIL_TYPES: readonly OptimizerDetailType[] = [
  OptimizerDetailType.MODE_CHANGED,
  OptimizerDetailType.MODE_CHANGE_FAILED,
  OptimizerDetailType.RUN_COMPLETED,
  OptimizerDetailType.UNUSED_REMOVED,
  OptimizerDetailType.UNUSED_REMOVAL_FAILED,
];

const isAudited = (event: OptimizerEvent) => AUDITED_OPTIMIZER_DETAIL_TYPES.includes(event.detailType);
