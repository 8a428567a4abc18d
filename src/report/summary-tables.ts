/** The tables of `summary.html`; every value is HTML-escaped. */
import type { Money } from '../billing/index.js';
import type { Conversion, SummaryGroup } from '../app/monthly-summary.js';
import type { ReportRow } from '../app/report-row.js';
import { esc, formatAmount, formatMoney, modeLabel } from './format.js';

/** An identifier (WorkSpace, account, directory, region): never broken across lines. */
const id = (value: string) => `<span class="id">${esc(value)}</span>`;
const text = (value: string | number) => `<td>${esc(value)}</td>`;
/** A person's name: wraps where it must, but keeps a readable width. */
const user = (value: string) => `<td class="user">${esc(value)}</td>`;
const num = (value: string | number) => `<td class="num">${esc(value)}</td>`;
const isNegative = (amount: Money) => amount.isNegative() && !amount.isZero();

/** A money cell: `USD 1,234.56`, red when negative, a dash when unknown. */
function moneyCell(currency: string, amount: Money | undefined): string {
  if (amount === undefined || currency === '') return '<td class="num">—</td>';
  return `<td class="num${isNegative(amount) ? ' negative' : ''}">${esc(formatMoney(currency, amount))}</td>`;
}

/**
 * Conversions: date, WorkSpace, direction, hours against threshold, outcome,
 * and the two savings: this month's and per month from next month on.
 */
export function conversionTable(conversions: readonly Conversion[]): string {
  if (conversions.length === 0) return '<p class="empty">None.</p>';
  const rows = conversions.map(({ row, applied }) =>
    [
      `<tr><td>${id(row.asOf.slice(0, 10))}</td>`,
      `<td>${id(row.workspaceId)}<div class="sub">${id(row.region)}</div></td>`,
      user(row.userName),
      `<td>${id(row.computeType)}</td>`,
      `<td>${id(directionOf(row.action))}</td>`,
      num(`${row.billableHours ?? ''} / ${row.thresholdHours ?? ''}`),
      text(applied ? 'APPLIED' : row.outcome),
      moneyCell(row.currency, row.savingsThisMonth),
      moneyCell(row.currency, row.savingsPerMonthFromNextMonth),
      '</tr>',
    ].join(''),
  );
  return table(
    [
      'Date',
      'WorkSpace',
      'User',
      'Compute type',
      'To',
      '#Hours / threshold',
      'Outcome',
      '#Saved this month',
      '#Saves per month from next month on',
    ],
    rows,
    'conversions',
  );
}

const directionOf = (action: string) =>
  action === 'TO_ALWAYS_ON' ? '→ AlwaysOn' : action === 'TO_AUTO_STOP' ? '→ AutoStop' : action;

