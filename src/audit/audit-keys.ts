import { createHash } from 'node:crypto';
import type { AuditKind } from './audit-record.js';

/** Where all audit objects live, in the bucket and in the local folder. */
export const AUDIT_PREFIX = 'audit/';
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/**
 * Hive-style keys, so Athena can prune by kind and date:
 * `audit/kind=<kind>/dt=<YYYY-MM-DD>/<name>.ndjson`, `dt` being the UTC date
 * of the records' time.
 */
export const auditKeys = {
  kindPrefix(kind: AuditKind): string {
    return `${AUDIT_PREFIX}kind=${kind}/`;
  },
  partitionPrefix(kind: AuditKind, dt: string): string {
    return `${auditKeys.kindPrefix(kind)}dt=${dt}/`;
  },
  /**
   * The object for the records of `messageIds` in one partition. Derived from
   * the sorted ids only, so a redelivered batch overwrites its own object
   * instead of adding a copy.
   */
  object(kind: AuditKind, dt: string, messageIds: readonly string[]): string {
    const digest = createHash('sha256')
      .update([...messageIds].sort().join('\n'))
      .digest('hex');
    return `${auditKeys.partitionPrefix(kind, dt)}${digest.slice(0, 32)}.ndjson`;
  },
  /**
   * The object of one ledger conversion: named after its record id, so a
   * redelivered or republished event overwrites itself. The event's time is the
   * conversion's `T`, so every delivery lands in the same `dt=` partition.
   */
  conversion(dt: string, recordId: string): string {
    return recordObject('conversion', dt, recordId);
  },
  /** The object of one failed attempt at a ledger conversion: its record id and attempt, kept once. */
  conversionFailure(dt: string, recordId: string, attempt: number): string {
    return recordObject('conversion_failed', dt, `${recordId}#${attempt}`);
  },
  /** The object of one removal attempt of an unused WorkSpace: its ledger record id, kept once. */
  unusedRemoval(dt: string, recordId: string): string {
    return recordObject('unused_removal', dt, recordId);
  },
  /** The `dt` of a key under `kindPrefix`, or `undefined` if the key is not a partition object. */
  dtOf(key: string): string | undefined {
    return /\/dt=(\d{4}-\d{2}-\d{2})\/[^/]+\.ndjson$/.exec(key)?.[1];
  },
};

/** The one object of a record kept once: named after its identity, in its kind's `dt=` partition. */
function recordObject(kind: AuditKind, dt: string, identity: string): string {
  const digest = createHash('sha256').update(identity).digest('hex');
  return `${auditKeys.partitionPrefix(kind, dt)}${digest.slice(0, 32)}.ndjson`;
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function utcDate(time: Date | string): string {
  return new Date(time).toISOString().slice(0, 10);
}
