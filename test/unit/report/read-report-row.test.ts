import { describe, expect, it } from 'vitest';
import { reportRowFromRecord } from '../../../src/report/read-report-row.js';

/** A row of a daily report written before the savings were split and attention had a column. */
const OLD = {
  workspace_id: 'ws-1',
  account: '111122223333',
  region: 'us-east-1',
  directory_id: 'd-1234567890',
  user_name: 'alice',
  compute_type: 'GRAPHICS_G4DN',
  running_mode: 'ALWAYS_ON',
  new_running_mode: 'AUTO_STOP',
  billable_hours: '40',
  threshold_hours: '334',
  action: 'TO_AUTO_STOP',
  reason: 'UNDER_THRESHOLD_AT_MONTH_END',
  outcome: 'APPLIED',
  as_of: '2026-11-30T23:00:00.000Z',
  threshold_source: 'price',
  currency: 'USD',
  estimated_monthly_savings: '1234.56',
};
const cents = (amount: { toFixed(digits: number): string } | undefined) => amount?.toFixed(2);

describe('Function: reportRowFromRecord, reports from before the split', () => {
  it("reads a month-end switch to AutoStop as next month's saving, nothing this month", () => {
    const row = reportRowFromRecord(OLD, 'old.csv line 2');
    expect([cents(row.savingsThisMonth), cents(row.savingsPerMonthFromNextMonth)]).toEqual([
      '0.00',
      '1234.56',
    ]);
  });

  it("reads a switch to AlwaysOn as this month's saving, its run-rate unknown", () => {
    const row = reportRowFromRecord(
      {
        ...OLD,
        running_mode: 'AUTO_STOP',
        action: 'TO_ALWAYS_ON',
        reason: 'OVER_THRESHOLD',
        estimated_monthly_savings: '-1234.56',
      },
      'old.csv line 2',
    );
    expect([cents(row.savingsThisMonth), row.savingsPerMonthFromNextMonth]).toEqual(['-1234.56', undefined]);
    // A conversion that costs money needs attention, even in an old report.
    expect(row.attention).toBe('COSTS_MORE');
  });

  it('derives what needs attention from the outcome, without the words', () => {
    expect(reportRowFromRecord({ ...OLD, outcome: 'FAILED' }, 'x')).toMatchObject({
      attention: 'FAILED',
      attentionDetail: '',
    });
    expect(
      reportRowFromRecord({ ...OLD, action: 'SKIP', reason: 'UNSUPPORTED_MODE', outcome: 'NONE' }, 'x')
        .attention,
    ).toBe('UNSUPPORTED_MODE');
  });

  it('takes the columns as written when they are there', () => {
    const row = reportRowFromRecord(
      {
        ...OLD,
        savings_this_month: '0.00',
        savings_per_month_from_next_month: '1111.11',
        projected_hours: '41',
        projection_basis: 'month_to_date',
        needs_attention: '',
        attention_detail: '',
      },
      'x',
    );
    expect([
      cents(row.savingsPerMonthFromNextMonth),
      row.projectedHours,
      row.projectionBasis,
      row.attention,
    ]).toEqual(['1111.11', 41, 'month_to_date', '']);
  });
});
