import { z } from 'zod';
import { Action, Outcome, Reason } from '../billing/index.js';

/** The EventBridge `source` of every event wco publishes. */
export const OPTIMIZER_EVENT_SOURCE = 'wco.optimizer';

export const OptimizerDetailType = {
  MODE_CHANGED: 'WorkSpace Running Mode Changed',
  MODE_CHANGE_FAILED: 'WorkSpace Running Mode Change Failed',
  RUN_COMPLETED: 'Optimizer Run Completed',
  UNUSED_LISTED: 'WorkSpaces Unused Listed',
  UNUSED_REMOVED: 'Unused WorkSpace Removed',
  UNUSED_REMOVAL_FAILED: 'Unused WorkSpace Removal Failed',
} as const;
export type OptimizerDetailType = (typeof OptimizerDetailType)[keyof typeof OptimizerDetailType];

const convertibleMode = z.enum(['AUTO_STOP', 'ALWAYS_ON']);

/** Detail of `WorkSpace Running Mode Changed`: one per conversion with outcome `APPLIED`. */
export const ModeChangedDetail = z.object({
  workspaceId: z.string().min(1),
  directoryId: z.string(),
  account: z.string(),
  region: z.string(),
  fromMode: convertibleMode,
  toMode: convertibleMode,
  billableHours: z.number().int().nonnegative(),
  thresholdHours: z.number().nonnegative(),
  reason: z.enum(Object.values(Reason) as [Reason, ...Reason[]]),
  asOf: z.iso.datetime(),
  /**
   * The conversion ledger's record id: the audit keeps one conversion per id
   * however often the event is delivered or republished. Absent only in events
   * of versions before the ledger.
   */
  recordId: z.string().min(1).optional(),
});
export type ModeChangedDetail = z.infer<typeof ModeChangedDetail>;

/**
 * Detail of `WorkSpace Running Mode Change Failed`: one per failed attempt at
 * a conversion the ledger holds as `FAILED`, with the error (e.g. an SCP's
 * AccessDenied). The audit keeps one record per record id and attempt.
 */
export const ModeChangeFailedDetail = ModeChangedDetail.extend({
  recordId: z.string().min(1),
  /** Which attempt at the month's conversion failed (the ledger entry's `attempts`). */
  attempt: z.number().int().positive(),
  error: z.string(),
});
export type ModeChangeFailedDetail = z.infer<typeof ModeChangeFailedDetail>;

const countsBy = <T extends string>(keys: readonly T[]) =>
  z.object(
    Object.fromEntries(keys.map((key) => [key, z.number().int().nonnegative()])) as Record<T, z.ZodNumber>,
  );

/** Detail of `Optimizer Run Completed`: one per run, with its counts and report keys. */
export const RunCompletedDetail = z.object({
  account: z.string(),
  asOf: z.iso.datetime(),
  dryRun: z.boolean(),
  monthEnd: z.boolean(),
  regions: z.array(z.string()),
  workspaces: z.number().int().nonnegative(),
  actions: countsBy(Object.values(Action)),
  outcomes: countsBy(Object.values(Outcome)),
  skipped: z.record(z.string(), z.number().int().nonnegative()),
  errors: z.number().int().nonnegative(),
  problems: z.number().int().nonnegative(),
  reportKeys: z.array(z.string()),
});
export type RunCompletedDetail = z.infer<typeof RunCompletedDetail>;

/** At most this many WorkSpaces are named in one `WorkSpaces Unused Listed` event (EventBridge takes 256 KB). */
export const UNUSED_LISTED_MAX_ITEMS = 100;

/**
 * Detail of `WorkSpaces Unused Listed`: one per run that lists WorkSpaces as
 * unused for the first time this month, so owners hear of them (the stack
 * routes it to its SNS topic) at least one run before any is removed.
 */
export const UnusedListedDetail = z.object({
  account: z.string(),
  asOf: z.iso.datetime(),
  month: z.string(),
  months: z.number().int().positive(),
  removal: z.boolean(),
  /** Every WorkSpace listed this month so far, and the ones this run listed first. */
  listed: z.number().int().nonnegative(),
  newlyListed: z.number().int().nonnegative(),
  monthlyWaste: z.record(z.string(), z.string()),
  workspaces: z
    .array(
      z.object({
        workspaceId: z.string(),
        account: z.string(),
        region: z.string(),
        userName: z.string(),
        monthsUnused: z.number().int().nonnegative(),
      }),
    )
    .max(UNUSED_LISTED_MAX_ITEMS),
  reportKey: z.string().optional(),
  /**
   * The listing's id (`unused-listed/<T>` of the run that listed them): the
   * same however often the event is republished. Absent in events from before the outbox.
   */
  listingId: z.string().min(1).optional(),
});
export type UnusedListedDetail = z.infer<typeof UnusedListedDetail>;

/** Detail of `Unused WorkSpace Removed` and `... Removal Failed`: one per removal wco made or tried. */
export const UnusedRemovalDetail = z.object({
  workspaceId: z.string().min(1),
  directoryId: z.string(),
  account: z.string(),
  region: z.string(),
  userName: z.string(),
  action: z.enum(['TERMINATE', 'STOP', 'TO_AUTO_STOP']),
  monthsUnused: z.number().int().nonnegative(),
  asOf: z.iso.datetime(),
  error: z.string().optional(),
  /**
   * The unused ledger's id of the removal attempt: the audit keeps one record
   * per id however often the event is delivered or republished. Absent only in
   * events from before the outbox.
   */
  recordId: z.string().min(1).optional(),
});
export type UnusedRemovalDetail = z.infer<typeof UnusedRemovalDetail>;

export type OptimizerEvent =
  | { readonly detailType: typeof OptimizerDetailType.MODE_CHANGED; readonly detail: ModeChangedDetail }
  | {
      readonly detailType: typeof OptimizerDetailType.MODE_CHANGE_FAILED;
      readonly detail: ModeChangeFailedDetail;
    }
  | { readonly detailType: typeof OptimizerDetailType.RUN_COMPLETED; readonly detail: RunCompletedDetail }
  | { readonly detailType: typeof OptimizerDetailType.UNUSED_LISTED; readonly detail: UnusedListedDetail }
  | {
      readonly detailType:
        typeof OptimizerDetailType.UNUSED_REMOVED | typeof OptimizerDetailType.UNUSED_REMOVAL_FAILED;
      readonly detail: UnusedRemovalDetail;
    };

/** Where optimizer events go: EventBridge in AWS, the local audit folder in the demo. */
export interface EventSink {
  /** Rejects when any event could not be published. */
  publish(events: readonly OptimizerEvent[]): Promise<void>;
}
