import { z } from 'zod';
import { instantSetting } from '../config/settings.js';
import { ErrorDisposition, WcoError } from '../shared/errors.js';

/** What the optimizer takes from its EventBridge schedule event. */
export interface ScheduledRun {
  /** `T`: the event's `time`, the instant the schedule fired (not when the Lambda started). */
  readonly asOf: Date;
  /** The account the rule fired in; the Lambda needs no STS call to learn it. */
  readonly account: string;
}

/** The invocation's event is not a usable schedule event; the run is not started. */
export class InvalidEventError extends WcoError {
  override readonly name = 'InvalidEventError';
  override readonly disposition = ErrorDisposition.BAD_INPUT;
  constructor(readonly problems: readonly string[]) {
    super(`invalid scheduled event:\n  ${problems.join('\n  ')}`);
  }
}

const scheduledEventSchema = z.object({
  time: z
    .string({ error: 'is missing: expected an ISO 8601 time like 2026-11-30T23:00:00Z' })
    .pipe(instantSetting),
  account: z
    .string({ error: 'is missing: expected a 12-digit AWS account id' })
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
});

/**
 * Reads `T` and the account from an EventBridge scheduled event.
 * @throws InvalidEventError naming every bad field.
 */
export function parseScheduledEvent(event: unknown): ScheduledRun {
  const parsed = z.object({}).loose().pipe(scheduledEventSchema).safeParse(event);
  if (!parsed.success)
    throw new InvalidEventError(
      parsed.error.issues.map((issue) =>
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : `event: ${issue.message}`,
      ),
    );
  return { asOf: parsed.data.time, account: parsed.data.account };
}
