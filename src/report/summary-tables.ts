/** The tables of `summary.html`; every value is HTML-escaped. */
import type { Money } from '../billing/index.js';
import type { Conversion, MonthlySummary, SummaryGroup } from '../app/monthly-summary.js';
import type { ReportRow } from '../app/report-row.js';
import { esc, formatMoney, modeLabel } from './format.js';

/** Conversions: date, WorkSpace, direction, hours against threshold, outcome and savings. */
export function conversionTable(conversions: readonly Conversion[]): string {
  if (conversions.length === 0) return '<p class="empty">None.</p>';
  const rows = conversions.map(({ row, applied }) => {
    const savings = row.estimatedMonthlySavings;
    const savingsCell =
      savings === undefined || row.currency === ''
        ? '<td class="num">—</td>'
        : `<td class="num${savings.isNegative() && !savings.isZero() ? ' negative' : ''}">${esc(
            formatMoney(row.currency, savings),
          )}</td>`;
    return `<tr><td class="code">${esc(row.asOf.slice(0, 10))}</td><td class="code">${esc(row.workspaceId)}</td><td>${esc(row.userName)}</td><td class="code">${esc(
      row.region,
    )}</td><td>${esc(row.computeType)}</td><td>${esc(directionOf(row.action))}</td><td class="num">${esc(
      row.billableHours ?? '',
    )}</td><td class="num">${esc(row.thresholdHours ?? '')}</td><td>${esc(applied ? 'APPLIED' : row.outcome)}</td>${savingsCell}</tr>`;
  });
  return table(
    [
      'Date',
      'WorkSpace',
      'User',
      'Region',
      'Compute type',
      'Conversion',
      'Hours',
      'Threshold',
      'Outcome',
      'Est. monthly savings',
    ],
    rows,
  );
}

const directionOf = (action: string) =>
  action === 'TO_ALWAYS_ON'
    ? 'AutoStop → AlwaysOn'
    : action === 'TO_AUTO_STOP'
      ? 'AlwaysOn → AutoStop'
      : action;

/** WorkSpaces listed one per row (the exempt ones, the unpriced ones); `empty` when there is none. */
export function workspaceTable(rows: readonly ReportRow[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return table(
    ['WorkSpace', 'User', 'Account', 'Region', 'Directory', 'Compute type', 'Mode', 'Hours', 'Decision'],
    rows.map(
      (row) =>
        `<tr><td>${esc(row.workspaceId)}</td><td>${esc(row.userName)}</td><td>${esc(row.account)}</td><td>${esc(
          row.region,
        )}</td><td class="code">${esc(row.directoryId)}</td><td>${esc(row.computeType)}</td><td>${esc(
          modeLabel(row.runningMode),
        )}</td><td class="num">${esc(row.billableHours ?? '')}</td><td>${esc(`${row.action} ${row.reason}`)}</td></tr>`,
    ),
  );
}

/** Totals by account, region, directory and compute type. */
export function groupTable(summary: MonthlySummary): string {
  return totalsTable(summary.groups, true);
}

/** Totals by account (chargeback). */
export function accountTable(summary: MonthlySummary): string {
  return totalsTable(summary.accounts, false);
}

function totalsTable(groups: readonly SummaryGroup[], detailed: boolean): string {
  if (groups.length === 0) return '<p class="empty">No WorkSpace.</p>';
  const amount = (currency: string, value: Money) => (currency === '' ? '—' : formatMoney(currency, value));
  const where = (group: SummaryGroup) =>
    detailed
      ? `<td class="code">${esc(group.region)}</td><td class="code">${esc(group.directoryId)}</td><td>${esc(group.computeType)}</td>`
      : '';
  return table(
    [
      'Account',
      ...(detailed ? ['Region', 'Directory', 'Compute type'] : []),
      'WorkSpaces',
      'Hours',
      '→ AlwaysOn',
      '→ AutoStop',
      'Exempt',
      'Errors',
      'No price',
      'Cost before',
      'Cost after',
      'Savings',
    ],
    groups.map(
      (group) =>
        `<tr><td>${esc(group.account)}</td>${where(group)}<td class="num">${esc(group.totals.workspaces)}</td><td class="num">${esc(
          group.totals.billableHours,
        )}</td><td class="num">${esc(group.totals.toAlwaysOn)}</td><td class="num">${esc(
          group.totals.toAutoStop,
        )}</td><td class="num">${esc(group.totals.exempt)}</td><td class="num">${esc(
          group.totals.errors,
        )}</td><td class="num">${esc(group.totals.unpriced)}</td><td class="num">${esc(
          amount(group.currency, group.money.costBefore),
        )}</td><td class="num">${esc(amount(group.currency, group.money.costAfter))}</td><td class="num">${esc(
          amount(group.currency, group.money.savings),
        )}</td></tr>`,
    ),
  );
}

function table(headers: readonly string[], rows: readonly string[]): string {
  return `<table>
<thead><tr>${headers.map((header) => `<th>${esc(header)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}
