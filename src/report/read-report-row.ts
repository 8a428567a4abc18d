import type { Money } from '../billing/index.js';
import { money, savingsFromEstimate } from '../billing/index.js';
import { attentionReasonOf } from '../app/attention.js';
import type { ReportRow } from '../app/report-row.js';
import { WcoError } from '../shared/errors.js';

/** A stored report that cannot be read: which object, which line, what is wrong. */
export class ReportReadError extends WcoError {
  override readonly name = 'ReportReadError';
}

const REQUIRED = ['workspace_id', 'account', 'region', 'directory_id', 'running_mode', 'action', 'outcome'];

/** A CSV record (header -> cell) -> a typed row; throws `ReportReadError` naming `where`. */
export function reportRowFromRecord(record: Readonly<Record<string, string>>, where: string): ReportRow {
  const missing = REQUIRED.filter((column) => record[column] === undefined);
  if (missing.length > 0) throw new ReportReadError(`${where}: missing column(s) ${missing.join(', ')}`);
  const cell = (column: string) => (record[column] ?? '').trim();
  const hours = (column: string): number | undefined => {
    const text = cell(column);
    if (text === '') return undefined;
    if (!/^-?\d+(\.\d+)?$/.test(text))
      throw new ReportReadError(`${where}: ${column} "${text}" is not a number`);
    return Number(text);
  };
  const amount = (column: string): Money | undefined => {
    const text = cell(column);
    if (text === '') return undefined;
    if (!/^-?\d+(\.\d+)?$/.test(text))
      throw new ReportReadError(`${where}: ${column} "${text}" is not an amount`);
    return money(text);
  };
  const action = cell('action');
  const estimated = amount('estimated_monthly_savings');
  // Reports from before the split: the two figures follow from the estimate and the direction.
  const legacy = savingsFromEstimate(action, estimated);
  const savingsThisMonth =
    record.savings_this_month === undefined ? legacy.thisMonth : amount('savings_this_month');
  const savingsPerMonthFromNextMonth =
    record.savings_per_month_from_next_month === undefined
      ? legacy.perMonthFromNextMonth
      : amount('savings_per_month_from_next_month');
  const row = {
    workspaceId: cell('workspace_id'),
    account: cell('account'),
    region: cell('region'),
    directoryId: cell('directory_id'),
    // Names are kept exactly as stored, spaces included.
    userName: record.user_name ?? '',
    computeType: cell('compute_type'),
    runningMode: cell('running_mode'),
    newRunningMode: cell('new_running_mode'),
    billableHours: hours('billable_hours'),
    thresholdHours: hours('threshold_hours'),
    thresholdSource: cell('threshold_source'),
    action,
    reason: cell('reason'),
    outcome: cell('outcome'),
    asOf: cell('as_of'),
    currency: cell('currency'),
    costToDate: amount('cost_to_date'),
    projectedCurrentMode: amount('projected_cost_current_mode'),
    projectedOtherMode: amount('projected_cost_other_mode'),
    estimatedMonthlySavings: estimated,
    savingsThisMonth,
    savingsPerMonthFromNextMonth,
    projectedHours: hours('projected_hours'),
    projectionBasis: cell('projection_basis'),
  };
  // Reports from before the column: the reason follows from the row (without the words).
  const attention =
    record.needs_attention === undefined ? (attentionReasonOf(row) ?? '') : cell('needs_attention');
  return { ...row, attention, attentionDetail: record.attention_detail ?? '' };
}
