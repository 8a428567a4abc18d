import type { Money } from '../billing/index.js';
import { formatCents } from '../billing/index.js';
import type { MonthlySummary, SummaryGroup } from '../app/monthly-summary.js';
import type { Column } from './csv.js';
import { toCsv } from './csv.js';

/** `row_type` of `summary.csv`: sum the `account` rows or the `group` rows, or read the `total` rows; never two kinds. */
export const SummaryRowType = { ACCOUNT: 'account', GROUP: 'group', TOTAL: 'total' } as const;

const count = (pick: (totals: SummaryGroup['totals']) => number) => (group: SummaryGroup) =>
  String(pick(group.totals));

/** `summary.csv`'s columns: one typed list for header and cells. */
export const MONTHLY_SUMMARY_COLUMNS: readonly Column<SummaryGroup>[] = [
  {
    header: 'row_type',
    cell: (group) =>
      group.account === 'TOTAL'
        ? SummaryRowType.TOTAL
        : group.region === '' && group.directoryId === ''
          ? SummaryRowType.ACCOUNT
          : SummaryRowType.GROUP,
  },
  { header: 'account', cell: (group) => group.account },
  { header: 'region', cell: (group) => group.region },
  { header: 'directory_id', cell: (group) => group.directoryId },
  { header: 'compute_type', cell: (group) => group.computeType },
  { header: 'currency', cell: (group) => group.currency },
  { header: 'workspaces', cell: count((totals) => totals.workspaces) },
  { header: 'billable_hours', cell: count((totals) => totals.billableHours) },
  { header: 'to_always_on', cell: count((totals) => totals.toAlwaysOn) },
  { header: 'to_auto_stop', cell: count((totals) => totals.toAutoStop) },
  { header: 'conversions_not_applied', cell: count((totals) => totals.notApplied) },
  { header: 'to_always_on_not_applied', cell: count((totals) => totals.toAlwaysOnNotApplied) },
  { header: 'to_auto_stop_not_applied', cell: count((totals) => totals.toAutoStopNotApplied) },
  { header: 'exempt', cell: count((totals) => totals.exempt) },
  { header: 'tags_unavailable', cell: count((totals) => totals.tagsUnavailable) },
  { header: 'unsupported_mode', cell: count((totals) => totals.unsupportedMode) },
  { header: 'errors', cell: count((totals) => totals.errors) },
  { header: 'metrics_unavailable', cell: count((totals) => totals.metricsUnavailable) },
  { header: 'failed', cell: count((totals) => totals.failed) },
  { header: 'deferred', cell: count((totals) => totals.deferred) },
  { header: 'no_price', cell: count((totals) => totals.unpriced) },
  { header: 'no_projection', cell: count((totals) => totals.unprojected) },
  { header: 'cost_before', cell: (group) => amount(group, group.money.costBefore) },
  { header: 'cost_after', cell: (group) => amount(group, group.money.costAfter) },
  { header: 'savings_this_month', cell: (group) => amount(group, group.money.savingsThisMonth) },
  {
    header: 'savings_per_month_from_next_month',
    cell: (group) => amount(group, group.money.savingsPerMonth),
  },
  {
    header: 'savings_this_month_not_applied',
    cell: (group) => amount(group, group.money.savingsThisMonthNotApplied),
  },
  {
    header: 'savings_per_month_not_applied',
    cell: (group) => amount(group, group.money.savingsPerMonthNotApplied),
  },
];

// Money cells stay blank for WorkSpaces without a price: 0.00 would claim they cost nothing.
const amount = (group: SummaryGroup, value: Money) => (group.currency === '' ? '' : formatCents(value));

/**
 * The month's totals per account and currency first (`row_type` `account`:
 * chargeback, region, directory and compute type blank), then by account,
 * region, directory, compute type and currency (`row_type` `group`), then one
 * `total` row per currency (blank currency: the WorkSpaces with no price). The
 * `account` rows and the `group` rows each add up to the `total` rows, so a
 * spreadsheet sums one kind only: filter on `row_type`.
 */
export function monthlySummaryCsv(summary: MonthlySummary): string {
  const notes = summary.notes.join(' | ');
  // Which report the WorkSpace figures are as of, on every row; what a reader must know, on the totals.
  const columns: readonly Column<SummaryGroup>[] = [
    ...MONTHLY_SUMMARY_COLUMNS,
    { header: 'snapshot_as_of', cell: () => summary.snapshotAsOf },
    { header: 'notes', cell: (group) => (group.account === 'TOTAL' ? notes : '') },
  ];
  return toCsv(columns, [...summary.accounts, ...summary.groups, ...summary.currencyTotals]);
}
