import type { Column } from '../report/csv.js';
import { toCsv } from '../report/csv.js';
import { textTable } from '../shared/text-table.js';
import type { EventAuditRecord } from './audit-record.js';
import { AuditKind } from './audit-record.js';

export const AuditFormat = {
  TABLE: 'table',
  CSV: 'csv',
  JSON: 'json',
} as const;
export type AuditFormat = (typeof AuditFormat)[keyof typeof AuditFormat];

type OfKind<K extends EventAuditRecord['kind']> = Extract<EventAuditRecord, { kind: K }>;

/** A field of one kind, blank on the records of other kinds. */
function of<K extends EventAuditRecord['kind']>(
  kind: K,
  cell: (record: OfKind<K>) => string | number | boolean | null,
): (record: EventAuditRecord) => string {
  return (record) => {
    if (record.kind !== kind) return '';
    const value = cell(record as OfKind<K>);
    return value === null ? '' : String(value);
  };
}

/** A field of conversions, applied or failed: both records have it. */
function ofConversion(
  cell: (record: OfKind<'conversion'> | OfKind<'conversion_failed'>) => string | number,
): (record: EventAuditRecord) => string {
  return (record) =>
    record.kind === AuditKind.CONVERSION || record.kind === AuditKind.CONVERSION_FAILED
      ? String(cell(record))
      : '';
}

/** The CSV columns: common fields, then each kind's own (blank elsewhere). */
export const AUDIT_CSV_COLUMNS: readonly Column<EventAuditRecord>[] = [
  { header: 'time', cell: (record) => record.time },
  { header: 'kind', cell: (record) => record.kind },
  { header: 'workspace_id', cell: (record) => record.workspaceId ?? '' },
  { header: 'directory_id', cell: (record) => record.directoryId ?? '' },
  { header: 'account', cell: (record) => record.account },
  { header: 'region', cell: (record) => record.region },
  { header: 'event_id', cell: (record) => record.eventId },
  { header: 'login_time', cell: of(AuditKind.LOGIN, (record) => record.loginTime) },
  { header: 'client_ip_address', cell: of(AuditKind.LOGIN, (record) => record.clientIpAddress) },
  { header: 'client_platform', cell: of(AuditKind.LOGIN, (record) => record.clientPlatform) },
  { header: 'client_product', cell: of(AuditKind.LOGIN, (record) => record.workspacesClientProductName) },
  { header: 'client_version', cell: of(AuditKind.LOGIN, (record) => record.clientVersion) },
  { header: 'from_mode', cell: ofConversion((record) => record.fromMode) },
  { header: 'to_mode', cell: ofConversion((record) => record.toMode) },
  { header: 'billable_hours', cell: ofConversion((record) => record.billableHours) },
  { header: 'threshold_hours', cell: ofConversion((record) => record.thresholdHours) },
  { header: 'reason', cell: ofConversion((record) => record.reason) },
  {
    header: 'as_of',
    cell: (record) => (record.kind === AuditKind.LOGIN ? '' : record.asOf),
  },
  { header: 'dry_run', cell: of(AuditKind.RUN, (record) => record.dryRun) },
  { header: 'workspaces', cell: of(AuditKind.RUN, (record) => record.workspaces) },
  { header: 'applied', cell: of(AuditKind.RUN, (record) => record.outcomes.APPLIED ?? 0) },
  { header: 'failed', cell: of(AuditKind.RUN, (record) => record.outcomes.FAILED ?? 0) },
  // After the columns above, so their positions stay.
  { header: 'attempt', cell: of(AuditKind.CONVERSION_FAILED, (record) => record.attempt) },
  {
    header: 'error',
    cell: (record) =>
      record.kind === AuditKind.CONVERSION_FAILED || record.kind === AuditKind.UNUSED_REMOVAL
        ? (record.error ?? '')
        : '',
  },
  { header: 'removal_action', cell: of(AuditKind.UNUSED_REMOVAL, (record) => record.action) },
  { header: 'removal_outcome', cell: of(AuditKind.UNUSED_REMOVAL, (record) => record.outcome) },
  { header: 'months_unused', cell: of(AuditKind.UNUSED_REMOVAL, (record) => record.monthsUnused) },
];

/**
 * Renders records (already sorted) for people (`table`), spreadsheets (`csv`,
 * RFC 4180) or programs (`json`: an array of the stored records).
 */
export function formatAuditRecords(records: readonly EventAuditRecord[], format: AuditFormat): string {
  switch (format) {
    case AuditFormat.JSON:
      return `${JSON.stringify(records, null, 2)}\n`;
    case AuditFormat.CSV:
      return toCsv(AUDIT_CSV_COLUMNS, records);
    case AuditFormat.TABLE:
      return table(records);
  }
}

const TABLE_HEADERS = ['TIME', 'KIND', 'WORKSPACE', 'DIRECTORY', 'ACCOUNT', 'REGION', 'DETAILS'] as const;

function table(records: readonly EventAuditRecord[]): string {
  if (records.length === 0) return 'No audit records match.\n';
  const rows = records.map((record) => [
    record.time.replace(/\.000Z$/, 'Z'),
    record.kind,
    record.workspaceId ?? '-',
    record.directoryId ?? '-',
    record.account,
    record.region,
    details(record),
  ]);
  return textTable(TABLE_HEADERS, rows);
}

/** The kind's own fields, in one readable cell. */
function details(record: EventAuditRecord): string {
  switch (record.kind) {
    case AuditKind.LOGIN: {
      const client = [record.workspacesClientProductName, record.clientVersion].filter(Boolean).join(' ');
      return `login from ${record.clientIpAddress || 'unknown address'} with ${client} on ${record.clientPlatform}`;
    }
    case AuditKind.CONVERSION:
      return `${record.fromMode} -> ${record.toMode}: ${record.billableHours} h billable, threshold ${record.thresholdHours} h (${record.reason})`;
    case AuditKind.CONVERSION_FAILED:
      return `FAILED ${record.fromMode} -> ${record.toMode} (attempt ${record.attempt}): ${record.error}`;
    case AuditKind.RUN: {
      const applied = record.outcomes.APPLIED ?? 0;
      const failed = record.outcomes.FAILED ?? 0;
      return `${record.dryRun ? 'dry run' : 'run'} as of ${record.asOf}: ${record.workspaces} WorkSpaces, ${applied} applied, ${failed} failed${record.monthEnd ? ', month end' : ''}`;
    }
    case AuditKind.UNUSED_REMOVAL:
      return `${record.outcome === 'DONE' ? '' : 'FAILED '}${record.action} of a WorkSpace unused ${record.monthsUnused} months (${record.userName})${record.error ? `: ${record.error}` : ''}`;
  }
}
