import { describe, expect, it } from 'vitest';
import type { ReportRow } from '../../../src/app/report-row.js';
import { summarizeMonth } from '../../../src/app/monthly-summary.js';
import { money } from '../../../src/billing/index.js';
import { monthlySummaryCsv } from '../../../src/report/monthly-summary-csv.js';
import { summaryHtml } from '../../../src/report/summary-html.js';

/**
 * A small November worked out by hand: amounts above 1,000 (thousands
 * separators), a negative saving (a sign and the `negative` class), one
 * conversion each way applied, one not applied, one WorkSpace without a
 * price. Every expected figure below is computed in the comments, not by the
 * code under test.
 */
const AS_OF = '2026-11-30T23:00:00.000Z';
const row = (overrides: Partial<ReportRow>): ReportRow => ({
  workspaceId: 'ws-?',
  account: '111122223333',
  region: 'us-east-1',
  directoryId: 'd-1',
  userName: 'user',
  computeType: 'GRAPHICSPRO',
  runningMode: 'AUTO_STOP',
  newRunningMode: 'AUTO_STOP',
  billableHours: 0,
  thresholdHours: 0,
  thresholdSource: 'default',
  action: 'NONE',
  reason: 'UNDER_THRESHOLD',
  outcome: 'NONE',
  asOf: AS_OF,
  currency: 'USD',
  costToDate: undefined,
  projectedCurrentMode: undefined,
  projectedOtherMode: undefined,
  estimatedMonthlySavings: undefined,
  savingsThisMonth: money(0),
  savingsPerMonthFromNextMonth: money(0),
  projectedHours: undefined,
  projectionBasis: 'month_to_date',
  attention: '',
  attentionDetail: '',
  ...overrides,
});

const rows: ReportRow[] = [
  // Applied AutoStop -> AlwaysOn: 1,480.20 projected in AutoStop, 230.45 saved this month -> 1,249.75 after.
  row({
    workspaceId: 'ws-gpu',
    newRunningMode: 'ALWAYS_ON',
    billableHours: 301,
    thresholdHours: 290,
    action: 'TO_ALWAYS_ON',
    reason: 'OVER_THRESHOLD',
    outcome: 'APPLIED',
    projectedCurrentMode: money('1480.20'),
    savingsThisMonth: money('230.45'),
    savingsPerMonthFromNextMonth: money('212.30'),
  }),
  // Not applied (dry run) AutoStop -> AlwaysOn that would cost 1,003.25 more this month: 1,412.60 stays.
  row({
    workspaceId: 'ws-dry',
    billableHours: 295,
    thresholdHours: 290,
    action: 'TO_ALWAYS_ON',
    reason: 'OVER_THRESHOLD',
    outcome: 'DRY_RUN',
    projectedCurrentMode: money('1412.60'),
    savingsThisMonth: money('-1003.25'),
    savingsPerMonthFromNextMonth: money('7.10'),
  }),
  // No conversion: 1,020.00.
  row({
    workspaceId: 'ws-plain',
    billableHours: 120,
    thresholdHours: 290,
    projectedCurrentMode: money('1020.00'),
  }),
  // Applied AlwaysOn -> AutoStop: this month is paid (35.00, nothing saved), 21.65 a month from December.
  row({
    workspaceId: 'ws-on',
    computeType: 'STANDARD',
    runningMode: 'ALWAYS_ON',
    billableHours: 11,
    thresholdHours: 84,
    action: 'TO_AUTO_STOP',
    reason: 'UNDER_THRESHOLD_AT_MONTH_END',
    outcome: 'APPLIED',
    projectedCurrentMode: money('35.00'),
    savingsThisMonth: money('0.00'),
    savingsPerMonthFromNextMonth: money('21.65'),
  }),
  // No price: counted, in no amount.
  row({
    workspaceId: 'ws-unpriced',
    region: 'eu-west-1',
    directoryId: 'd-2',
    computeType: 'STANDARD',
    billableHours: 30,
    thresholdHours: 84,
    currency: '',
    savingsThisMonth: undefined,
    savingsPerMonthFromNextMonth: undefined,
    projectionBasis: '',
  }),
];

