import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/billing/index.js';
import { dailyReportDocuments } from '../../helpers/previous-daily-report.js';
import { DAILY_REPORT_COLUMNS } from '../../../src/report/columns.js';
import { reportKeys, summaryKeys } from '../../../src/report/keys.js';
import { formatAmount } from '../../../src/report/format.js';
import { costFigures, money } from '../../../src/billing/index.js';
import type { WorkspaceResult } from '../../../src/app/workspace-result.js';
import { workspace } from '../../helpers/in-memory-fleet.js';

const CONTRACT_HEADER =
  'workspace_id,account,region,directory_id,user_name,computer_name,compute_type,running_mode,new_running_mode,autostop_timeout_minutes,billable_hours,threshold_hours,action,reason,outcome,tags,as_of';
const COST_HEADER =
  'threshold_source,currency,hourly_rate,autostop_monthly_fee,alwayson_monthly_price,cost_to_date,projected_cost_current_mode,projected_cost_other_mode,estimated_monthly_savings';
/** After the money columns: `no` on rows kept from an earlier run of the day (docs/ledger.md). */
const LEDGER_HEADER = 'evaluated';
/** Added after every earlier column, so none moves (docs/finance.md). */
const EXPLAINED_HEADER =
  'savings_this_month,savings_per_month_from_next_month,projected_hours,projected_hours_next_month,projection_basis,needs_attention,attention_detail';
const asOf = new Date('2026-11-30T23:00:00Z');

function result(
  overrides: Partial<WorkspaceResult> & { workspaceOverrides?: Parameters<typeof workspace>[0] } = {},
) {
  const { workspaceOverrides, ...rest } = overrides;
  const decision: Decision = { action: 'NONE', reason: 'UNDER_THRESHOLD' };
  return {
    workspace: workspace(workspaceOverrides),
    tags: {},
    idleTimeoutMinutes: 60,
    billableHours: 12,
    threshold: { hours: 85, source: 'default' },
    decision,
    outcome: 'NONE',
    newRunningMode: 'AUTO_STOP',
    ...rest,
  } satisfies WorkspaceResult;
}

const parseCsv = (text: string): string[][] => parse(text, { relax_column_count: false });

