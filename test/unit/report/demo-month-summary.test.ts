import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import type { CliRun } from '../../helpers/cli.js';

/** The demo's month end, applied: the run of the issue (76 -> AlwaysOn, 12 -> AutoStop, an SCP refusal). */
let out: string;
let run: CliRun;
let summary: Record<string, string>[];
let daily: Record<string, string>[];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'wco-demo-month-'));
  run = await runCli(['run', '--demo', '--apply', '--out', out, '--as-of', '2026-11-30T23:00:00Z']);
  summary = parse(await readFile(join(out, 'reports/monthly/2026-11/summary.csv'), 'utf8'), {
    columns: true,
  });
  daily = parse(await readFile(join(out, 'reports/daily/2026/11/30/aggregated.csv'), 'utf8'), {
    columns: true,
  });
}, 120_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const COUNTS = [
  'workspaces',
  'billable_hours',
  'to_always_on',
  'to_auto_stop',
  'conversions_not_applied',
  'to_always_on_not_applied',
  'to_auto_stop_not_applied',
  'exempt',
  'tags_unavailable',
  'unsupported_mode',
  'errors',
  'metrics_unavailable',
  'failed',
  'deferred',
  'no_price',
];
const MONEY = [
  'cost_before',
  'cost_after',
  'savings_this_month',
  'savings_per_month_from_next_month',
  'savings_this_month_not_applied',
  'savings_per_month_not_applied',
];
const cents = (text: string | undefined) => Math.round(Number(text || '0') * 100);

describe('summary.csv of the demo month, for spreadsheets', () => {
  it('marks its totals so a filter on row_type keeps a sum from counting them twice', () => {
    const groups = summary.filter((row) => row.row_type === 'group');
    const accounts = summary.filter((row) => row.row_type === 'account');
    const totals = summary.filter((row) => row.row_type === 'total');
    expect(totals.map((row) => [row.account, row.currency])).toEqual([
      ['TOTAL', 'USD'],
      ['TOTAL', ''],
    ]);
    expect(new Set(accounts.map((row) => row.account)).size).toBe(3); // the demo's three accounts
    expect(groups.length + accounts.length + totals.length).toBe(summary.length);
    // Groups and account totals each add up to the grand totals; neither is counted in the other.
    for (const level of [groups, accounts]) {
      for (const column of COUNTS) {
        const sum = (rows: Record<string, string>[]) =>
          rows.reduce((total, row) => total + Number(row[column]), 0);
        expect([column, sum(level)]).toEqual([column, sum(totals)]);
      }
      for (const column of MONEY) {
        const sum = (rows: Record<string, string>[]) =>
          rows.reduce((total, row) => total + cents(row[column]), 0);
        expect([column, sum(level)]).toEqual([column, sum(totals)]);
      }
    }
  });

  it('splits pending conversions by direction and counts each skip reason', () => {
    const [usd, unpriced] = summary.filter((row) => row.row_type === 'total');
    const all = (column: string) => Number(usd![column]) + Number(unpriced![column]);
    expect(all('to_always_on_not_applied') + all('to_auto_stop_not_applied')).toBe(
      all('conversions_not_applied'),
    );
    expect(all('to_always_on_not_applied')).toBe(3); // 2 deferred, 1 refused by an SCP
    expect(all('to_auto_stop_not_applied')).toBe(2);
    expect([all('exempt'), all('tags_unavailable'), all('unsupported_mode')]).toEqual([3, 1, 1]);
    expect([all('metrics_unavailable'), all('failed'), all('deferred')]).toEqual([1, 1, 4]);
  });

  it('writes every amount with two decimals, and none for WorkSpaces without a price', () => {
    for (const row of summary)
      for (const column of MONEY)
        expect([column, row[column]]).toEqual([
          column,
          row.currency === '' ? '' : expect.stringMatching(/^-?\d+\.\d\d$/),
        ]);
  });

  it("never adds next month's savings to this month's", () => {
    const usd = summary.find((row) => row.row_type === 'total' && row.currency === 'USD')!;
    const applied = daily.filter((row) => row.outcome === 'APPLIED' && row.currency === 'USD');
    const toAutoStop = applied.filter((row) => row.action === 'TO_AUTO_STOP');
    // The month-end switches to AutoStop save nothing in November (it is paid) ...
    expect(toAutoStop.every((row) => row.savings_this_month === '0.00')).toBe(true);
    // ... so this month's savings are the switches to AlwaysOn only, and the run-rate is its own figure.
    const sum = (rows: Record<string, string>[], column: string) =>
      rows.reduce((total, row) => total + cents(row[column]), 0);
    expect(cents(usd.savings_this_month)).toBe(sum(applied, 'savings_this_month'));
    expect(cents(usd.savings_per_month_from_next_month)).toBe(
      sum(applied, 'savings_per_month_from_next_month'),
    );
    expect(cents(usd.savings_per_month_from_next_month)).toBeGreaterThan(cents(usd.savings_this_month) * 10);
    expect(cents(usd.cost_before) - cents(usd.cost_after)).toBe(cents(usd.savings_this_month));
  });
});

describe('Needs attention in the demo month', () => {
  it('lists every problem in the run summary, the daily report and summary.html, FAILED with the AWS error', async () => {
    const flagged = daily.filter((row) => row.needs_attention !== '');
    expect(new Set(flagged.map((row) => row.needs_attention))).toEqual(
      new Set([
        'FAILED',
        'DEFERRED',
        'METRICS_UNAVAILABLE',
        'TAGS_UNAVAILABLE',
        'UNSUPPORTED_MODE',
        'COSTS_MORE',
      ]),
    );
    const failed = flagged.find((row) => row.needs_attention === 'FAILED')!;
    expect(failed.attention_detail).toMatch(
      /^AccessDeniedException: .*explicit deny in a service control policy$/,
    );
    expect(flagged.find((row) => row.needs_attention === 'METRICS_UNAVAILABLE')!.attention_detail).toMatch(
      /ThrottlingException/,
    );
    expect(flagged.find((row) => row.needs_attention === 'DEFERRED')!.attention_detail).toMatch(
      /^state [A-Z]+:/,
    );

    expect(run.stdout).toContain(`Needs attention: ${flagged.length}`);
    for (const row of flagged)
      expect(run.stdout).toContain(`${row.workspace_id} (${row.region}): ${row.attention_detail}`);

    const html = await readFile(join(out, 'reports/monthly/2026-11/summary.html'), 'utf8');
    const section = html.slice(
      html.indexOf('<section id="attention">'),
      html.indexOf('</section>', html.indexOf('<section id="attention">')),
    );
    for (const row of flagged) expect(section).toContain(row.workspace_id);
    expect(section).toContain('explicit deny in a service control policy');
  });
});
