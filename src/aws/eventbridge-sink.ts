import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventSink, OptimizerEvent } from '../events/optimizer-events.js';
import { OPTIMIZER_EVENT_SOURCE } from '../events/optimizer-events.js';
import { errorMessage } from '../fleet/workspace.js';

/** `PutEvents` takes at most 10 entries per call. */
export const MAX_ENTRIES_PER_CALL = 10;
const NAMED_FAILURES = 10;

export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
  constructor(
    message: string,
    readonly failures: readonly string[],
  ) {
    super(message);
  }
}

/** Publishes optimizer events to an EventBridge bus (source `wco.optimizer`). */
export class EventBridgeSink implements EventSink {
  constructor(
    private readonly client: EventBridgeClient,
    readonly eventBusName = 'default',
  ) {}

  /**
   * Sends every batch of 10, even after a failure, then rejects naming the
   * entries that failed (per-entry `ErrorCode`s and failed calls).
   */
  async publish(events: readonly OptimizerEvent[]): Promise<void> {
    const failures: string[] = [];
    for (let start = 0; start < events.length; start += MAX_ENTRIES_PER_CALL) {
      const batch = events.slice(start, start + MAX_ENTRIES_PER_CALL);
      const entries: PutEventsRequestEntry[] = batch.map((event) => ({
        Source: OPTIMIZER_EVENT_SOURCE,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
        EventBusName: this.eventBusName,
      }));
      try {
        const response = await this.client.send(new PutEventsCommand({ Entries: entries }));
        // Results are positional: entry i of the response is event i of the request.
        (response.Entries ?? []).forEach((result, index) => {
          if (result.ErrorCode)
            failures.push(
              `${describe(batch[index])}: ${result.ErrorCode} ${result.ErrorMessage ?? ''}`.trim(),
            );
        });
        if ((response.FailedEntryCount ?? 0) > 0 && failures.length === 0)
          failures.push(`${response.FailedEntryCount} entries of a batch failed without an error code`);
      } catch (error) {
        for (const event of batch) failures.push(`${describe(event)}: ${errorMessage(error)}`);
      }
    }
    if (failures.length > 0) {
      const named = failures.slice(0, NAMED_FAILURES).join('; ');
      const more = failures.length > NAMED_FAILURES ? ` and ${failures.length - NAMED_FAILURES} more` : '';
      throw new EventPublishError(
        `${failures.length} of ${events.length} events were not published to ${this.eventBusName}: ${named}${more}`,
        failures,
      );
    }
  }
}

function describe(event: OptimizerEvent | undefined): string {
  if (!event) return 'unknown entry';
  return 'workspaceId' in event.detail ? `${event.detailType} ${event.detail.workspaceId}` : event.detailType;
}