/** WorkSpaces listed one per row (the exempt ones, the unpriced ones); `empty` when there is none. */
export function workspaceTable(rows: readonly ReportRow[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return table(
    ['WorkSpace', 'User', 'Account', 'Directory', 'Compute type', 'Mode', '#Hours', 'Decision'],
    rows.map((row) =>
      [
        `<tr><td>${id(row.workspaceId)}<div class="sub">${id(row.region)}</div></td>`,
        user(row.userName),
        `<td>${id(row.account)}</td>`,
        `<td>${id(row.directoryId)}</td>`,
        `<td>${id(row.computeType)}</td>`,
        text(modeLabel(row.runningMode)),
        num(row.billableHours ?? ''),
        text(`${row.action} ${row.reason}`),
        '</tr>',
      ].join(''),
    ),
    'workspaces',
  );
}

/** What needs a person: the WorkSpace, why (FAILED, DEFERRED, ...) and what happened (the AWS error, the state). */
export function attentionTable(rows: readonly ReportRow[]): string {
  if (rows.length === 0)
    return '<p class="empty">Nothing: every WorkSpace was read, decided and converted as planned.</p>';
  return table(
    ['WorkSpace', 'User', 'Account', 'Needs attention', 'What happened'],
    rows.map((row) =>
      [
        `<tr><td>${id(row.workspaceId)}<div class="sub">${id(row.region)}</div></td>`,
        user(row.userName),
        `<td>${id(row.account)}</td>`,
        `<td class="attention">${esc(row.attention)}</td>`,
        `<td class="detail">${esc(row.attentionDetail || '—')}</td>`,
        '</tr>',
      ].join(''),
    ),
    'attention',
  );
}

/** Where a group is: account, region, directory, one per line, none broken. */
const whereCell = (group: SummaryGroup) =>
  group.account === 'TOTAL'
    ? `<td><strong>TOTAL</strong>${group.currency === '' ? '<div class="sub">no price</div>' : ''}</td>`
    : `<td>${id(group.account)}<div class="sub">${id(group.region)} ${id(group.directoryId)}</div></td>`;

/**
 * The totals by account, region, directory and compute type, in two tables
 * that each fit an A4 page: counts, then money (the currency in its own
 * column, amounts without it). The `TOTAL` rows (one per currency, one for the
 * WorkSpaces with no price) close each table, as in `summary.csv`.
 */
export function groupTables(groups: readonly SummaryGroup[], totals: readonly SummaryGroup[] = []): string {
  if (groups.length === 0) return '<p class="empty">No WorkSpace.</p>';
  const all = [...groups, ...totals];
  const counts = groupTable(
    all,
    [
      '#WorkSpaces',
      '#Hours',
      '#→ AlwaysOn',
      '#→ AutoStop',
      '#Not applied → AlwaysOn / → AutoStop',
      '#Exempt',
      '#Errors',
      '#No price',
    ],
    ({ totals }) => [
      num(totals.workspaces),
      num(totals.billableHours),
      num(totals.toAlwaysOn),
      num(totals.toAutoStop),
      num(`${totals.toAlwaysOnNotApplied} / ${totals.toAutoStopNotApplied}`),
      num(totals.exempt),
      num(totals.errors),
      num(totals.unpriced),
    ],
    'group-counts',
  );
  const priced = all.filter((group) => group.currency !== '');
  const amount = (value: Money) =>
    `<td class="num${isNegative(value) ? ' negative' : ''}">${esc(formatAmount(value))}</td>`;
  const money =
    priced.length === 0
      ? '<p class="empty">No WorkSpace had a price.</p>'
      : groupTable(
          priced,
          [
            'Currency',
            '#Cost this month before',
            '#Cost this month after',
            '#Saved this month',
            '#Saves per month from next month on',
            '#Not applied: this month',
            '#Not applied: per month',
          ],
          (group) => [
            text(group.currency),
            amount(group.money.costBefore),
            amount(group.money.costAfter),
            amount(group.money.savingsThisMonth),
            amount(group.money.savingsPerMonth),
            amount(group.money.savingsThisMonthNotApplied),
            amount(group.money.savingsPerMonthNotApplied),
          ],
          'group-money',
        );
  return `${counts}\n${money}`;
}

/** One totals table: where and compute type, then `cells`; `TOTAL` rows marked. */
function groupTable(
  groups: readonly SummaryGroup[],
  headers: readonly string[],
  cells: (group: SummaryGroup) => readonly string[],
  kind: string,
): string {
  return table(
    ['Account, region, directory', 'Compute type', ...headers],
    groups.map((group) =>
      [
        `<tr${group.account === 'TOTAL' ? ' class="total"' : ''}>`,
        whereCell(group),
        `<td>${id(group.computeType)}</td>`,
        ...cells(group),
        '</tr>',
      ].join(''),
    ),
    kind,
  );
}

/** A column header; `#` first marks a numeric column (right-aligned, like its cells). */
export function table(headers: readonly string[], rows: readonly string[], kind: string): string {
  const th = (header: string) =>
    header.startsWith('#') ? `<th class="num">${esc(header.slice(1))}</th>` : `<th>${esc(header)}</th>`;
  return `<div class="table-wrap"><table class="${esc(kind)}">
<thead><tr>${headers.map(th).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>`;
}