const summary = () =>
  summarizeMonth({ month: '2026-11', snapshot: { key: 'snapshot', rows }, days: [{ key: 'day', rows }] });

// USD, by hand:
//   after  = 1,249.75 (ws-gpu) + 1,412.60 (ws-dry) + 1,020.00 (ws-plain) + 35.00 (ws-on) = 3,717.35
//   saved this month = 230.45 + 0.00 = 230.45; before = 3,717.35 + 230.45 = 3,947.80
//   per month from next month = 212.30 + 21.65 = 233.95
//   not applied: this month -1,003.25, per month 7.10
//   GRAPHICSPRO group: after 1,249.75 + 1,412.60 + 1,020.00 = 3,682.35, before 3,912.80
//   STANDARD us-east-1 group: after 35.00, before 35.00
// Hours: 301 + 295 + 120 + 11 + 30 = 757; GRAPHICSPRO 716; STANDARD 11 and 30.
const HEADER =
  'row_type,account,region,directory_id,compute_type,currency,workspaces,billable_hours,to_always_on,to_auto_stop,' +
  'conversions_not_applied,to_always_on_not_applied,to_auto_stop_not_applied,exempt,tags_unavailable,' +
  'unsupported_mode,errors,metrics_unavailable,failed,deferred,no_price,no_projection,cost_before,cost_after,' +
  'savings_this_month,savings_per_month_from_next_month,savings_this_month_not_applied,' +
  'savings_per_month_not_applied,snapshot_as_of,notes';

describe('Golden month: summary.csv', () => {
  it('writes the hand-computed figures, row by row', () => {
    // Act
    const lines = monthlySummaryCsv(summary()).trimEnd().split(/\r?\n/);
    // Assert
    expect(lines).toEqual([
      HEADER,
      `account,111122223333,,,,USD,4,727,1,1,1,1,0,0,0,0,0,0,0,0,0,0,3947.80,3717.35,230.45,233.95,-1003.25,7.10,${AS_OF},`,
      `account,111122223333,,,,,1,30,0,0,0,0,0,0,0,0,0,0,0,0,1,0,,,,,,,${AS_OF},`,
      `group,111122223333,eu-west-1,d-2,STANDARD,,1,30,0,0,0,0,0,0,0,0,0,0,0,0,1,0,,,,,,,${AS_OF},`,
      `group,111122223333,us-east-1,d-1,GRAPHICSPRO,USD,3,716,1,0,1,1,0,0,0,0,0,0,0,0,0,0,3912.80,3682.35,230.45,212.30,-1003.25,7.10,${AS_OF},`,
      `group,111122223333,us-east-1,d-1,STANDARD,USD,1,11,0,1,0,0,0,0,0,0,0,0,0,0,0,0,35.00,35.00,0.00,21.65,0.00,0.00,${AS_OF},`,
      `total,TOTAL,,,,USD,4,727,1,1,1,1,0,0,0,0,0,0,0,0,0,0,3947.80,3717.35,230.45,233.95,-1003.25,7.10,${AS_OF},`,
      `total,TOTAL,,,,,1,30,0,0,0,0,0,0,0,0,0,0,0,0,1,0,,,,,,,${AS_OF},`,
    ]);
  });
});

/** The text of each headline card, by its `data-figure`. */
function cards(html: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of html.matchAll(
    /<div class="card" data-figure="([^"]+)"><div class="label">([^<]*)<\/div><div class="value">([^<]*)<\/div><div class="detail">([^<]*)<\/div><\/div>/g,
  ))
    found[match[1]!] = `${match[2]}: ${match[3]} (${match[4]})`;
  return found;
}

