import type { Money } from '../billing/index.js';
import { formatCents } from '../billing/index.js';
import type { MonthlySummary, SummaryGroup } from '../app/monthly-summary.js';
import { rollUp } from '../app/monthly-summary.js';
import type { Column } from './csv.js';
import { toCsv } from './csv.js';

/** `summary.csv`'s columns: one typed list for header and cells. */
export const MONTHLY_SUMMARY_COLUMNS: readonly Column<SummaryGroup>[] = [
  { header: 'account', cell: (group) => group.account },
  { header: 'region', cell: (group) => group.region },
  { header: 'directory_id', cell: (group) => group.directoryId },
  { header: 'compute_type', cell: (group) => group.computeType },
  { header: 'currency', cell: (group) => group.currency },
  { header: 'workspaces', cell: (group) => String(group.totals.workspaces) },
  { header: 'billable_hours', cell: (group) => String(group.totals.billableHours) },
  { header: 'to_always_on', cell: (group) => String(group.totals.toAlwaysOn) },
  { header: 'to_auto_stop', cell: (group) => String(group.totals.toAutoStop) },
  { header: 'conversions_not_applied', cell: (group) => String(group.totals.notApplied) },
  { header: 'exempt', cell: (group) => String(group.totals.exempt) },
  { header: 'errors', cell: (group) => String(group.totals.errors) },
  { header: 'no_price', cell: (group) => String(group.totals.unpriced) },
  { header: 'cost_before', cell: (group) => amount(group, group.money.costBefore) },
  { header: 'cost_after', cell: (group) => amount(group, group.money.costAfter) },
  { header: 'savings', cell: (group) => amount(group, group.money.savings) },
  { header: 'savings_not_applied', cell: (group) => amount(group, group.money.savingsNotApplied) },
];

// Money cells stay blank for WorkSpaces without a price: 0.00 would claim they cost nothing.
const amount = (group: SummaryGroup, value: Money) => (group.currency === '' ? '' : formatCents(value));

/**
 * The month's totals per account and currency first (chargeback: region,
 * directory and compute type blank), then by account, region, directory,
 * compute type and currency, then one `TOTAL` row per currency (blank
 * currency: the WorkSpaces with no price).
 */
export function monthlySummaryCsv(summary: MonthlySummary): string {
  const notes = summary.notes.join(' | ');
  // Which report the WorkSpace figures are as of, on every row; what a reader must know, on the totals.
  const columns: readonly Column<SummaryGroup>[] = [
    ...MONTHLY_SUMMARY_COLUMNS,
    { header: 'snapshot_as_of', cell: () => summary.snapshotAsOf },
    { header: 'notes', cell: (group) => (group.account === 'TOTAL' ? notes : '') },
  ];
  return toCsv(columns, [...summary.accounts, ...summary.groups, ...totalRows(summary.groups)]);
}

function totalRows(groups: readonly SummaryGroup[]): SummaryGroup[] {
  // Priced currencies first, the blank currency (no price) last.
  return rollUp(groups, () => 'TOTAL').sort((a, b) =>
    a.currency < b.currency ? 1 : a.currency > b.currency ? -1 : 0,
  );
}
