import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import pLimit from 'p-limit';
import type { EventSink, OptimizerEvent } from '../ports/event-sink.js';
import { OPTIMIZER_EVENT_SOURCE, OptimizerDetailType } from '../ports/event-sink.js';
import { WcoError, errorMessage } from '../shared/errors.js';

/** `PutEvents` takes at most 10 entries per call. */
export const MAX_ENTRIES_PER_CALL = 10;
const NAMED_FAILURES = 10;

/** Some events were not published; `failedEvents` are exactly those (the others went out). */
export class EventPublishError extends WcoError {
  override readonly name = 'EventPublishError';
  constructor(
    message: string,
    readonly failures: readonly string[],
    readonly failedEvents: readonly OptimizerEvent[] = [],
  ) {
    super(message);
  }
}

/** Publishes optimizer events to an EventBridge bus (source `wco.optimizer`). */
export class EventBridgeSink implements EventSink {
  constructor(
    private readonly client: EventBridgeClient,
    readonly eventBusName: string,
    /** `PutEvents` calls in flight at once: a month-end run may convert thousands of WorkSpaces. */
    private readonly concurrency = 4,
  ) {}

  /**
   * Sends every batch of 10, even after a failure, then rejects naming the
   * entries that failed (per-entry `ErrorCode`s and failed calls).
   */
  async publish(events: readonly OptimizerEvent[]): Promise<void> {
    const batches: OptimizerEvent[][] = [];
    for (let start = 0; start < events.length; start += MAX_ENTRIES_PER_CALL)
      batches.push(events.slice(start, start + MAX_ENTRIES_PER_CALL));
    const limit = pLimit(this.concurrency);
    const perBatch = await Promise.all(batches.map((batch) => limit(() => this.send(batch))));
    const failed = perBatch.flat();
    if (failed.length > 0) {
      const failures = failed.map((failure) => failure.message);
      const named = failures.slice(0, NAMED_FAILURES).join('; ');
      const more = failures.length > NAMED_FAILURES ? ` and ${failures.length - NAMED_FAILURES} more` : '';
      throw new EventPublishError(
        `${failures.length} of ${events.length} events were not published to ${this.eventBusName}: ${named}${more}`,
        failures,
        failed.flatMap((failure) => (failure.event ? [failure.event] : [])),
      );
    }
  }

  /** One `PutEvents` call; resolves to the failures of its entries (none when all were accepted). */
  private async send(
    batch: readonly OptimizerEvent[],
  ): Promise<{ event: OptimizerEvent | undefined; message: string }[]> {
    const entries: PutEventsRequestEntry[] = batch.map((event) => ({
      Source: OPTIMIZER_EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      EventBusName: this.eventBusName,
      // A conversion's event (applied or failed) carries the conversion's time T, whenever
      // it is (re)published from the ledger: the audit files it under T's date, once.
      ...(event.detailType === OptimizerDetailType.RUN_COMPLETED
        ? {}
        : { Time: new Date(event.detail.asOf) }),
    }));
    try {
      const response = await this.client.send(new PutEventsCommand({ Entries: entries }));
      // Results are positional: entry i of the response is event i of the request.
      const failures = (response.Entries ?? []).flatMap((result, index) =>
        result.ErrorCode
          ? [
              {
                event: batch[index],
                message: `${describe(batch[index])}: ${result.ErrorCode} ${result.ErrorMessage ?? ''}`.trim(),
              },
            ]
          : [],
      );
      // Without per-entry codes nobody can tell which went out: count the whole batch as not published.
      if ((response.FailedEntryCount ?? 0) > 0 && failures.length === 0)
        return batch.map((event) => ({
          event,
          message: `${describe(event)}: ${response.FailedEntryCount} entries of its batch failed without an error code`,
        }));
      return failures;
    } catch (error) {
      return batch.map((event) => ({ event, message: `${describe(event)}: ${errorMessage(error)}` }));
    }
  }
}

function describe(event: OptimizerEvent | undefined): string {
  if (!event) return 'unknown entry';
  return 'workspaceId' in event.detail ? `${event.detailType} ${event.detail.workspaceId}` : event.detailType;
}
