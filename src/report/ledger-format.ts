import type { LedgerEntry } from '../app/ledger/ledger-entry.js';
import { LedgerStatus } from '../app/ledger/ledger-entry.js';
import { workspaceCostOf } from '../app/ledger/ledger-cost.js';
import type { Money } from '../billing/index.js';
import { formatCents } from '../billing/index.js';
import { compareText } from '../shared/compare-text.js';
import { textTable } from '../shared/text-table.js';
import type { Column } from './csv.js';
import { toCsv } from './csv.js';

export const LedgerFormat = { TABLE: 'table', CSV: 'csv', JSON: 'json' } as const;
export type LedgerFormat = (typeof LedgerFormat)[keyof typeof LedgerFormat];

const yesNo = (value: boolean) => (value ? 'yes' : 'no');
// Money with two decimals, as in the daily report; entries from before the split derive both savings.
const figuresOf = (entry: LedgerEntry) => workspaceCostOf(entry.cost, entry.action)?.figures;
const cents = (amount: Money | undefined) => (amount === undefined ? '' : formatCents(amount));

/** `wco ledger --format csv`: one row per conversion of the month. */
export const LEDGER_CSV_COLUMNS: readonly Column<LedgerEntry>[] = [
  { header: 'as_of', cell: (entry) => entry.asOf },
  { header: 'workspace_id', cell: (entry) => entry.workspaceId },
  { header: 'user_name', cell: (entry) => entry.userName },
  { header: 'account', cell: (entry) => entry.account },
  { header: 'region', cell: (entry) => entry.region },
  { header: 'directory_id', cell: (entry) => entry.directoryId },
  { header: 'compute_type', cell: (entry) => entry.computeType },
  { header: 'from_mode', cell: (entry) => entry.fromMode },
  { header: 'to_mode', cell: (entry) => entry.toMode },
  { header: 'billable_hours', cell: (entry) => String(entry.billableHours) },
  { header: 'threshold_hours', cell: (entry) => String(entry.thresholdHours) },
  { header: 'idle_timeout_minutes', cell: (entry) => String(entry.idleTimeoutMinutes) },
  { header: 'status', cell: (entry) => entry.status },
  { header: 'attempts', cell: (entry) => String(entry.attempts) },
  { header: 'error', cell: (entry) => entry.error ?? '' },
  { header: 'event_published', cell: (entry) => yesNo(entry.event.published) },
  { header: 'currency', cell: (entry) => entry.cost?.currency ?? '' },
  { header: 'estimated_monthly_savings', cell: (entry) => cents(figuresOf(entry)?.estimatedMonthlySavings) },
  { header: 'savings_this_month', cell: (entry) => cents(figuresOf(entry)?.savingsThisMonth) },
  {
    header: 'savings_per_month_from_next_month',
    cell: (entry) => cents(figuresOf(entry)?.savingsPerMonthFromNextMonth),
  },
  { header: 'claimed_at', cell: (entry) => entry.claimedAt },
  { header: 'settled_at', cell: (entry) => entry.settledAt ?? '' },
  { header: 'run_id', cell: (entry) => entry.runId },
  { header: 'record_id', cell: (entry) => entry.id },
];

/** The month's entries in the order they happened (then by WorkSpace). */
export function sortEntries(entries: readonly LedgerEntry[]): LedgerEntry[] {
  return [...entries].sort(
    (a, b) =>
      compareText(a.asOf, b.asOf) ||
      compareText(a.account, b.account) ||
      compareText(a.region, b.region) ||
      compareText(a.workspaceId, b.workspaceId),
  );
}

/**
 * What wco changed in a month, for people (`table`, with a count of what is
 * applied, failed, still claimed, and whose event has not reached the audit
 * trail), spreadsheets (`csv`) or programs (`json`: the stored entries).
 */
export function formatLedger(month: string, entries: readonly LedgerEntry[], format: LedgerFormat): string {
  const sorted = sortEntries(entries);
  switch (format) {
    case LedgerFormat.JSON:
      return `${JSON.stringify(sorted, null, 2)}\n`;
    case LedgerFormat.CSV:
      return toCsv(LEDGER_CSV_COLUMNS, sorted);
    case LedgerFormat.TABLE:
      return ledgerTable(month, sorted);
  }
}

const MODE = { AUTO_STOP: 'AutoStop', ALWAYS_ON: 'AlwaysOn' } as const;

function ledgerTable(month: string, entries: readonly LedgerEntry[]): string {
  if (entries.length === 0) return `No conversion recorded in ${month}.\n`;
  const rows = entries.map((entry) => [
    entry.asOf.replace(/:00\.000Z$/, 'Z'),
    entry.workspaceId,
    entry.userName,
    entry.region,
    `${MODE[entry.fromMode]} -> ${MODE[entry.toMode]}`,
    `${entry.billableHours} h / ${entry.thresholdHours} h`,
    // Applied and failed conversions both go to the audit trail; one in progress has nothing to send yet.
    entry.status === LedgerStatus.INTENDED ? '-' : yesNo(entry.event.published),
    entry.status === LedgerStatus.FAILED && entry.error ? `FAILED: ${entry.error}` : entry.status,
  ]);
  const count = (status: LedgerStatus) => entries.filter((entry) => entry.status === status).length;
  const unpublished = entries.filter(
    (entry) => entry.status !== LedgerStatus.INTENDED && !entry.event.published,
  );
  const totals = [
    `${entries.length} conversion(s) in ${month}: ${count(LedgerStatus.APPLIED)} applied, ${count(LedgerStatus.FAILED)} failed, ${count(LedgerStatus.INTENDED)} in progress`,
    unpublished.length === 0
      ? 'Every applied or failed conversion reached the audit trail.'
      : `${unpublished.length} applied or failed conversion(s) not yet in the audit trail: the next applying run publishes them.`,
  ];
  return `${textTable(['T', 'WORKSPACE', 'USER', 'REGION', 'CHANGE', 'HOURS / THRESHOLD', 'AUDITED', 'STATUS'], rows)}${totals.join('\n')}\n`;
}
