import { z } from 'zod';

/** What an audit record is about; the `kind=` partition of its S3 key. */
export const AuditKind = {
  LOGIN: 'login',
  CONVERSION: 'conversion',
  /** A conversion wco tried and that failed (the AWS error with it). */
  CONVERSION_FAILED: 'conversion_failed',
  RUN: 'run',
  /** An unused WorkSpace wco removed, or tried to (docs/unused.md). */
  UNUSED_REMOVAL: 'unused_removal',
  /** An event that failed validation, kept with its raw body and the reason. */
  REJECTED: 'rejected',
} as const;
export type AuditKind = (typeof AuditKind)[keyof typeof AuditKind];

/** The kinds a valid event normalizes to (everything but `rejected`). */
export const EVENT_KINDS = [
  AuditKind.LOGIN,
  AuditKind.CONVERSION,
  AuditKind.CONVERSION_FAILED,
  AuditKind.RUN,
  AuditKind.UNUSED_REMOVAL,
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();

/** Fields every record of a valid event has. */
const commonFields = {
  /** The EventBridge event `id`: the same event delivered twice has the same id. */
  eventId: z.string().min(1),
  /** The EventBridge event `time` (ISO 8601 UTC); its UTC date is the `dt=` partition. */
  time: isoTime,
  account: z.string(),
  region: z.string(),
  source: z.string(),
  detailType: z.string(),
};

/** A successful login (`aws.workspaces` / `WorkSpaces Access`). */
export const LoginAuditRecord = z.object({
  ...commonFields,
  kind: z.literal(AuditKind.LOGIN),
  workspaceId: z.string().min(1),
  /** Normalized to `d-…`; the event sends `d-…` or `domain/d-…`. */
  directoryId: z.string().min(1),
  /** `directoryId` exactly as the event sent it. */
  directoryIdRaw: z.string(),
  loginTime: isoTime,
  /** WAN address of the client; may be empty. */
  clientIpAddress: z.string(),
  clientPlatform: z.string(),
  workspacesClientProductName: z.string(),
  /** Absent from events of older clients. */
  clientVersion: z.string().nullable(),
  actionType: z.string(),
});
export type LoginAuditRecord = z.infer<typeof LoginAuditRecord>;

const convertibleMode = z.enum(['AUTO_STOP', 'ALWAYS_ON']);

/** A running-mode change wco applied (`wco.optimizer` / `WorkSpace Running Mode Changed`). */
export const ConversionAuditRecord = z.object({
  ...commonFields,
  kind: z.literal(AuditKind.CONVERSION),
  workspaceId: z.string().min(1),
  directoryId: z.string(),
  fromMode: convertibleMode,
  toMode: convertibleMode,
  billableHours: count,
  thresholdHours: z.number().nonnegative(),
  reason: z.string(),
  /** The evaluation time `T` of the run that made the change. */
  asOf: isoTime,
  /** The conversion ledger's record id: one record per id in the audit trail (absent before the ledger). */
  recordId: z.string().min(1).optional(),
});
export type ConversionAuditRecord = z.infer<typeof ConversionAuditRecord>;

/**
 * A conversion wco tried and that failed (`wco.optimizer` / `WorkSpace Running
 * Mode Change Failed`): one record per ledger record id and attempt.
 */
export const ConversionFailedAuditRecord = ConversionAuditRecord.extend({
  kind: z.literal(AuditKind.CONVERSION_FAILED),
  recordId: z.string().min(1),
  attempt: z.number().int().positive(),
  /** The error `ModifyWorkspaceProperties` gave, e.g. an SCP's AccessDenied. */
  error: z.string(),
});
export type ConversionFailedAuditRecord = z.infer<typeof ConversionFailedAuditRecord>;

/** One optimizer run (`wco.optimizer` / `Optimizer Run Completed`). */
export const RunAuditRecord = z.object({
  ...commonFields,
  kind: z.literal(AuditKind.RUN),
  workspaceId: z.null(),
  directoryId: z.null(),
  asOf: isoTime,
  dryRun: z.boolean(),
  monthEnd: z.boolean(),
  regions: z.array(z.string()),
  workspaces: count,
  actions: z.record(z.string(), count),
  outcomes: z.record(z.string(), count),
  skipped: z.record(z.string(), count),
  errors: count,
  problems: count,
  reportKeys: z.array(z.string()),
});
export type RunAuditRecord = z.infer<typeof RunAuditRecord>;

/**
 * A removal of an unused WorkSpace (`wco.optimizer` / `Unused WorkSpace
 * Removed` or `... Removal Failed`): what was done, to which WorkSpace, and why not.
 */
export const UnusedRemovalAuditRecord = z.object({
  ...commonFields,
  kind: z.literal(AuditKind.UNUSED_REMOVAL),
  workspaceId: z.string().min(1),
  directoryId: z.string(),
  userName: z.string(),
  /** `TERMINATE`, `STOP` or `TO_AUTO_STOP`. */
  action: z.string(),
  monthsUnused: count,
  asOf: isoTime,
  outcome: z.enum(['DONE', 'FAILED']),
  error: z.string().nullable(),
  /** The unused ledger's id of the removal attempt: one record per id (absent before the outbox). */
  recordId: z.string().min(1).optional(),
});
export type UnusedRemovalAuditRecord = z.infer<typeof UnusedRemovalAuditRecord>;

/** An event that failed validation: kept, never retried forever, never dropped. */
export const RejectedAuditRecord = z.object({
  kind: z.literal(AuditKind.REJECTED),
  /** The SQS message id (the event may not even have an id). */
  messageId: z.string(),
  /** When SQS received the message; its UTC date is the `dt=` partition. */
  time: isoTime,
  /** Why it was rejected, naming the offending fields. */
  reason: z.string(),
  /** The raw message body, cut to its first bytes when it was oversized. */
  body: z.string(),
  bodyBytes: count,
  bodyTruncated: z.boolean(),
});
export type RejectedAuditRecord = z.infer<typeof RejectedAuditRecord>;

/** The record of a valid event. */
export const EventAuditRecord = z.discriminatedUnion('kind', [
  LoginAuditRecord,
  ConversionAuditRecord,
  ConversionFailedAuditRecord,
  RunAuditRecord,
  UnusedRemovalAuditRecord,
]);
export type EventAuditRecord = z.infer<typeof EventAuditRecord>;

export type AuditRecord = EventAuditRecord | RejectedAuditRecord;
