import type { EventSink, OptimizerEvent } from '../ports/event-sink.js';
import { errorMessage } from '../shared/errors.js';

/** An event of an outbox, with the id of the record that marks it published. */
export interface TrackedEvent {
  readonly id: string;
  readonly event: OptimizerEvent;
}

/**
 * Publishes outbox events and says which went out: all, or, when the sink
 * names the events it could not publish (`EventPublishError.failedEvents`),
 * all but those. Rejects when it cannot tell: then none may be marked, and
 * all are sent again by the next run (the audit keeps each once by its id).
 */
export async function publishTracked(
  sink: EventSink,
  tracked: readonly TrackedEvent[],
): Promise<{ readonly sent: ReadonlySet<string>; readonly problem?: string | undefined }> {
  try {
    await sink.publish(tracked.map(({ event }) => event));
    return { sent: new Set(tracked.map(({ id }) => id)) };
  } catch (error) {
    const failed = failedEventsOf(error);
    if (failed === undefined) throw error;
    const failedIds = new Set(tracked.filter(({ event }) => failed.has(event)).map(({ id }) => id));
    return {
      sent: new Set(tracked.map(({ id }) => id).filter((id) => !failedIds.has(id))),
      problem: errorMessage(error),
    };
  }
}

/** The events the sink says it could not publish (the very objects it was given), if it says. */
function failedEventsOf(error: unknown): ReadonlySet<OptimizerEvent> | undefined {
  const failed = (error as { failedEvents?: unknown } | undefined)?.failedEvents;
  return Array.isArray(failed) && failed.length > 0 ? new Set(failed as OptimizerEvent[]) : undefined;
}
