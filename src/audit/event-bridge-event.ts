import { createHash } from 'node:crypto';
import type { OptimizerEvent } from '../ports/event-sink.js';
import { OPTIMIZER_EVENT_SOURCE } from '../ports/event-sink.js';

/** An event as EventBridge delivers it to a target (an SQS message body is this, as JSON). */
export interface EventBridgeEvent<Detail = unknown> {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** Second precision, like EventBridge: `2026-11-05T16:13:59Z`. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Detail;
}

export interface EventBridgeEventInput<Detail> {
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
  readonly account: string;
  readonly region: string;
  readonly time: Date;
  readonly detail: Detail;
}

/** Wraps a detail in the envelope EventBridge would put around it. */
export function eventBridgeEvent<Detail>(input: EventBridgeEventInput<Detail>): EventBridgeEvent<Detail> {
  return {
    version: '0',
    id: input.id,
    'detail-type': input.detailType,
    source: input.source,
    account: input.account,
    time: input.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: input.region,
    resources: [],
    detail: input.detail,
  };
}

/**
 * The event EventBridge would deliver for an optimizer event published from
 * `account`/`region` at `time`. The id is derived from the content, so
 * re-publishing the same event locally yields the same id (and object key).
 */
export function optimizerEventBridgeEvent(
  event: OptimizerEvent,
  publisher: { readonly account: string; readonly region: string; readonly time: Date },
): EventBridgeEvent {
  return eventBridgeEvent({
    id: deterministicEventId(OPTIMIZER_EVENT_SOURCE, event.detailType, JSON.stringify(event.detail)),
    source: OPTIMIZER_EVENT_SOURCE,
    detailType: event.detailType,
    account: publisher.account,
    region: publisher.region,
    time: publisher.time,
    detail: event.detail,
  });
}

/** A UUID-shaped id that is a hash of `parts`: stable across runs, distinct for distinct parts. */
export function deterministicEventId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
