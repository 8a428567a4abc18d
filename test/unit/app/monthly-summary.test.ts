import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadMonthReports } from '../../../src/report/load-month-reports.js';
import { summaryKeys } from '../../../src/report/keys.js';
import { summarizeMonth } from '../../../src/app/monthly-summary.js';
import { writeMonthlySummary } from '../../../src/app/write-monthly-summary.js';
import { summaryHtml } from '../../../src/report/summary-html.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { AWKWARD_USER, runNovember } from '../../helpers/month-fixture.js';
import { StoredReports } from '../../../src/report/stored-reports.js';

describe('Function: summarizeMonth', () => {
  it('adds up the month from its stored reports', async () => {
    // Arrange
    const store = new MemoryStore();
    await runNovember(store);
    // Act
    const summary = summarizeMonth(await loadMonthReports(store, '2026-11'));
    // Assert
    expect(summary.snapshotAsOf).toBe('2026-11-30T23:00:00.000Z');
    expect(summary.totals).toEqual({
      workspaces: 5,
      billableHours: 85 + 11 + 101 + 11 + 31,
      toAlwaysOn: 1,
      toAutoStop: 1,
      notApplied: 0,
      toAlwaysOnNotApplied: 0,
      toAutoStopNotApplied: 0,
      exempt: 1,
      tagsUnavailable: 0,
      unsupportedMode: 0,
      errors: 0,
      metricsUnavailable: 0,
      failed: 0,
      deferred: 0,
      unpriced: 1,
      unprojected: 0,
    });
    // Saved this month: ws-heavy on the 15th 9.22; ws-idle-on's switch to AutoStop saves nothing in
    // November (it is paid) and 21.65 a month from December: the two are never added.
    // After: ws-heavy 35.00 + ws-light 13.35 + ws-exempt 40.35 + ws-idle-on 35.00 (paid) = 123.70
    const [usd] = summary.money;
    expect([
      usd!.currency,
      usd!.costAfter.toFixed(2),
      usd!.savingsThisMonth.toFixed(2),
      usd!.costBefore.toFixed(2),
    ]).toEqual(['USD', '123.70', '9.22', '132.92']);
    expect(
      summary.conversions.map((c) => [c.row.workspaceId, c.row.action, c.row.asOf.slice(0, 10)]),
    ).toEqual([
      ['ws-heavy', 'TO_ALWAYS_ON', '2026-11-15'],
      ['ws-idle-on', 'TO_AUTO_STOP', '2026-11-30'],
    ]);
    // By what they save per month from next month on: ws-heavy 29.35, ws-idle-on 21.65
    expect(summary.topSavings.map((c) => c.row.workspaceId)).toEqual(['ws-heavy', 'ws-idle-on']);
    expect(summary.exemptions.map((row) => row.workspaceId)).toEqual(['ws-exempt']);
    expect(summary.unpriced.map((row) => row.workspaceId)).toEqual(['ws-unpriced']);
    expect(summary.histograms.map((h) => [h.computeType, h.thresholdHours])).toEqual([['STANDARD', 84]]);
  });

  it('totals each account first (chargeback): its groups added up, per currency', async () => {
    // Arrange: the November fleet, its unpriced WorkSpace moved to a second account
    const store = new MemoryStore();
    await runNovember(store);
    const reports = await loadMonthReports(store, '2026-11');
    const moved = <T extends { workspaceId: string; account: string }>(row: T): T =>
      row.workspaceId === 'ws-unpriced' ? { ...row, account: '222222222222' } : row;

    // Act
    const summary = summarizeMonth({
      ...reports,
      snapshot: { ...reports.snapshot, rows: reports.snapshot.rows.map(moved) },
    });

    // Assert
    expect(summary.accounts.map((group) => [group.account, group.currency, group.totals.workspaces])).toEqual(
      [
        ['111122223333', 'USD', 4],
        ['222222222222', '', 1],
      ],
    );
    expect(summary.accounts.every((group) => group.region === '' && group.directoryId === '')).toBe(true);
    // The account's own figure, by hand (see the first test): 35.00 + 13.35 + 40.35 + 35.00.
    expect(summary.accounts[0]!.money.costAfter.toFixed(2)).toBe('123.70');
    expect(summaryHtml(summary)).toContain('Totals by account');
  });

  it('keeps dry-run conversions apart as savings not applied', async () => {
    const store = new MemoryStore();
    await runNovember(store, true);
    const summary = summarizeMonth(await loadMonthReports(store, '2026-11'));
    expect(summary.totals.toAlwaysOn + summary.totals.toAutoStop).toBe(0);
    expect(summary.totals.notApplied).toBe(2);
    expect(summary.money[0]!.savingsThisMonth.toFixed(2)).toBe('0.00');
    expect(summary.money[0]!.savingsThisMonthNotApplied.isPositive()).toBe(true);
  });
});

describe('Function: writeMonthlySummary', () => {
  it('is written by the month-end run and rebuilt identically from the stored reports', async () => {
    // Arrange
    const store = new MemoryStore();
    await runNovember(store);
    const fromRun = await store.get(summaryKeys.csv('2026-11'));
    const htmlFromRun = await store.get(summaryKeys.html('2026-11'));
    // Act
    const rebuilt = await writeMonthlySummary(new StoredReports(store), '2026-11');
    // Assert
    expect(rebuilt.failures).toEqual([]);
    expect(await store.get(summaryKeys.csv('2026-11'))).toBe(fromRun);
    expect(await store.get(summaryKeys.html('2026-11'))).toBe(htmlFromRun);
    const rows: Record<string, string>[] = parse(fromRun!, { columns: true });
    expect(rows.filter((row) => row.row_type === 'total')).toEqual([
      expect.objectContaining({
        account: 'TOTAL',
        currency: 'USD',
        workspaces: '4',
        to_always_on: '1',
        to_auto_stop: '1',
        savings_this_month: '9.22',
        savings_per_month_from_next_month: '51.00',
        cost_before: '132.92',
        cost_after: '123.70',
        exempt: '1',
      }),
      expect.objectContaining({
        account: 'TOTAL',
        currency: '',
        workspaces: '1',
        no_price: '1',
        cost_before: '',
        savings_this_month: '',
      }),
    ]);
  });

  it('reports a month without reports as a failure, writing nothing', async () => {
    const store = new MemoryStore();
    const result = await writeMonthlySummary(new StoredReports(store), '2026-10');
    expect(result.written).toEqual([]);
    expect(result.failures[0]!.message).toMatch(/no daily or monthly report for 2026-10/);
    expect(store.objects.size).toBe(0);
  });
});

describe('Function: summaryHtml', () => {
  it('escapes every user-provided string', async () => {
    const store = new MemoryStore();
    await runNovember(store);
    const html = summaryHtml(summarizeMonth(await loadMonthReports(store, '2026-11')));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>');
    expect(html).toContain('O&#39;Brien &quot;&lt;b&gt;&amp;amp;co&lt;/b&gt;&quot;, 山田太郎');
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).not.toMatch(/(src|href)=|url\(|@import|https?:/i);
    expect(AWKWARD_USER).toContain('<script>');
  });
});

describe('Function: summaryHtml for an empty month', () => {
  it('renders a page with no WorkSpace and no price', () => {
    const html = summaryHtml(
      summarizeMonth({ month: '2026-02', snapshot: { key: 'k', rows: [] }, days: [] }),
    );
    expect(html).toContain('February 2026');
    expect(html).toContain('No WorkSpace had a known price');
    expect(html).toContain('No priced WorkSpace.');
  });
});
