import type { z } from 'zod';
import {
  ModeChangedDetail,
  ModeChangeFailedDetail,
  OPTIMIZER_EVENT_SOURCE,
  OptimizerDetailType,
  RunCompletedDetail,
  UnusedRemovalDetail,
} from '../ports/event-sink.js';
import type { AuditRecord, EventAuditRecord, RejectedAuditRecord } from './audit-record.js';
import { AuditKind } from './audit-record.js';
import {
  EventBridgeEnvelope,
  normalizeDirectoryId,
  WORKSPACES_ACCESS_DETAIL_TYPE,
  WORKSPACES_EVENT_SOURCE,
  WorkSpacesAccessDetail,
} from './audit-source-event.js';

/** One queued event: an SQS message whose body is the EventBridge event. */
export interface AuditMessage {
  readonly messageId: string;
  readonly body: string;
  /** When the queue got the message (SQS `SentTimestamp`); dates a rejected record. */
  readonly receivedAt: Date;
}

/** EventBridge refuses entries over 256 KiB, so a bigger body is not an event we could have been sent. */
export const MAX_EVENT_BODY_BYTES = 256 * 1024;
/** How much of an oversized body a rejected record keeps. */
export const REJECTED_BODY_PREVIEW_BYTES = 16 * 1024;

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * Validates one queued event and turns it into its audit record: `login`,
 * `conversion` or `run`, or `rejected` with the raw body and the reason when
 * the body is oversized, not JSON, not an EventBridge event, of an unknown
 * detail-type or with a bad `detail`. Never throws.
 *
 * @example
 * normalizeAuditMessage({ messageId: 'm-1', body: '{}', receivedAt: new Date() }).kind // 'rejected'
 */
export function normalizeAuditMessage(message: AuditMessage): AuditRecord {
  let parsed: Parsed<EventAuditRecord>;
  try {
    parsed = parseEvent(message.body);
  } catch (error) {
    // Validation should make this unreachable; if it is not, the event is still kept.
    parsed = { ok: false, reason: `could not be normalized: ${(error as Error).message}` };
  }
  return parsed.ok ? parsed.value : rejected(message, parsed.reason);
}