/** The cells of a table's rows, as text with their classes. */
function tableRows(html: string, kind: string): string[] {
  const table = html.match(new RegExp(`<table class="${kind}">([\\s\\S]*?)</table>`))?.[1] ?? '';
  // Text outside a cell is no part of any row: a browser shows it above the table.
  expect(table.replace(/<t([hd])[^>]*>[\s\S]*?<\/t\1>/g, '').replace(/<[^>]+>/g, '')).toMatch(/^\s*$/);
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1]!.matchAll(/<t[hd]( class="([^"]+)")?>([\s\S]*?)<\/t[hd]>/g)]
      .map(
        (cell) =>
          `${cell[2] ? `[${cell[2]}]` : ''}${cell[3]!
            .replace(/<[^>]+>/g, ' ')
            .replace(/\s+/g, ' ')
            .trim()}`,
      )
      .join(' | '),
  );
}

describe('Golden month: summary.html figures', () => {
  // Rendered inside each test, not once for the file: mutation testing maps code to the tests that run it.
  const page = () => summaryHtml(summary());

  it('shows the headline figures with thousands separators and signs', () => {
    expect(page()).not.toContain('No WorkSpace had a known price');
    expect(cards(page())).toEqual({
      savings: 'Saved this month: USD 230.45 (conversions applied, in this month)',
      'savings-per-month':
        'Saves per month from next month on: USD 233.95 (the same conversions, every later month)',
      'savings-not-applied':
        'Available, not applied: USD -1,003.25 (this month; USD 7.10 per month from next month on)',
      'cost-after':
        'Cost this month: USD 3,717.35 (after the conversions, projected to month end; USD 3,947.80 before)',
      workspaces: 'WorkSpaces: 5 (757 billable hours)',
      conversions: 'Conversions: 1 → AlwaysOn · 1 → AutoStop (not applied: 1 → AlwaysOn, 0 → AutoStop)',
      attention: 'Needs attention: 0 (nothing)',
      'exempt-unpriced': 'Exempt / no price: 0 / 1 (tagged Skip_Convert / without a known price)',
    });
  });

  it('lists the conversions with their direction, outcome and signed, classed savings', () => {
    expect(tableRows(page(), 'conversions')).toEqual([
      'Date | WorkSpace | User | Compute type | To | [num]Hours / threshold | Outcome | [num]Saved this month | [num]Saves per month from next month on',
      '2026-11-30 | ws-gpu us-east-1 | [user]user | GRAPHICSPRO | → AlwaysOn | [num]301 / 290 | APPLIED | [num]USD 230.45 | [num]USD 212.30',
      '2026-11-30 | ws-on us-east-1 | [user]user | STANDARD | → AutoStop | [num]11 / 84 | APPLIED | [num]USD 0.00 | [num]USD 21.65',
      '2026-11-30 | ws-dry us-east-1 | [user]user | GRAPHICSPRO | → AlwaysOn | [num]295 / 290 | DRY_RUN | [num negative]USD -1,003.25 | [num]USD 7.10',
    ]);
  });

  it('totals by group and currency, amounts with separators, negative ones marked', () => {
    const html = page();
    expect(tableRows(html.slice(html.indexOf('<section id="groups">')), 'group-money')).toEqual([
      'Account, region, directory | Compute type | Currency | [num]Cost this month before | [num]Cost this month after | [num]Saved this month | [num]Saves per month from next month on | [num]Not applied: this month | [num]Not applied: per month',
      '111122223333 us-east-1 d-1 | GRAPHICSPRO | USD | [num]3,912.80 | [num]3,682.35 | [num]230.45 | [num]212.30 | [num negative]-1,003.25 | [num]7.10',
      '111122223333 us-east-1 d-1 | STANDARD | USD | [num]35.00 | [num]35.00 | [num]0.00 | [num]21.65 | [num]0.00 | [num]0.00',
      'TOTAL |  | USD | [num]3,947.80 | [num]3,717.35 | [num]230.45 | [num]233.95 | [num negative]-1,003.25 | [num]7.10',
    ]);
    expect(tableRows(html.slice(html.indexOf('<section id="groups">')), 'group-counts')).toEqual([
      'Account, region, directory | Compute type | [num]WorkSpaces | [num]Hours | [num]→ AlwaysOn | [num]→ AutoStop | [num]Not applied → AlwaysOn / → AutoStop | [num]Exempt | [num]Errors | [num]No price',
      '111122223333 eu-west-1 d-2 | STANDARD | [num]1 | [num]30 | [num]0 | [num]0 | [num]0 / 0 | [num]0 | [num]0 | [num]1',
      '111122223333 us-east-1 d-1 | GRAPHICSPRO | [num]3 | [num]716 | [num]1 | [num]0 | [num]1 / 0 | [num]0 | [num]0 | [num]0',
      '111122223333 us-east-1 d-1 | STANDARD | [num]1 | [num]11 | [num]0 | [num]1 | [num]0 / 0 | [num]0 | [num]0 | [num]0',
      'TOTAL |  | [num]4 | [num]727 | [num]1 | [num]1 | [num]1 / 0 | [num]0 | [num]0 | [num]0',
      'TOTAL no price |  | [num]1 | [num]30 | [num]0 | [num]0 | [num]0 / 0 | [num]0 | [num]0 | [num]1',
    ]);
  });
});