describe('Function: dailyReportDocuments', () => {
  it('writes the contract header first, then the cost columns (docs/finance.md), evaluated, then the columns added since', () => {
    const [document] = dailyReportDocuments({ results: [result()], asOf: asOf, monthEnd: false });
    const header = `${CONTRACT_HEADER},${COST_HEADER},${LEDGER_HEADER},${EXPLAINED_HEADER}`;
    expect(document!.body.split('\r\n')[0]).toBe(header);
    expect(DAILY_REPORT_COLUMNS.map((column) => column.header).join(',')).toBe(header);
  });

  it.each([
    ['a comma', 'Müller, Jürgen'],
    ['a quote', 'O"Brien'],
    ['a newline', 'line\nbreak'],
    ['a CRLF', 'two\r\nlines'],
    ['non-ASCII', '山田太郎 👩‍💻'],
    ['leading and trailing spaces', '  spaced  '],
  ])('keeps a user name with %s as one field through a standard CSV parser', (_label, userName) => {
    const [document] = dailyReportDocuments({
      results: [result({ workspaceOverrides: { userName } })],
      asOf: asOf,
      monthEnd: false,
    });
    const rows = parseCsv(document!.body);
    expect(rows).toHaveLength(2);
    expect(rows[1]![4]).toBe(userName);
    expect(rows[1]).toHaveLength(DAILY_REPORT_COLUMNS.length);
  });

  it.each([
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'O"Brien', '"O""Brien"'],
    ['a lone LF', 'line\nbreak', '"line\nbreak"'],
    ['a lone CR', 'line\rbreak', '"line\rbreak"'],
  ])(
    'quotes a field with %s the RFC 4180 way, so any CSV reader sees one field',
    (_label, userName, quoted) => {
      const [document] = dailyReportDocuments({
        results: [result({ workspaceOverrides: { userName } })],
        asOf: asOf,
        monthEnd: false,
      });
      expect(document!.body).toContain(`,${quoted},`);
      // Strict line splitting: one header and one record, however the reader treats a bare LF.
      expect(document!.body.split('\r\n').filter((line) => line !== '')).toHaveLength(2);
    },
  );

  it('writes tags as a JSON object that survives the round trip, {} when none and blank when unreadable', () => {
    const tags = { Skip_Convert: '', CostCenter: '42', 'a,b': 'x"y' };
    const [document] = dailyReportDocuments({
      results: [
        result({ tags, workspaceOverrides: { workspaceId: 'ws-a' } }),
        result({ tags: {}, workspaceOverrides: { workspaceId: 'ws-b' } }),
        result({
          tags: undefined,
          decision: { action: 'SKIP', reason: 'TAGS_UNAVAILABLE' },
          workspaceOverrides: { workspaceId: 'ws-c' },
        }),
      ],
      asOf: asOf,
      monthEnd: false,
    });
    const rows = parseCsv(document!.body);
    expect(JSON.parse(rows[1]![15]!)).toEqual(tags);
    // The exact bytes, keys sorted: a rerun with the tags read in another order writes the same file.
    expect(rows[1]![15]).toBe('{"CostCenter":"42","Skip_Convert":"","a,b":"x\\"y"}');
    expect(rows[2]![15]).toBe('{}');
    expect(rows[3]![15]).toBe('');
  });

  it('leaves billable_hours blank, never 0, when usage could not be read', () => {
    const [document] = dailyReportDocuments({
      results: [
        result({ billableHours: undefined, decision: { action: 'ERROR', reason: 'METRICS_UNAVAILABLE' } }),
      ],
      asOf: asOf,
      monthEnd: false,
    });
    const row = parseCsv(document!.body)[1]!;
    expect(row[10]).toBe('');
    expect(row[12]).toBe('ERROR');
    expect(row[13]).toBe('METRICS_UNAVAILABLE');
  });

  it('writes the idle timeout used for AUTO_STOP and the stored value (or blank) for other modes', () => {
    const [document] = dailyReportDocuments({
      results: [
        result({
          idleTimeoutMinutes: 60,
          workspaceOverrides: { workspaceId: 'ws-1', autoStopTimeoutMinutes: undefined },
        }),
        result({
          idleTimeoutMinutes: 60,
          workspaceOverrides: {
            workspaceId: 'ws-2',
            runningMode: 'ALWAYS_ON',
            autoStopTimeoutMinutes: undefined,
          },
        }),
        result({
          idleTimeoutMinutes: 60,
          workspaceOverrides: { workspaceId: 'ws-3', runningMode: 'ALWAYS_ON', autoStopTimeoutMinutes: 120 },
        }),
      ],
      asOf: asOf,
      monthEnd: false,
    });
    expect(
      parseCsv(document!.body)
        .slice(1)
        .map((row) => row[9]),
    ).toEqual(['60', '', '120']);
  });

  it('sorts rows by account, region, directory_id, workspace_id', () => {
    const shuffled = [
      { account: '2', region: 'a', directoryId: 'd', workspaceId: 'ws-1' },
      { account: '1', region: 'b', directoryId: 'd', workspaceId: 'ws-1' },
      { account: '1', region: 'a', directoryId: 'e', workspaceId: 'ws-1' },
      { account: '1', region: 'a', directoryId: 'd', workspaceId: 'ws-2' },
      { account: '1', region: 'a', directoryId: 'd', workspaceId: 'ws-1' },
    ].map((workspaceOverrides) => result({ workspaceOverrides }));
    const documents = dailyReportDocuments({ results: shuffled, asOf: asOf, monthEnd: false });
    const aggregated = documents.find((document) => document.key === reportKeys.dailyAggregated(asOf))!;
    const order = parseCsv(aggregated.body)
      .slice(1)
      .map((row) => `${row[1]}/${row[2]}/${row[3]}/${row[0]}`);
    expect(order).toEqual(['1/a/d/ws-1', '1/a/d/ws-2', '1/a/e/ws-1', '1/b/d/ws-1', '2/a/d/ws-1']);
  });

  it('writes one file per directory, the aggregate, and the monthly aggregate only at month end', () => {
    const results = [
      result({ workspaceOverrides: { workspaceId: 'ws-1', directoryId: 'd-aaa' } }),
      result({ workspaceOverrides: { workspaceId: 'ws-2', directoryId: 'd-bbb', region: 'eu-west-1' } }),
    ];
    expect(
      dailyReportDocuments({ results: results, asOf: asOf, monthEnd: false }).map((document) => document.key),
    ).toEqual([
      'reports/daily/2026/11/30/111122223333_eu-west-1_d-bbb.csv',
      'reports/daily/2026/11/30/111122223333_us-east-1_d-aaa.csv',
      'reports/daily/2026/11/30/aggregated.csv',
    ]);
    const atMonthEnd = dailyReportDocuments({ results: results, asOf: asOf, monthEnd: true });
    expect(atMonthEnd.map((document) => document.key)).toContain('reports/monthly/2026-11/aggregated.csv');
    expect(atMonthEnd.at(-1)!.body).toBe(atMonthEnd.at(-2)!.body);
  });

  it("dates the keys by T's UTC date, not the host's", () => {
    const lateEvening = new Date('2026-12-31T23:30:00-05:00'); // 2027-01-01 04:30 UTC
    expect(reportKeys.dailyAggregated(lateEvening)).toBe('reports/daily/2027/01/01/aggregated.csv');
    expect(reportKeys.monthlyAggregated(lateEvening)).toBe('reports/monthly/2027-01/aggregated.csv');
  });

  // In this process the host's zone is whatever the machine has (UTC in CI, where the test above
  // cannot tell UTC from local time): a child process per zone makes the difference visible.
  it.each([
    ['America/New_York', '2026-12-31T23:30:00-05:00', 'reports/daily/2027/01/01/'],
    ['Pacific/Kiritimati', '2026-11-30T12:30:00Z', 'reports/daily/2026/11/30/'],
  ])("dates the keys by T's UTC date on a host in %s", (tz, instant, prefix) => {
    // Arrange
    const keysModule = fileURLToPath(new URL('../../../src/report/keys.ts', import.meta.url));
    const script = `
      const { reportKeys } = await import(${JSON.stringify(keysModule)});
      const t = new Date(${JSON.stringify(instant)});
      process.stdout.write(JSON.stringify({ offset: t.getTimezoneOffset(), prefix: reportKeys.dailyPrefix(t) }));
    `;
    // Act
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    // Assert: the zone took effect (the local date differs from the UTC one), and the key is UTC's
    const child = JSON.parse(out) as { offset: number; prefix: string };
    expect(child.offset).not.toBe(0);
    expect(child.prefix).toBe(prefix);
  });

  it('names the run summary and the month summary files', () => {
    expect(reportKeys.runSummary(asOf)).toBe('reports/daily/2026/11/30/run-summary.json');
    expect(summaryKeys.csv('2026-11')).toBe('reports/monthly/2026-11/summary.csv');
    expect(summaryKeys.html('2026-11')).toBe('reports/monthly/2026-11/summary.html');
  });

  it.each([
    ['1234567.891', '1,234,567.89'],
    ['-1003.25', '-1,003.25'],
    ['999.995', '1,000.00'],
    ['-0.5', '-0.50'],
    ['100', '100.00'],
  ])('writes the amount %s as %s on the page', (amount, text) => {
    expect(formatAmount(money(amount))).toBe(text);
  });

  it('leaves every price, cost and explanation cell blank on a healthy row without a price', () => {
    const [document] = dailyReportDocuments({ results: [result()], asOf: asOf, monthEnd: false });
    const [header, row] = parseCsv(document!.body);
    const cells = Object.fromEntries(header!.map((name, index) => [name, row![index]]));
    expect(cells).toEqual({
      workspace_id: 'ws-000000001',
      account: '111122223333',
      region: 'us-east-1',
      directory_id: 'd-1234567890',
      user_name: 'alice',
      computer_name: 'WSAMZN-0001',
      compute_type: 'STANDARD',
      running_mode: 'AUTO_STOP',
      new_running_mode: 'AUTO_STOP',
      autostop_timeout_minutes: '60',
      billable_hours: '12',
      threshold_hours: '85',
      action: 'NONE',
      reason: 'UNDER_THRESHOLD',
      outcome: 'NONE',
      tags: '{}',
      as_of: '2026-11-30T23:00:00.000Z',
      threshold_source: 'default',
      currency: '',
      hourly_rate: '',
      autostop_monthly_fee: '',
      alwayson_monthly_price: '',
      cost_to_date: '',
      projected_cost_current_mode: '',
      projected_cost_other_mode: '',
      estimated_monthly_savings: '',
      evaluated: 'yes',
      savings_this_month: '',
      savings_per_month_from_next_month: '',
      projected_hours: '',
      projected_hours_next_month: '',
      projection_basis: '',
      needs_attention: '',
      attention_detail: '',
    });
  });

  it('writes each price as priced, with at least two decimals', () => {
    // A whole-dollar price gets its cents, one decimal gets a second, four decimals stay four.
    const prices = {
      currency: 'USD',
      alwaysOnMonthly: money('25'),
      autoStopMonthlyFee: money('9.7'),
      autoStopHourly: money('1.0625'),
    };
    const priced = result({
      cost: {
        prices,
        source: 'file',
        figures: costFigures({ prices, runningMode: 'AUTO_STOP', billableHours: 12, action: 'NONE', asOf }),
      },
    });
    const [document] = dailyReportDocuments({ results: [priced], asOf: asOf, monthEnd: false });
    const [header, row] = parseCsv(document!.body);
    const cell = (name: string) => row![header!.indexOf(name)];
    expect([
      cell('currency'),
      cell('hourly_rate'),
      cell('autostop_monthly_fee'),
      cell('alwayson_monthly_price'),
    ]).toEqual(['USD', '1.0625', '9.70', '25.00']);
  });

  it('writes as_of in ISO 8601 UTC', () => {
    const [document] = dailyReportDocuments({ results: [result()], asOf: asOf, monthEnd: false });
    expect(parseCsv(document!.body)[1]![16]).toBe('2026-11-30T23:00:00.000Z');
  });
});