function parseEvent(body: string): Parsed<EventAuditRecord> {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_EVENT_BODY_BYTES)
    return { ok: false, reason: `body is ${bytes} bytes, over the ${MAX_EVENT_BODY_BYTES}-byte event limit` };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${(error as Error).message}` };
  }
  const envelope = check(EventBridgeEnvelope, json, '');
  if (!envelope.ok) return envelope;
  const event = envelope.value;
  const source = event.source;
  const detailType = event['detail-type'];
  const common = {
    eventId: event.id,
    time: new Date(event.time).toISOString(),
    source,
    detailType,
  };

  if (source === WORKSPACES_EVENT_SOURCE && detailType === WORKSPACES_ACCESS_DETAIL_TYPE) {
    const detail = check(WorkSpacesAccessDetail, event.detail, 'detail.');
    if (!detail.ok) return detail;
    const login = detail.value;
    return {
      ok: true,
      value: {
        ...common,
        kind: AuditKind.LOGIN,
        account: event.account,
        region: event.region,
        workspaceId: login.workspaceId,
        directoryId: normalizeDirectoryId(login.directoryId),
        directoryIdRaw: login.directoryId,
        loginTime: new Date(login.loginTime).toISOString(),
        clientIpAddress: login.clientIpAddress,
        clientPlatform: login.clientPlatform,
        workspacesClientProductName: login.workspacesClientProductName,
        clientVersion: login.clientVersion ?? null,
        actionType: login.actionType,
      },
    };
  }
  if (source === OPTIMIZER_EVENT_SOURCE && detailType === OptimizerDetailType.MODE_CHANGED) {
    const detail = check(ModeChangedDetail, event.detail, 'detail.');
    if (!detail.ok) return detail;
    const change = detail.value;
    return {
      ok: true,
      value: {
        ...common,
        kind: AuditKind.CONVERSION,
        ...conversionFields(change),
        ...(change.recordId === undefined ? {} : { recordId: change.recordId }),
      },
    };
  }
  if (source === OPTIMIZER_EVENT_SOURCE && detailType === OptimizerDetailType.MODE_CHANGE_FAILED) {
    const detail = check(ModeChangeFailedDetail, event.detail, 'detail.');
    if (!detail.ok) return detail;
    const failure = detail.value;
    return {
      ok: true,
      value: {
        ...common,
        kind: AuditKind.CONVERSION_FAILED,
        ...conversionFields(failure),
        recordId: failure.recordId,
        attempt: failure.attempt,
        error: failure.error,
      },
    };
  }
  if (source === OPTIMIZER_EVENT_SOURCE && detailType === OptimizerDetailType.RUN_COMPLETED) {
    const detail = check(RunCompletedDetail, event.detail, 'detail.');
    if (!detail.ok) return detail;
    const run = detail.value;
    return {
      ok: true,
      value: {
        ...common,
        kind: AuditKind.RUN,
        account: run.account,
        region: event.region,
        workspaceId: null,
        directoryId: null,
        asOf: run.asOf,
        dryRun: run.dryRun,
        monthEnd: run.monthEnd,
        regions: run.regions,
        workspaces: run.workspaces,
        actions: run.actions,
        outcomes: run.outcomes,
        skipped: run.skipped,
        errors: run.errors,
        problems: run.problems,
        reportKeys: run.reportKeys,
      },
    };
  }
  if (
    source === OPTIMIZER_EVENT_SOURCE &&
    (detailType === OptimizerDetailType.UNUSED_REMOVED ||
      detailType === OptimizerDetailType.UNUSED_REMOVAL_FAILED)
  ) {
    const detail = check(UnusedRemovalDetail, event.detail, 'detail.');
    if (!detail.ok) return detail;
    const removal = detail.value;
    return {
      ok: true,
      value: {
        ...common,
        kind: AuditKind.UNUSED_REMOVAL,
        account: removal.account,
        region: removal.region,
        workspaceId: removal.workspaceId,
        directoryId: removal.directoryId,
        userName: removal.userName,
        action: removal.action,
        monthsUnused: removal.monthsUnused,
        asOf: removal.asOf,
        outcome: detailType === OptimizerDetailType.UNUSED_REMOVED ? 'DONE' : 'FAILED',
        error: removal.error ?? null,
        ...(removal.recordId === undefined ? {} : { recordId: removal.recordId }),
      },
    };
  }
  return {
    ok: false,
    reason: `unknown event: source ${JSON.stringify(source)}, detail-type ${JSON.stringify(detailType)}`,
  };
}

/** What a conversion record says, applied or failed. */
function conversionFields(change: ModeChangedDetail) {
  return {
    // The WorkSpace's own account and region, which may differ from the publisher's.
    account: change.account,
    region: change.region,
    workspaceId: change.workspaceId,
    directoryId: normalizeDirectoryId(change.directoryId),
    fromMode: change.fromMode,
    toMode: change.toMode,
    billableHours: change.billableHours,
    thresholdHours: change.thresholdHours,
    reason: change.reason,
    asOf: change.asOf,
  };
}

function check<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  prefix: string,
): Parsed<z.output<Schema>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const reason = parsed.error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return `${path === '' ? prefix.replace(/\.$/, '') || 'event' : `${prefix}${path}`}: ${issue.message}`;
    })
    .join('; ');
  return { ok: false, reason };
}

function rejected(message: AuditMessage, reason: string): RejectedAuditRecord {
  const bodyBytes = Buffer.byteLength(message.body, 'utf8');
  const bodyTruncated = bodyBytes > MAX_EVENT_BODY_BYTES;
  return {
    kind: AuditKind.REJECTED,
    messageId: message.messageId,
    time: message.receivedAt.toISOString(),
    reason,
    body: bodyTruncated
      ? Buffer.from(message.body, 'utf8').subarray(0, REJECTED_BODY_PREVIEW_BYTES).toString('utf8')
      : message.body,
    bodyBytes,
    bodyTruncated,
  };
}
