import { errorMessage } from '../shared/errors.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { AuditRecord } from './audit-record.js';
import { AuditKind } from './audit-record.js';
import { auditKeys, NDJSON_CONTENT_TYPE, utcDate } from './audit-keys.js';

/** A record with the id of the message that carried it. */
export interface AuditEntry {
  readonly messageId: string;
  readonly record: AuditRecord;
}

export interface AuditObject {
  readonly key: string;
  readonly messageIds: readonly string[];
}

export interface AuditWriteFailure extends AuditObject {
  readonly error: string;
}

export interface AuditWriteResult {
  readonly written: readonly AuditObject[];
  readonly failures: readonly AuditWriteFailure[];
}

/**
 * Groups the entries by partition (kind, UTC date) and writes one NDJSON
 * object per partition. A failed write fails only its own partition's
 * messages; the others are still written. Never rejects.
 */
export async function writeAuditRecords(
  store: ObjectStore,
  entries: readonly AuditEntry[],
): Promise<AuditWriteResult> {
  const objects = auditObjects(entries);
  const settled = await Promise.allSettled(
    objects.map((object) => store.put(object.key, object.body, NDJSON_CONTENT_TYPE)),
  );
  const written: AuditObject[] = [];
  const failures: AuditWriteFailure[] = [];
  settled.forEach((outcome, index) => {
    const { key, messageIds } = objects[index]!;
    if (outcome.status === 'fulfilled') written.push({ key, messageIds });
    else failures.push({ key, messageIds, error: errorMessage(outcome.reason) });
  });
  return { written, failures };
}

/**
 * The object key of a record that is kept once however many deliveries carry
 * it: a ledger conversion (by its record id), a failed attempt at one (by
 * record id and attempt) and a removal of an unused WorkSpace (by its record id), dated by the first delivery. `undefined` for the rest.
 */
function ledgerObjectKey(record: AuditRecord, dt: string): string | undefined {
  if (record.kind === AuditKind.CONVERSION && record.recordId !== undefined)
    return auditKeys.conversion(dt, record.recordId);
  if (record.kind === AuditKind.CONVERSION_FAILED)
    return auditKeys.conversionFailure(dt, record.recordId, record.attempt);
  if (record.kind === AuditKind.UNUSED_REMOVAL && record.recordId !== undefined)
    return auditKeys.unusedRemoval(dt, record.recordId);
  return undefined;
}

/**
 * The objects `entries` make, pure: one per ledger conversion or failed
 * attempt (named by its record id, holding it once however many deliveries
 * carried it), and one per partition for everything else, lines sorted by time
 * then event/message id, so the same entries always give the same bytes.
 */
export function auditObjects(entries: readonly AuditEntry[]): (AuditObject & { readonly body: string })[] {
  const byRecordId = new Map<string, AuditEntry[]>();
  const partitions = new Map<string, AuditEntry[]>();
  for (const entry of entries) {
    const { record } = entry;
    // The identity is the key the record would get on any date; its real key uses the first delivery's.
    const identity = ledgerObjectKey(record, '');
    const [groups, group] =
      identity !== undefined
        ? [byRecordId, identity]
        : [partitions, auditKeys.partitionPrefix(record.kind, utcDate(record.time))];
    const members = groups.get(group) ?? [];
    members.push(entry);
    groups.set(group, members);
  }
  const sorted = (members: readonly AuditEntry[]) =>
    members
      .slice()
      .sort((a, b) => compare(a.record.time, b.record.time) || compare(a.messageId, b.messageId));
  const conversions = [...byRecordId.values()].map((members) => {
    const first = sorted(members)[0]!;
    return {
      key: ledgerObjectKey(first.record, utcDate(first.record.time))!,
      messageIds: members.map((member) => member.messageId),
      body: `${JSON.stringify(first.record)}\n`,
    };
  });
  const others = [...partitions.values()].map((members) => {
    const { kind, time } = members[0]!.record;
    const messageIds = members.map((member) => member.messageId);
    const lines = sorted(members).map((member) => `${JSON.stringify(member.record)}\n`);
    return { key: auditKeys.object(kind, utcDate(time), messageIds), messageIds, body: lines.join('') };
  });
  return [...conversions, ...others];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