/** Each section of the page: its id, heading, note and what it shows when it has nothing (if empty). */
function sections(html: string): string[] {
  return [
    ...html.matchAll(/<section id="([^"]+)">\n<h2>([^<]*)<\/h2>\n(?:<p class="note">([^<]*)<\/p>\n)?/g),
  ].map((match) => `${match[1]}: ${match[2]} — ${match[3] ?? ''}`);
}

describe('Golden month: the lists a person reads', () => {
  // Mid-month (a note says so), two WorkSpaces that failed, one exempt, one unpriced without a directory.
  const listed: ReportRow[] = [
    row({
      workspaceId: 'ws-failed-1',
      userName: 'ann',
      action: 'TO_ALWAYS_ON',
      outcome: 'FAILED',
      asOf: '2026-11-20T23:00:00.000Z',
      attention: 'FAILED',
      attentionDetail: 'ThrottlingException: Rate exceeded',
    }),
    row({
      workspaceId: 'ws-failed-2',
      userName: 'bob',
      action: 'TO_ALWAYS_ON',
      outcome: 'FAILED',
      asOf: '2026-11-20T23:00:00.000Z',
      attention: 'FAILED',
      attentionDetail: '',
    }),
    row({
      workspaceId: 'ws-exempt',
      userName: 'cy',
      runningMode: 'ALWAYS_ON',
      billableHours: 12,
      reason: 'EXEMPT_TAG',
      action: 'SKIP',
      asOf: '2026-11-20T23:00:00.000Z',
    }),
    row({
      workspaceId: 'ws-nodir',
      userName: 'dee',
      directoryId: '',
      billableHours: undefined,
      currency: '',
      asOf: '2026-11-20T23:00:00.000Z',
    }),
  ];
  const page = () =>
    summaryHtml(
      summarizeMonth({
        month: '2026-11',
        snapshot: { key: 's', rows: listed },
        days: [{ key: 'd', rows: listed }],
      }),
    );

  it('says why each WorkSpace needs attention, counted by reason', () => {
    const html = page();
    expect(cards(html).attention).toBe('Needs attention: 2 (FAILED 2)');
    expect(tableRows(html, 'attention')).toEqual([
      'WorkSpace | User | Account | Needs attention | What happened',
      'ws-failed-1 us-east-1 | [user]ann | 111122223333 | [attention]FAILED | [detail]ThrottlingException: Rate exceeded',
      'ws-failed-2 us-east-1 | [user]bob | 111122223333 | [attention]FAILED | [detail]—',
    ]);
  });

  it('lists the exempt and the unpriced WorkSpaces', () => {
    const html = page();
    const between = (from: string, to: string) =>
      tableRows(
        html.slice(html.indexOf(`<section id="${from}">`), html.indexOf(`<section id="${to}">`)),
        'workspaces',
      );
    const header = 'WorkSpace | User | Account | Directory | Compute type | Mode | [num]Hours | Decision';
    expect(between('exemptions', 'unpriced')).toEqual([
      header,
      'ws-exempt us-east-1 | [user]cy | 111122223333 | d-1 | GRAPHICSPRO | AlwaysOn | [num]12 | SKIP EXEMPT_TAG',
    ]);
    expect(between('unpriced', 'groups')).toEqual([
      header,
      'ws-nodir us-east-1 | [user]dee | 111122223333 |  | GRAPHICSPRO | AutoStop | [num] | NONE UNDER_THRESHOLD',
    ]);
  });

  it('heads each section and says what it holds; the snapshot note is a warning', () => {
    const html = page();
    expect(sections(html)).toEqual([
      'attention: Needs attention — WorkSpaces of the latest report that a person should look at: conversions that failed (with the AWS error) or wait, WorkSpaces whose usage or tags could not be read, running modes wco never converts, conversions projected to cost money.',
      'accounts: Totals by account — For chargeback: each account’s WorkSpaces, conversions and estimated costs, one row per currency.',
      'cost-by-mode: Cost by running mode — The month’s projected cost of the priced WorkSpaces in the mode they have after the latest run.',
      'histograms: Billable hours against the threshold — WorkSpaces by billable hours this month, per compute type; the dashed line is the compute type’s most common threshold. Above it AlwaysOn is cheaper.',
      'conversions: Conversions — Applied this month, then those the latest run decided but did not apply (dry run, deferred or failed). A switch to AlwaysOn saves from the day it is made; a switch to AutoStop from next month (this month is paid).',
      'top-savings: Ten biggest savings — Single conversions, by what they save per month from next month on.',
      'exemptions: Exempt WorkSpaces — Tagged Skip_Convert: never converted.',
      'unpriced: WorkSpaces with no price — Decided by the hour thresholds; their cost columns are blank and they are left out of every amount above.',
      'groups: Totals by account, region, directory and compute type — The TOTAL rows add up the rows above them, one per currency and one for the WorkSpaces with no price; amounts are in the row’s currency.',
    ]);
    expect(html).toContain(
      '<p class="warning" role="note">The latest report of 2026-11 is from 2026-11-20, not the month',
    );
  });

  it('marks the TOTAL rows of the totals tables, and only them', () => {
    const html = page();
    const groups = html.slice(html.indexOf('<section id="groups">'));
    const rows = [...groups.matchAll(/<tr( class="total")?>(<td[\s\S]*?)<\/td>/g)].map(
      (match) =>
        `${match[1] === undefined ? 'row' : 'marked'} ${match[2]!
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()}`,
    );
    // Counts: one TOTAL per currency and one for no price; money: the priced currency only.
    expect(rows.filter((row) => row.startsWith('marked'))).toEqual([
      'marked TOTAL',
      'marked TOTAL no price',
      'marked TOTAL',
    ]);
    expect(rows.filter((row) => row.startsWith('row')).length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.startsWith('row') && row.includes('TOTAL'))).toEqual([]);
  });

  it('counts the WorkSpaces that need attention by reason, each reason once', () => {
    const more = [
      ...listed,
      row({
        workspaceId: 'ws-unread',
        asOf: '2026-11-20T23:00:00.000Z',
        billableHours: undefined,
        attention: 'METRICS_UNAVAILABLE',
        attentionDetail: 'usage: InternalError',
      }),
    ];
    const html = summaryHtml(
      summarizeMonth({
        month: '2026-11',
        snapshot: { key: 's', rows: more },
        days: [{ key: 'd', rows: more }],
      }),
    );
    expect(cards(html).attention).toBe('Needs attention: 3 (FAILED 2, METRICS_UNAVAILABLE 1)');
  });

  it('writes every note of the month on the TOTAL rows of summary.csv, separated by a bar', () => {
    const lines = monthlySummaryCsv(
      summarizeMonth({
        month: '2026-11',
        snapshot: { key: 's', rows: listed },
        days: [],
        notes: ['The month-end run could not write its daily report aggregated.csv'],
      }),
    )
      .trimEnd()
      .split(/\r?\n/);
    const total = lines.find((line) => line.startsWith('total,'))!;
    expect(total).toMatch(
      /,"?The month-end run could not write its daily report aggregated\.csv \| The latest report of 2026-11 is from 2026-11-20[^|]*"?$/,
    );
  });

  it('writes the notes on the TOTAL rows of summary.csv only, and a directory-less group as a group', () => {
    const lines = monthlySummaryCsv(
      summarizeMonth({ month: '2026-11', snapshot: { key: 's', rows: listed }, days: [] }),
    )
      .trimEnd()
      .split(/\r?\n/);
    const note = (line: string) => line.slice(line.lastIndexOf(',2026-11-20T23:00:00.000Z,') + 26);
    for (const line of lines.slice(1))
      if (line.startsWith('total,'))
        expect(note(line)).toMatch(/^"?The latest report of 2026-11 is from 2026-11-20/);
      else expect(note(line)).toBe('');
    expect(lines.filter((line) => line.startsWith('group,111122223333,us-east-1,,'))).toHaveLength(1);
  });
});

