import { describe, expect, it } from 'vitest';
import { loadMonthReports } from '../../../src/report/load-month-reports.js';
import { summarizeMonth } from '../../../src/app/monthly-summary.js';
import { MemoryStore } from '../../helpers/memory-store.js';

const CONTRACT_HEADER =
  'workspace_id,account,region,directory_id,user_name,computer_name,compute_type,running_mode,new_running_mode,autostop_timeout_minutes,billable_hours,threshold_hours,action,reason,outcome,tags,as_of';
const row = (id: string, hours: string, asOf: string) =>
  `${id},111122223333,us-east-1,d-1,"Doe, Jane",PC,STANDARD,AUTO_STOP,AUTO_STOP,60,${hours},85,NONE,UNDER_THRESHOLD,NONE,{},${asOf}`;

describe('Function: loadMonthReports', () => {
  it('takes the latest daily report as the snapshot when there is no monthly one, and reads old reports as unpriced', async () => {
    // Arrange: reports from before the cost columns existed
    const store = new MemoryStore();
    await store.put(
      'reports/daily/2026/11/02/aggregated.csv',
      `${CONTRACT_HEADER}\r\n${row('ws-1', '3', '2026-11-02T23:00:00Z')}\r\n`,
      'text/csv',
    );
    await store.put(
      'reports/daily/2026/11/03/aggregated.csv',
      `${CONTRACT_HEADER}\r\n${row('ws-1', '5', '2026-11-03T23:00:00Z')}\r\n`,
      'text/csv',
    );
    await store.put('reports/daily/2026/11/03/111122223333_us-east-1_d-1.csv', 'not read', 'text/csv');
    await store.put('reports/daily/2026/12/01/aggregated.csv', 'other month, not read', 'text/csv');
    // Act
    const reports = await loadMonthReports(store, '2026-11');
    const summary = summarizeMonth(reports);
    // Assert
    expect(reports.days.map((day) => day.key)).toEqual([
      'memory://reports/daily/2026/11/02/aggregated.csv',
      'memory://reports/daily/2026/11/03/aggregated.csv',
    ]);
    expect(reports.snapshot.rows[0]).toMatchObject({ billableHours: 5, userName: 'Doe, Jane', currency: '' });
    expect(summary.totals).toMatchObject({ workspaces: 1, billableHours: 5, unpriced: 1 });
    expect(summary.money).toEqual([]);
  });

  it('names the object and line of a damaged report', async () => {
    const store = new MemoryStore();
    await store.put(
      'reports/daily/2026/11/02/aggregated.csv',
      `${CONTRACT_HEADER}\r\n${row('ws-1', 'many', '2026-11-02T23:00:00Z')}\r\n`,
      'text/csv',
    );
    await expect(loadMonthReports(store, '2026-11')).rejects.toThrow(
      'memory://reports/daily/2026/11/02/aggregated.csv line 2: billable_hours "many" is not a number',
    );
  });

  it('refuses a month that is not YYYY-MM', async () => {
    await expect(loadMonthReports(new MemoryStore(), '2026-1')).rejects.toThrow('must be YYYY-MM');
  });
});
