import type { Money } from '../billing/index.js';
import { formatCents, formatRate, RunningMode } from '../billing/index.js';
import type { Column } from './csv.js';
import type { WorkspaceResult } from '../app/workspace-result.js';
import { attentionOf } from '../app/attention.js';

export interface ReportRowContext {
  readonly result: WorkspaceResult;
  readonly asOf: Date;
}

const blankIfUndefined = (value: number | undefined): string => (value === undefined ? '' : String(value));
const cents = (value: Money | undefined): string => (value === undefined ? '' : formatCents(value));

/**
 * The daily report's columns, in order, header and cell mapping in one place:
 * the contract's 17, the cost columns, `evaluated`, then the columns added since.
 */
export const DAILY_REPORT_COLUMNS: readonly Column<ReportRowContext>[] = [
  { header: 'workspace_id', cell: ({ result }) => result.workspace.workspaceId },
  { header: 'account', cell: ({ result }) => result.workspace.account },
  { header: 'region', cell: ({ result }) => result.workspace.region },
  { header: 'directory_id', cell: ({ result }) => result.workspace.directoryId },
  { header: 'user_name', cell: ({ result }) => result.workspace.userName },
  { header: 'computer_name', cell: ({ result }) => result.workspace.computerName },
  { header: 'compute_type', cell: ({ result }) => result.workspace.computeType },
  { header: 'running_mode', cell: ({ result }) => result.workspace.runningMode },
  { header: 'new_running_mode', cell: ({ result }) => result.newRunningMode },
  {
    header: 'autostop_timeout_minutes',
    cell: ({ result }) =>
      result.workspace.runningMode === RunningMode.AUTO_STOP
        ? String(result.idleTimeoutMinutes)
        : blankIfUndefined(result.workspace.autoStopTimeoutMinutes),
  },
  // Blank, never 0, when usage is unknown: 0 would tell finance "unused".
  { header: 'billable_hours', cell: ({ result }) => blankIfUndefined(result.billableHours) },
  { header: 'threshold_hours', cell: ({ result }) => String(result.threshold.hours) },
  { header: 'action', cell: ({ result }) => result.decision.action },
  { header: 'reason', cell: ({ result }) => result.decision.reason },
  { header: 'outcome', cell: ({ result }) => result.outcome },
  { header: 'tags', cell: ({ result }) => (result.tags === undefined ? '' : tagsJson(result.tags)) },
  { header: 'as_of', cell: ({ asOf }) => asOf.toISOString() },
  // Cost columns (docs/finance.md): after the contract's 17, blank when the WorkSpace has no price.
  { header: 'threshold_source', cell: ({ result }) => result.threshold.source },
  { header: 'currency', cell: ({ result }) => result.cost?.prices.currency ?? '' },
  { header: 'hourly_rate', cell: ({ result }) => rate(result, 'autoStopHourly') },
  { header: 'autostop_monthly_fee', cell: ({ result }) => rate(result, 'autoStopMonthlyFee') },
  { header: 'alwayson_monthly_price', cell: ({ result }) => rate(result, 'alwaysOnMonthly') },
  { header: 'cost_to_date', cell: ({ result }) => cents(result.cost?.figures.costToDate) },
  {
    header: 'projected_cost_current_mode',
    cell: ({ result }) => cents(result.cost?.figures.projectedCurrentMode),
  },
  {
    header: 'projected_cost_other_mode',
    cell: ({ result }) => cents(result.cost?.figures.projectedOtherMode),
  },
  {
    header: 'estimated_monthly_savings',
    cell: ({ result }) => cents(result.cost?.figures.estimatedMonthlySavings),
  },
  // `no` on a row kept from an earlier run of the same day for a region or directory this run could not read.
  { header: 'evaluated', cell: () => EVALUATED.YES },
  // After every earlier column, so their positions stay (docs/finance.md): what a row needs to explain itself.
  { header: 'savings_this_month', cell: ({ result }) => cents(result.cost?.figures.savingsThisMonth) },
  {
    header: 'savings_per_month_from_next_month',
    cell: ({ result }) => cents(result.cost?.figures.savingsPerMonthFromNextMonth),
  },
  { header: 'projected_hours', cell: ({ result }) => blankIfUndefined(result.cost?.figures.projectedHours) },
  {
    header: 'projected_hours_next_month',
    cell: ({ result }) => blankIfUndefined(result.cost?.figures.projectedHoursNextMonth),
  },
  { header: 'projection_basis', cell: ({ result }) => result.cost?.figures.projectionBasis ?? '' },
  { header: 'needs_attention', cell: ({ result }) => attentionOf(result)?.reason ?? '' },
  { header: 'attention_detail', cell: ({ result }) => attentionOf(result)?.detail ?? '' },
];

/** The header of a tag's own column: `tag:CostCenter`. */
export const tagColumnHeader = (key: string) => `tag:${key}`;

/**
 * The daily report's columns: the standard ones, then one per tag key asked
 * for (`--tag-columns`, `TAG_COLUMNS`), holding the tag's value (blank when the
 * WorkSpace lacks the tag or its tags could not be read).
 */
export function dailyReportColumns(tagKeys: readonly string[] = []): readonly Column<ReportRowContext>[] {
  return [
    ...DAILY_REPORT_COLUMNS,
    ...tagKeys.map((key) => ({
      header: tagColumnHeader(key),
      cell: ({ result }: ReportRowContext) => result.tags?.[key] ?? '',
    })),
  ];
}

export const EVALUATED = { YES: 'yes', NO: 'no' } as const;

/** A price exactly as priced, with at least two decimals: `14.30`, `0.64`, `0.0125`. */
function rate(
  result: WorkspaceResult,
  price: 'autoStopHourly' | 'autoStopMonthlyFee' | 'alwaysOnMonthly',
): string {
  if (result.cost === undefined) return '';
  const amount = result.cost.prices[price];
  return amount.decimalPlaces() < 2 ? amount.toFixed(2) : formatRate(amount);
}

/** Tags as a JSON object with keys in a stable order, so reruns produce identical bytes. */
export function tagsJson(tags: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(tags)
    .sort()
    .map((key) => [key, tags[key]] as const);
  return JSON.stringify(Object.fromEntries(sorted));
}