describe('Golden month: an amount without its currency', () => {
  it('is shown as unknown, never as a bare number', () => {
    const odd = [
      row({
        workspaceId: 'ws-odd',
        action: 'TO_ALWAYS_ON',
        outcome: 'APPLIED',
        billableHours: 301,
        thresholdHours: 290,
        currency: '',
        savingsThisMonth: money('12.00'),
        savingsPerMonthFromNextMonth: money('3.00'),
      }),
    ];
    const html = summaryHtml(
      summarizeMonth({
        month: '2026-11',
        snapshot: { key: 's', rows: odd },
        days: [{ key: 'd', rows: odd }],
      }),
    );
    expect(tableRows(html, 'conversions')[1]).toBe(
      '2026-11-30 | ws-odd us-east-1 | [user]user | GRAPHICSPRO | → AlwaysOn | [num]301 / 290 | APPLIED | [num]— | [num]—',
    );
  });
});

describe('Golden month: a month with nothing in it', () => {
  it('says so in every section instead of showing an empty table', () => {
    const html = summaryHtml(
      summarizeMonth({ month: '2026-11', snapshot: { key: 's', rows: [] }, days: [] }),
    );
    expect(
      [...html.matchAll(/<p class="(?:empty|note)">([^<]*)<\/p>\n?(?=<\/section>|$)/g)].map((m) => m[1]),
    ).toEqual(
      expect.arrayContaining([
        'Nothing: every WorkSpace was read, decided and converted as planned.',
        'No WorkSpace.',
        'None.',
        'No WorkSpace is exempt.',
        'Every WorkSpace had a price.',
      ]),
    );
    expect(html).toContain('<p class="note">No WorkSpace had a known price: no amounts this month.</p>');
    expect(cards(html).attention).toBe('Needs attention: 0 (nothing)');
  });

  it('has no money table when no WorkSpace has a price', () => {
    const unpriced = [row({ workspaceId: 'ws-u', currency: '', savingsThisMonth: undefined })];
    const html = summaryHtml(
      summarizeMonth({ month: '2026-11', snapshot: { key: 's', rows: unpriced }, days: [] }),
    );
    expect(html).toContain('<p class="empty">No WorkSpace had a price.</p>');
    expect(html).not.toContain('<table class="group-money">');
  });
});
